import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { discoverModels, orderModels } from '../../../transforms/framework/discover.ts';
import { defineModel, type Model } from '../../../transforms/framework/model.ts';
import { entities } from '../../../sources/catalog.ts';

const stub = (name: string, dependsOn: string[]): Model =>
  defineModel({ name, dependsOn, description: '', grain: 'one row', key: ['id'], contract: z.object({ id: z.string() }), build: () => 'SELECT 1 AS id' });

describe('model discovery', () => {
  it('finds a staging model for every source entity in the transforms folder', async () => {
    const names = (await discoverModels()).map((m) => m.name);
    for (const e of entities) expect(names).toContain(`staging.${e.entity}`);
  });

  it('orders the discovered models so each comes after what it reads', async () => {
    const order = orderModels(await discoverModels()).map((m) => m.name);
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('staging.customers', 'staging.orders');
    before('staging.employees', 'staging.tickets');
    before('staging.tickets', 'staging.ticket_events');
  });

  it('orders by dependency, ties by name, whatever the input order', () => {
    const models = [stub('marts.c', ['staging.b', 'staging.a']), stub('staging.b', ['staging.a']), stub('staging.a', ['raw.crm_orders'])];
    expect(orderModels(models).map((m) => m.name)).toEqual(['staging.a', 'staging.b', 'marts.c']);
    expect(orderModels([...models].reverse()).map((m) => m.name)).toEqual(['staging.a', 'staging.b', 'marts.c']);
  });

  it('names the models of a cycle', () => {
    const models = [stub('staging.a', ['staging.c']), stub('staging.b', ['staging.a']), stub('staging.c', ['staging.b'])];
    expect(() => orderModels(models)).toThrow('model dependency cycle: staging.a → staging.c → staging.b → staging.a');
  });

  it('names a dependency that no model builds', () => {
    expect(() => orderModels([stub('marts.x', ['staging.missing'])])).toThrow('model marts.x depends on staging.missing, which no model builds');
  });

  it('rejects a badly named model', () => {
    expect(() => stub('Marts.X', [])).toThrow(/must be staging.<name> or marts.<name>/);
  });
});
