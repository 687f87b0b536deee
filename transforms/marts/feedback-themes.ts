import { z } from 'zod';
import { writeTable } from '../../warehouse/write-table.ts';
import { defineModel } from '../framework/model.ts';
import { analyse, THEMES } from '../text/analyze.ts';
import { monthOf } from './_cuts.ts';

export const model = defineModel({
  name: 'marts.feedback_themes',
  description:
    "Text feedback (文本分析) from survey comments, Chinese and English: per month and language, how many comments mention each theme (speed, attitude, resolution, product, price, logistics) and their average sentiment (−1..1); theme 'all' covers every comment.",
  grain: 'one row per month, language and theme',
  key: ['month', 'language', 'theme'],
  dependsOn: ['staging.surveys'],
  contract: z.object({
    month: z.iso.date().describe('month of responded_at'),
    language: z.enum(['zh', 'en']),
    theme: z.enum(['all', ...THEMES] as [string, ...string[]]),
    mentions: z.int().min(0).describe('comments mentioning the theme'),
    share: z.number().min(0).max(1).describe('of the comments that month in that language'),
    sentiment_avg: z.number().min(-1).max(1).nullable(),
  }),
  build: async ({ warehouse }) => {
    const comments = await warehouse.all<{ month: string; comment: string }>(
      `SELECT strftime(${monthOf('responded_at')}, '%Y-%m-%d') AS month, comment FROM staging.surveys WHERE comment IS NOT NULL AND trim(comment) <> ''`,
    );
    const cells = new Map<string, { month: string; language: string; theme: string; mentions: number; sentiment: number }>();
    const totals = new Map<string, number>();
    const add = (month: string, language: string, theme: string, sentiment: number) => {
      const id = `${month}|${language}|${theme}`;
      const cell = cells.get(id) ?? { month, language, theme, mentions: 0, sentiment: 0 };
      cell.mentions += 1;
      cell.sentiment += sentiment;
      cells.set(id, cell);
    };
    for (const c of comments) {
      const a = analyse(c.comment);
      totals.set(`${c.month}|${a.language}`, (totals.get(`${c.month}|${a.language}`) ?? 0) + 1);
      add(c.month, a.language, 'all', a.sentiment);
      for (const theme of a.themes) add(c.month, a.language, theme, a.sentiment);
    }
    const rows = [...cells.values()].map((c) => ({
      month: c.month, language: c.language, theme: c.theme, mentions: c.mentions,
      share: c.mentions / totals.get(`${c.month}|${c.language}`)!, sentiment_avg: c.sentiment / c.mentions,
    }));
    await writeTable(warehouse, 'marts.feedback_themes', [
      ['month', 'DATE'], ['language', 'VARCHAR'], ['theme', 'VARCHAR'], ['mentions', 'BIGINT'], ['share', 'DOUBLE'], ['sentiment_avg', 'DOUBLE'],
    ], rows);
  },
});
