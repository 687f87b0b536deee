/**
 * The default industry benchmarks (标杆分析), for the reference company, a retailer with a
 * contact centre: indicative values from published industry surveys, each named in its
 * source. They are for orientation, not a target to manage to; a company with its own
 * competitor or industry figures sets `benchmarks:` (or `benchmarks: {}` for none). Units are
 * those of the KPI (METRICS.md §2): rates as fractions, NPS in points, hours, money in the
 * configured currency (a money benchmark names its own, and is left out in another).
 */
export const DEFAULT_BENCHMARKS: Record<string, { value: number; source: string; currency?: string }> = {
  csat: { value: 0.85, source: 'Zendesk Benchmark, share of good satisfaction ratings across industries (indicative)' },
  nps: { value: 40, source: 'Satmetrix (NICE) Net Promoter industry benchmarks, retail (indicative)' },
  fcr: { value: 0.7, source: 'SQM Group first contact resolution benchmark, contact-centre average (indicative)' },
  first_response_hours: { value: 12, source: 'SuperOffice Customer Service Benchmark Report, average email response time about 12 hours (indicative)' },
  retention_rate: { value: 0.63, source: 'Statista, customer retention rate by industry worldwide 2018, retail (indicative)' },
  // in CNY, the reference company’s currency: a company reporting in another leaves it out
  cost_per_ticket: { value: 110, currency: 'CNY', source: 'MetricNet service desk benchmark, about US$15.56 a ticket at 7.1 CNY per US$ (indicative)' },
};
