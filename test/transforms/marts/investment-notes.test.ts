/**
 * Every note of the CRM investment marts has its Chinese, from the same figures: a Chinese site
 * shows `note_zh`, so a note whose Chinese is missing or still English shows English there.
 */
import { describe, expect, it } from 'vitest';
import { join, NOTES, type Text } from '../../../transforms/marts/_investment-notes.ts';

const caveat = NOTES.noHr();
// one call of each note, by code: a note added to NOTES without a line here fails the first test
const SAMPLES: Record<keyof typeof NOTES, Text[]> = {
  noFinance: [NOTES.noFinance()],
  noCrmCosts: [NOTES.noCrmCosts()],
  noHr: [caveat],
  partialBenefit: [NOTES.partialBenefit(caveat)],
  projectedMonths: [NOTES.projectedMonths(12, 36)],
  totalInvestment: [NOTES.totalInvestment(36)],
  benefitMarginOnly: [NOTES.benefitMarginOnly(caveat)],
  benefitFull: [NOTES.benefitFull()],
  roi: [NOTES.roi()],
  npv: [NOTES.npv(0.08)],
  irr: [NOTES.irr()],
  noIrr: [
    NOTES.noIrr({ kind: 'no_sign_change' }),
    NOTES.noIrr({ kind: 'no_root' }),
    NOTES.noIrr({ kind: 'several_roots', roots: [0.1, 0.2], signChanges: 2 }),
  ],
  noPayback: [NOTES.noPayback(true), NOTES.noPayback(false)],
  paybackProjected: [NOTES.paybackProjected('2025-04')],
  paybackMeasured: [NOTES.paybackMeasured()],
};

// names and codes a Chinese reader sees as they are
const KEPT = new Set(['CRM', 'IRR', 'NPV', 'sources_provided']);

describe('the CRM investment notes', () => {
  it('every note code is sampled here', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(NOTES).sort());
  });

  it.each(Object.entries(SAMPLES).flatMap(([code, texts]) => texts.map((t) => [code, t] as const)))('%s has Chinese without English words', (_, text) => {
    expect(text.en).not.toBe('');
    expect(text.zh).toMatch(/\p{Script=Han}/u);
    const english = (text.zh.match(/[A-Za-z_]+/g) ?? []).filter((w) => !KEPT.has(w));
    expect(english, text.zh).toEqual([]);
    // shown in page tables next to labels: the same characters kept out of them
    expect(text.zh).not.toMatch(/['<{}]/);
  });

  it('both languages carry the same figures', () => {
    expect(NOTES.npv(0.08)).toEqual({ en: 'at 8.0% a year, compounded monthly', zh: '年折现率 8.0%，按月复利' });
    expect(NOTES.projectedMonths(12, 36).zh).toBe('；36 个月中有 12 个月为预测值（取最后六个观测月的平均）');
    const several = NOTES.noIrr({ kind: 'several_roots', roots: [0.1, 0.2], signChanges: 2 });
    expect(several.en).toBe('several IRRs (10.00%, 20.00%): the cash flows change sign 2 times, so no single rate describes them; use NPV');
    expect(several.zh).toContain('10.00%、20.00%');
    expect(several.zh).toContain('变号 2 次');
  });

  it('joins each language with its own pieces, skipping a missing one', () => {
    expect(join(NOTES.roi(), null, NOTES.projectedMonths(1, 2))).toEqual({
      en: '(benefit − cost) ÷ cost, undiscounted; 1 of the 2 months are projected (the average of the last six observed)',
      zh: '（收益 − 成本）÷ 成本，未折现；2 个月中有 1 个月为预测值（取最后六个观测月的平均）',
    });
  });
});
