/**
 * The notes of the CRM investment marts (marts.crm_investment, marts.crm_investment_sensitivity),
 * each in English and Simplified Chinese from the same numbers: a note carries figures and dates
 * (a discount rate, months projected, a payback month), so it cannot be a fixed label. Each text
 * is written here once, its two languages side by side; the marts write `note` (English) and
 * `note_zh`, and a page reads `note{{lang.suffix}}` (reports/README.md, “Text from a mart”).
 */
import type { NoIrr } from '../stats/finance.ts';

export interface Text {
  readonly en: string;
  readonly zh: string;
}

/** Texts joined piece by piece, each language with its own pieces; a null piece adds nothing. */
export function join(...parts: ReadonlyArray<Text | null>): Text {
  const present = parts.filter((p): p is Text => p !== null);
  return { en: present.map((p) => p.en).join(''), zh: present.map((p) => p.zh).join('') };
}

const pct = (rate: number, digits: number) => `${(rate * 100).toFixed(digits)}%`;

/** Every note, by code; the test of this module checks each has Chinese without English words. */
export const NOTES = {
  /** Without its costs, ROI, NPV, IRR and payback would be numbers about benefits alone. */
  noFinance: (): Text => ({ en: 'not measurable: no finance data (sources_provided)', zh: '无法衡量：未提供财务数据（sources_provided）' }),
  noCrmCosts: (): Text => ({
    en: 'not measurable: no CRM project costs in the ledger (no finance data)',
    zh: '无法衡量：总账中没有 CRM 项目成本（无财务数据）',
  }),
  /** What the benefit leaves out without HR data. */
  noHr: (): Text => ({
    en: 'service hours saved are not valued without HR data (no loaded hourly cost)',
    zh: '没有人力数据，节省的服务工时无法计价（缺少含附加成本的小时人工成本）',
  }),
  /** Appended to a figure that rests on the benefit without HR data. */
  partialBenefit: (caveat: Text): Text => join({ en: '; benefit without service hours saved (', zh: '；收益不含节省的服务工时（' }, caveat, { en: ')', zh: '）' }),
  /** Appended to a figure over a horizon whose later months are projected. */
  projectedMonths: (projected: number, months: number): Text => ({
    en: `; ${projected} of the ${months} months are projected (the average of the last six observed)`,
    zh: `；${months} 个月中有 ${projected} 个月为预测值（取最后六个观测月的平均）`,
  }),
  totalInvestment: (months: number): Text => ({
    en: `CRM project costs over ${months} months from go-live (spending before go-live counted at go-live)`,
    zh: `上线起 ${months} 个月的 CRM 项目成本（上线前的支出计入上线当月）`,
  }),
  benefitMarginOnly: (caveat: Text): Text => join({ en: 'incremental gross margin only: ', zh: '仅含增量毛利：' }, caveat),
  benefitFull: (): Text => ({ en: 'incremental gross margin + service hours saved × loaded hourly cost', zh: '增量毛利 + 节省的服务工时 × 含附加成本的小时人工成本' }),
  roi: (): Text => ({ en: '(benefit − cost) ÷ cost, undiscounted', zh: '（收益 − 成本）÷ 成本，未折现' }),
  npv: (annualRate: number): Text => ({ en: `at ${pct(annualRate, 1)} a year, compounded monthly`, zh: `年折现率 ${pct(annualRate, 1)}，按月复利` }),
  irr: (): Text => ({ en: 'annualised from the monthly IRR', zh: '由月度 IRR 年化' }),
  noIrr: (why: NoIrr): Text => {
    switch (why.kind) {
      case 'no_sign_change':
        return { en: 'no IRR: the cash flows never change sign (all costs or all benefits)', zh: '无 IRR：现金流从不变号（全为成本或全为收益）' };
      case 'no_root':
        return { en: 'no IRR: the net present value never reaches zero between -99% and +1000%', zh: '无 IRR：净现值在 -99% 至 +1000% 之间从不为零' };
      case 'several_roots': {
        const roots = why.roots.map((r) => pct(r, 2));
        return {
          en: `several IRRs (${roots.join(', ')}): the cash flows change sign ${why.signChanges} times, so no single rate describes them; use NPV`,
          zh: `有多个 IRR（${roots.join('、')}）：现金流变号 ${why.signChanges} 次，没有单一的收益率能描述它们；请看 NPV`,
        };
      }
    }
  },
  noPayback: (laterMonthsProjected: boolean): Text => ({
    en: `does not pay back within the horizon${laterMonthsProjected ? ' (its later months projected)' : ''}`,
    zh: `在期限内未能回本${laterMonthsProjected ? '（其后期月份为预测值）' : ''}`,
  }),
  /** `month` is YYYY-MM. */
  paybackProjected: (month: string): Text => ({
    en: `projected: the cumulative flow turns positive in ${month}, after the data ends, on the projected months`,
    zh: `预测值：累计现金流在 ${month} 转正，晚于数据结束，依据的是预测月份`,
  }),
  paybackMeasured: (): Text => ({ en: 'months from go-live until the cumulative flow stays positive', zh: '从上线到累计现金流持续为正的月数' }),
} as const;

/** No note: a scenario that is measurable. */
export const EMPTY: Text = { en: '', zh: '' };

/** A note as a mart's two columns. */
export function noteColumns(text: Text): { note: string; note_zh: string } {
  return { note: text.en, note_zh: text.zh };
}
