/**
 * The run summary says what a delivery's optional fields cost: values set to NULL in rows that
 * loaded are counted beside the reconciliation, which they do not change.
 */
import { describe, expect, it } from 'vitest';
import { summary } from '../../cli/reporter.ts';
import type { ExtractOutput } from '../../workflows/activities.ts';
import type { RunResult } from '../../workflows/embedded/runner.ts';

const extract = (entity: string, counts: Partial<ExtractOutput>): RunResult['outcomes'][number] => ({
  step: { id: `extract:crm.${entity}`, kind: 'extract', title: `extract crm.${entity}`, dependsOn: [], entity: { source: 'crm', entity } },
  status: 'done',
  seconds: 1,
  output: {
    source: 'crm', entity, file: `${entity}.csv`, status: 'loaded', rowsInFile: 3, rowsSkipped: 0, rowsRead: 3, rowsLoaded: 3, rowsQuarantined: 0,
    fieldsNulled: 0, extraColumns: [], missingColumns: [], watermarkBefore: null, watermarkAfter: null, window: null, seconds: 1, ...counts,
  } satisfies ExtractOutput,
});

describe('the run summary', () => {
  it('counts the field values set to NULL, and still reconciles rows', () => {
    const text = summary({ runId: 'r1', status: 'succeeded', seconds: 2, outcomes: [extract('tickets', { fieldsNulled: 2 }), extract('orders', { rowsLoaded: 2, rowsQuarantined: 1, fieldsNulled: 1 })] });
    expect(text).toContain('reconciled: rows read = rows loaded + rows quarantined');
    expect(text).toContain('3 field value(s) of loaded rows set to NULL');
  });

  it('says nothing of them when there were none', () => {
    expect(summary({ runId: 'r1', status: 'succeeded', seconds: 1, outcomes: [extract('tickets', {})] })).not.toContain('set to NULL');
  });
});
