import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertPassed, buildModel, testModel } from '../../../transforms/framework/build.ts';
import { invariant, relationship } from '../../../transforms/framework/data-tests.ts';
import { defineModel, type BuildContext } from '../../../transforms/framework/model.ts';
import { parseConfig } from '../../../config/load.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';

let context: BuildContext;
beforeAll(async () => {
  const warehouse = await Warehouse.open(':memory:');
  await warehouse.run(`CREATE TABLE staging.customers AS SELECT * FROM (VALUES ('C1'), ('C2')) t(customer_id)`);
  context = { warehouse, config: parseConfig({}), piiSalt: 'test-salt-123' };
});
afterAll(() => context.warehouse.close());

const tickets = (rows: string) =>
  defineModel({
    name: 'staging.tickets_example',
    description: 'an example model',
    grain: 'one row per ticket',
    key: ['ticket_id'],
    dependsOn: ['staging.customers'],
    contract: z.object({
      ticket_id: z.string(),
      customer_id: z.string(),
      priority: z.enum(['high', 'low']),
      contacts: z.int().min(0),
      created_at: z.iso.datetime(),
      resolved_at: z.iso.datetime().nullable(),
    }),
    tests: [
      relationship('customer_id', 'staging.customers', 'customer_id'),
      invariant('resolved_at ≥ created_at', 'resolved_at >= created_at', ['ticket_id']),
    ],
    build: () => `SELECT * FROM (VALUES ${rows}) t(ticket_id, customer_id, priority, contacts, created_at, resolved_at)`,
  });

const ok = `('T1', 'C1', 'high', 1, TIMESTAMP '2024-01-01 10:00', TIMESTAMP '2024-01-01 12:00')`;

describe('data tests', () => {
  it('pass on a model that keeps its contract', async () => {
    const model = tickets(ok);
    await buildModel(context, model);
    const results = await testModel(context, model);
    expect(results.every((r) => r.failures === 0)).toBe(true);
    expect(results.map((r) => r.test)).toEqual(
      expect.arrayContaining(['contract columns', 'unique(ticket_id)', 'not_null(priority)', 'accepted_values(priority)', 'range(contacts: contacts >= 0)']),
    );
  });

  it('a failing test names the model, the test and sample offending keys', async () => {
    const model = tickets(
      `${ok}, ('T1', 'C1', 'high', 1, TIMESTAMP '2024-01-01 10:00', NULL),
       ('T2', 'C9', 'urgent', -1, TIMESTAMP '2024-01-02 10:00', TIMESTAMP '2024-01-01 10:00')`,
    );
    await buildModel(context, model);
    const results = await testModel(context, model);
    const failed = Object.fromEntries(results.filter((r) => r.failures > 0).map((r) => [r.test, r.sample]));
    expect(failed).toEqual({
      'unique(ticket_id)': ['T1'],
      'accepted_values(priority)': ['T2'],
      'range(contacts: contacts >= 0)': ['T2'],
      'relationship(customer_id → staging.customers.customer_id)': ['C9'],
      'invariant(resolved_at ≥ created_at)': ['T2'],
    });
    expect(() => assertPassed(results)).toThrow(
      /5 data test\(s\) failed:\n {2}staging\.tickets_example › unique\(ticket_id\): 1 offending row\(s\), e\.g\. T1\n/,
    );
  });

  it('a table whose columns drift from the contract fails before any other test', async () => {
    const model = { ...tickets(ok), build: () => `SELECT 'T1' AS ticket_id, 'x' AS surprise` };
    await buildModel(context, model);
    const [columns, ...rest] = await testModel(context, model);
    expect(columns).toMatchObject({ test: 'contract columns', failures: 6 }); // five missing, one extra
    expect(columns!.sample).toContain('column customer_id is missing');
    expect(rest).toEqual([]);
  });

  it('a relationship of severity warn is reported but does not fail the build', async () => {
    const model = { ...tickets(`('T2', 'C9', 'high', 1, TIMESTAMP '2024-01-02 10:00', CAST(NULL AS TIMESTAMP))`), tests: [relationship('customer_id', 'staging.customers', 'customer_id', { severity: 'warn' })] };
    await buildModel(context, model);
    const results = await testModel(context, model);
    expect(results.find((r) => r.test.startsWith('relationship'))).toMatchObject({ severity: 'warn', failures: 1 });
    expect(() => assertPassed(results)).not.toThrow();
  });
});
