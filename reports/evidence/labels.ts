/**
 * Report labels in English and Simplified Chinese, chosen by the configuration's `language`.
 * A page writes `{{key}}` wherever a label goes (headings, chart titles, column titles, text in
 * SQL); the site assembly replaces it with the label of reports/labels.yaml in that language
 * before Evidence reads the page. An unknown key stops the build, naming the page and the key.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

// A label lands in page text (where < { } are Svelte syntax) and inside SQL strings (where ' ends them).
const Label = z
  .string()
  .min(1)
  .refine((s) => !/['<{}]/.test(s), { message: "no ' < { or } (labels go into page markup and SQL strings)" });

/**
 * Labels under `mart.` translate a text a mart carries in English (a KPI's definition, …), keyed
 * by the mart's stable code: the English stays in the mart, its one source, so such a label has
 * only `zh`; a page joins labels.labels and falls back to the mart's column.
 */
export const MART_TEXT = 'mart.';

const Labels = z
  .record(z.string(), z.object({ en: Label.optional(), zh: Label }).strict())
  .superRefine((labels, ctx) => {
    for (const [key, label] of Object.entries(labels)) {
      if (label.en === undefined && !key.startsWith(MART_TEXT)) ctx.addIssue({ code: 'custom', path: [key, 'en'], message: 'Required' });
      if (label.en !== undefined && key.startsWith(MART_TEXT)) ctx.addIssue({ code: 'custom', path: [key, 'en'], message: 'the English of a mart text is the mart' });
    }
  });
export type Labels = Record<string, { en?: string; zh: string }>;

export function loadLabels(path: string): Labels {
  const parsed = Labels.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: label ${issue.path.join('.')}: ${issue.message} (each label needs en and zh)`);
  }
  return parsed.data;
}

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * Currencies Evidence formats with their symbol (its built-in formats `cny0`, `usd1`, …; see
 * @evidence-dev/component-utilities builtInFormats.js). Another currency gets a plain number
 * format; every money title carries the ISO code either way (¥ alone is CNY or JPY).
 */
const EVIDENCE_CURRENCIES = ['usd', 'aud', 'brl', 'cad', 'cny', 'eur', 'gbp', 'jpy', 'inr', 'krw', 'ngn', 'rub', 'sek'];

/**
 * The money placeholders a page uses, from the configuration's `currency` (not labels.yaml):
 * `{{money.code}}` (the ISO code, for titles) and `{{money.fmt0}}` / `{{money.fmt1}}` /
 * `{{money.fmt2}}` (an Evidence format with 0, 1 or 2 decimals, for `fmt=` and for a
 * format column computed in SQL). The same in both languages.
 */
export function moneyLabels(currency: string): Labels {
  const code = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`currency ${JSON.stringify(currency)}: expected a three-letter ISO code such as CNY`);
  const tag = code.toLowerCase();
  const fmt = (decimals: 0 | 1 | 2) => (EVIDENCE_CURRENCIES.includes(tag) ? `${tag}${decimals}` : ['#,##0', '#,##0.0', '#,##0.00'][decimals]!);
  const same = (label: string) => ({ en: label, zh: label });
  return { 'money.code': same(code), 'money.fmt0': same(fmt(0)), 'money.fmt1': same(fmt(1)), 'money.fmt2': same(fmt(2)) };
}

/**
 * A mart text with figures in it (a CRM investment note: “at 8.0% a year…”) is written by the
 * mart in both languages from the same figures, `note` and `note_zh`; a page reads the column of
 * its language as `note{{lang.suffix}}`.
 */
export const LANGUAGE_LABELS: Labels = { 'lang.suffix': { en: '', zh: '_zh' } };

/** labels.yaml plus the placeholders computed from the configuration (money.*, lang.*), which it may not define. */
export function withMoneyLabels(labels: Labels, currency: string): Labels {
  const computed = { ...moneyLabels(currency), ...LANGUAGE_LABELS };
  const clash = Object.keys(computed).filter((key) => key in labels);
  if (clash.length > 0) throw new Error(`reports/labels.yaml: ${clash.join(', ')} come from the configuration (its currency and language); remove them from labels.yaml`);
  return { ...labels, ...computed };
}

export function applyLabels(text: string, labels: Labels, language: Language, page: string): string {
  return text.replace(PLACEHOLDER, (_, key: string) => {
    const label = labels[key];
    if (!label) throw new Error(`${page}: unknown label {{${key}}}; add it to reports/labels.yaml`);
    const text = label[language];
    if (text === undefined) throw new Error(`${page}: {{${key}}} translates a mart text: join labels.labels instead`);
    return text;
  });
}
