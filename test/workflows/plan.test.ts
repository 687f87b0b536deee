import { describe, expect, it } from 'vitest';
import { entities } from '../../sources/catalog.ts';
import { pipelinePlan, planWaves } from '../../workflows/plan.ts';
import { runPlan } from '../../workflows/embedded/runner.ts';

describe('the pipeline plan', () => {
  it('extracts every entity, then transforms, tests and publishes', () => {
    const waves = planWaves(pipelinePlan({ entities, reports: false })).map((w) => w.map((s) => s.id));
    expect(waves).toEqual([entities.map((e) => `extract:${e.source}.${e.entity}`), ['transform:staging'], ['transform:marts'], ['test'], ['publish']]);
  });

  it('rejects a cycle or an unknown dependency', () => {
    expect(() => planWaves([{ id: 'a', kind: 'test', title: 'a', dependsOn: ['b'] }, { id: 'b', kind: 'test', title: 'b', dependsOn: ['a'] }])).toThrow(/cycle among: a, b/);
    expect(() => planWaves([{ id: 'a', kind: 'test', title: 'a', dependsOn: ['zzz'] }])).toThrow(/unknown step zzz/);
  });
});

describe('the embedded runner', () => {
  const plan = pipelinePlan({ entities: [{ source: 'crm', entity: 'orders' }, { source: 'crm', entity: 'tickets' }], reports: false });

  it('calls the activities in plan order with references, not rows', async () => {
    const calls: string[] = [];
    const record = (name: string) => async (input: unknown) => {
      calls.push(`${name} ${JSON.stringify(input)}`);
      return {};
    };
    const result = await runPlan(
      plan,
      { extractEntity: record('extractEntity') as never, buildModels: record('buildModels') as never, runDataTests: record('runDataTests') as never, publishSnapshot: record('publishSnapshot') as never },
      { runId: 'R1', dataDir: 'in' },
    );
    expect(result.status).toBe('succeeded');
    expect(calls).toEqual([
      'extractEntity {"runId":"R1","dataDir":"in","source":"crm","entity":"orders"}',
      'extractEntity {"runId":"R1","dataDir":"in","source":"crm","entity":"tickets"}',
      'buildModels {"runId":"R1","layer":"staging"}',
      'buildModels {"runId":"R1","layer":"marts"}',
      'runDataTests {"runId":"R1"}',
      'publishSnapshot {"runId":"R1"}',
    ]);
  });

  it('after a failed extract still runs the other extracts but nothing downstream', async () => {
    const ran: string[] = [];
    const result = await runPlan(
      plan,
      {
        extractEntity: (async (input: { entity: string }) => {
          ran.push(input.entity);
          if (input.entity === 'orders') throw new Error('orders.csv: missing required column(s) amount');
          return {};
        }) as never,
        buildModels: (async () => ran.push('transform')) as never,
      },
      { runId: 'R1', dataDir: 'in' },
    );
    expect(ran).toEqual(['orders', 'tickets']);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('extract:crm.orders: orders.csv: missing required column(s) amount');
    expect(result.outcomes.map((o) => `${o.step.id}=${o.status}`)).toEqual([
      'extract:crm.orders=failed', 'extract:crm.tickets=done', 'transform:staging=skipped', 'transform:marts=skipped', 'test=skipped', 'publish=skipped',
    ]);
  });
});
