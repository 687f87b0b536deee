import { z } from 'zod';
import { defineModel } from '../framework/model.ts';
import { monthOf } from './_cuts.ts';

export const model = defineModel({
  name: 'marts.complaints_monthly',
  description: 'Complaint analysis (投诉分析): complaint tickets by month, category and channel, and their share of the month’s complaints.',
  grain: 'one row per month, category and channel',
  key: ['month', 'category', 'channel'],
  dependsOn: ['staging.tickets'],
  contract: z.object({
    month: z.iso.date().describe('month of created_at'),
    category: z.string(),
    channel: z.string(),
    complaints: z.int().min(0),
    share: z.number().min(0).max(1).describe('of all complaints created that month'),
  }),
  build: () => `
    SELECT *, complaints / sum(complaints) OVER (PARTITION BY month) AS share
    FROM (SELECT ${monthOf('created_at')} AS month, category, channel, count(*)::BIGINT AS complaints
          FROM staging.tickets WHERE is_complaint GROUP BY ALL)`,
});
