/** The reference company: deterministic, complete, consistent, and carrying its planted effects. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { entities } from '../../../sources/catalog.ts';
import { generateCompany, ManifestSchema, parseScale, type Manifest } from '../../../sources/reference-company/generate.ts';
import { Warehouse, literal } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../fixtures/csv.ts';

const digest = (dir: string) => {
  const files: Record<string, string> = {};
  for (const source of ['crm', 'finance', 'hr']) {
    for (const file of readdirSync(join(dir, source))) files[`${source}/${file}`] = createHash('sha256').update(readFileSync(join(dir, source, file))).digest('hex');
  }
  files['manifest.json'] = createHash('sha256').update(readFileSync(join(dir, 'manifest.json'))).digest('hex');
  return files;
};

let dir: string;
let manifest: Manifest;
let warehouse: Warehouse;
const csv = (entity: string) => `read_csv(${literal(join(dir, `${entity.replace('.', '/')}.csv`))}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')`;
const rows = <T extends Record<string, unknown>>(sql: string) => warehouse.all<T>(sql);

beforeAll(async () => {
  dir = tempDir();
  manifest = await generateCompany({ outDir: dir, customers: 600, seed: 11 });
  warehouse = await Warehouse.open(':memory:');
});

describe('the reference company generator', () => {
  it('gives the same bytes for the same seed, and other bytes for another seed', async () => {
    const again = tempDir();
    await generateCompany({ outDir: again, customers: 600, seed: 11 });
    expect(digest(again)).toEqual(digest(dir));
    const other = tempDir();
    await generateCompany({ outDir: other, customers: 600, seed: 12 });
    expect(digest(other)['crm/orders.csv']).not.toEqual(digest(dir)['crm/orders.csv']);
  });

  it('writes every entity of the contract with exactly its columns, and a valid manifest', () => {
    for (const e of entities) {
      const header = readFileSync(join(dir, e.source, `${e.entity}.csv`), 'utf8').split('\n', 1)[0];
      expect(header, `${e.source}.${e.entity}`).toBe(Object.keys(e.schema.shape).join(','));
      expect(manifest.rows[`${e.source}.${e.entity}`], `${e.source}.${e.entity}`).toBeGreaterThan(0);
    }
    expect(ManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    expect(manifest).toMatchObject({ go_live: '2023-07-01', period: { start: '2021-07-01', end: '2025-07-01' }, control_group: { cut: 'region', values: ['west'] } });
  });

  it('lists the planted effects in METRICS.md terms', () => {
    const effects = Object.fromEntries(manifest.effects.map((e) => [e.kpi, e]));
    expect(effects['csat']).toMatchObject({ effect: 0.28, unit: 'relative', baseline: 0.6 });
    expect(effects['repeat_purchase_rate']).toMatchObject({ effect: 0.15, unit: 'relative' });
    expect(effects['complaint_first_response_hours']).toMatchObject({ effect: -0.4, direction: 'lower_is_better' });
    expect(effects['nps']).toMatchObject({ effect: 14, unit: 'points', baseline: expect.closeTo(10, 9) });
    expect(effects['first_response_hours']!.effect).toBeLessThan(-0.3); // the complaint mix shifts too
  });

  it('plants each data defect on the line the manifest names', () => {
    expect(manifest.defects.map((d) => `${d.entity}.${d.field}`)).toEqual([
      'crm.tickets.priority', 'crm.tickets.resolved_at', 'crm.tickets.customer_id', 'crm.orders.amount', 'crm.orders.ordered_at',
      'crm.surveys.score', 'hr.timesheets.hours_worked', 'finance.gl_entries.cost_center',
    ]);
    for (const d of manifest.defects) {
      const line = readFileSync(join(dir, `${d.entity.replace('.', '/')}.csv`), 'utf8').split('\n')[d.line - 1]!;
      expect(line, d.kind).toMatch(d.entity === 'hr.timesheets' ? /,25$/ : new RegExp(`^${d.id},`));
    }
    expect(manifest.duplicates).toHaveLength(3);
  });

  it('keeps its references and time order consistent', async () => {
    const orphans = await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM ${csv('crm.tickets')} t
      WHERE t.customer_id IS NOT NULL AND t.customer_id NOT IN (SELECT customer_id FROM ${csv('crm.customers')})`);
    expect(orphans).toEqual([{ n: 0 }]);
    const agents = await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM ${csv('crm.tickets')} t
      WHERE t.agent_id NOT IN (SELECT employee_id FROM ${csv('hr.employees')} WHERE role = 'agent')`);
    expect(agents).toEqual([{ n: 0 }]);
    const disorder = await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM ${csv('crm.tickets')}
      WHERE ticket_id NOT LIKE 'BAD%' AND (first_response_at < created_at OR resolved_at < first_response_at OR closed_at < resolved_at)`);
    expect(disorder).toEqual([{ n: 0 }]);
    // each ticket's status history is written in the order it happened
    const events = await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM (
      SELECT "at", lag("at") OVER (PARTITION BY ticket_id ORDER BY line) AS previous
      FROM (SELECT *, row_number() OVER () AS line FROM ${csv('crm.ticket_events')})) WHERE "at" < previous`);
    expect(events).toEqual([{ n: 0 }]);
    const referred = await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM ${csv('crm.referrals')} r JOIN ${csv('crm.customers')} c
      ON c.customer_id = r.referred_customer_id WHERE c.created_at <= r.referred_at`);
    expect(referred).toEqual([{ n: 0 }]);
  });

  it('writes comments in Chinese and English', async () => {
    const [languages] = await rows<{ zh: number; en: number }>(`SELECT count(*) FILTER (WHERE regexp_matches(comment, '[\\x{4e00}-\\x{9fff}]'))::INT AS zh,
      count(*) FILTER (WHERE regexp_matches(comment, '^[A-Za-z]'))::INT AS en FROM ${csv('crm.surveys')} WHERE comment IS NOT NULL`);
    expect(languages!.zh).toBeGreaterThan(50);
    expect(languages!.en).toBeGreaterThan(50);
  });

  it('parses scales', () => {
    expect([parseScale('5000'), parseScale('50k'), parseScale('1.5M')]).toEqual([5000, 50_000, 1_500_000]);
    expect(() => parseScale('lots')).toThrow(/expected a number of customers/);
  });
});

describe('the planted CSAT effect', () => {
  it('is visible in the raw answers: treated +28% after the ramp-up, control unchanged', async () => {
    const big = tempDir();
    await generateCompany({ outDir: big, customers: 6000, seed: 5 });
    const surveys = `read_csv(${literal(join(big, 'crm/surveys.csv'))}, all_varchar = true)`;
    const customers = `read_csv(${literal(join(big, 'crm/customers.csv'))}, all_varchar = true)`;
    const result = await rows<{ grp: string; ratio: number; n_after: number }>(`
      SELECT grp, avg(top2) FILTER (WHERE after) / avg(top2) FILTER (WHERE NOT after) AS ratio, count(*) FILTER (WHERE after)::INT AS n_after
      FROM (SELECT CASE WHEN c.region = 'west' THEN 'control' ELSE 'treated' END AS grp,
                   CASE WHEN CAST(s.score AS INT) >= 4 THEN 1.0 ELSE 0.0 END AS top2,
                   s.responded_at >= '2023-10-01' AS after
            FROM ${surveys} s JOIN ${customers} c USING (customer_id)
            WHERE s.survey_type = 'csat' AND s.response_id NOT LIKE 'BAD%' AND (s.responded_at < '2023-07-01' OR s.responded_at >= '2023-10-01'))
      GROUP BY grp ORDER BY grp`);
    const [control, treated] = result;
    expect(treated!.ratio).toBeGreaterThan(1.18);
    expect(treated!.ratio).toBeLessThan(1.38);
    expect(control!.ratio).toBeGreaterThan(0.8);
    expect(control!.ratio).toBeLessThan(1.2);
  });
});

describe('Parquet output', () => {
  it('holds the same values as CSV', async () => {
    const parquet = tempDir();
    await generateCompany({ outDir: parquet, customers: 300, seed: 11, format: 'parquet' });
    const plain = tempDir();
    await generateCompany({ outDir: plain, customers: 300, seed: 11 });
    const diff = await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM (
      SELECT * FROM read_csv(${literal(join(plain, 'crm/tickets.csv'))}, all_varchar = true)
      EXCEPT SELECT * FROM read_parquet(${literal(join(parquet, 'crm/tickets.parquet'))}))`);
    expect(diff).toEqual([{ n: 0 }]);
  });
});
