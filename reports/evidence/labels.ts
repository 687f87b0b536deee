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
const Labels = z.record(z.string(), z.object({ en: Label, zh: Label }).strict());
export type Labels = z.infer<typeof Labels>;

export function loadLabels(path: string): Labels {
  const parsed = Labels.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: label ${issue.path.join('.')}: ${issue.message} (each label needs en and zh)`);
  }
  return parsed.data;
}

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function applyLabels(text: string, labels: Labels, language: Language, page: string): string {
  return text.replace(PLACEHOLDER, (_, key: string) => {
    const label = labels[key];
    if (!label) throw new Error(`${page}: unknown label {{${key}}}; add it to reports/labels.yaml`);
    return label[language];
  });
}
