/** The reference company: deterministic, complete, consistent, and carrying its planted effects. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../config/load.ts';
import { entities } from '../../../sources/catalog.ts';
import { REFERENCE_ROLLOUT, REFERENCE_SCALES } from '../../../sources/reference-company/rollout.ts';
import { generateCompany, ManifestSchema, parseScale, type Manifest } from '../../../sources/reference-company/generate.ts';
import { Warehouse, literal } from '../../../warehouse/warehouse.ts';
import { tempDir as fixtureDir } from '../../fixtures/csv.ts';
import { contractViolations, readCsv } from './contract-check.ts';

/** sha256 of every file the generator wrote */
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
/** e.g. csv('crm.tickets') → read_csv(...) of that entity's file, every value as text */
const csv = (entity: string, from = dir) => readCsv(join(from, `${entity.replace('.', '/')}.csv`));
const rows = <T extends Record<string, unknown>>(sql: string) => warehouse.all<T>(sql);
const count = async (sql: string) => (await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM (${sql})`))[0]!.n;

/** a fresh directory under os.tmpdir(), removed after the tests (the 20,000-customer company is ~40 MB) */
const made: string[] = [];
const tempDir = () => {
  made.push(fixtureDir());
  return made[made.length - 1]!;
};
afterAll(() => {
  warehouse?.close();
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

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
    const [a, b] = [digest(dir), digest(other)];
    for (const file of ['crm/customers.csv', 'crm/orders.csv', 'crm/tickets.csv', 'crm/surveys.csv', 'hr/timesheets.csv']) expect(b[file], file).not.toEqual(a[file]);
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
    for (const kpi of ['resolution_hours', 'fcr', 'aht_minutes', 'ces_avg', 'complaint_rate']) expect(effects[kpi], kpi).toBeDefined();
  });

  it('keeps every row but the planted defects within its contract, and each planted defect breaks it', async () => {
    for (const e of entities) {
      const name = `${e.source}.${e.entity}`;
      const failing = await contractViolations(warehouse, e, join(dir, e.source, `${e.entity}.csv`));
      const planted = manifest.defects.filter((d) => d.entity === name).map((d) => d.line);
      expect(failing, name).toEqual(planted.sort((a, b) => a - b));
    }
    expect(new Set(manifest.defects.map((d) => d.field)).size).toBeGreaterThanOrEqual(6); // varied ways of breaking
  });

  it('plants each data defect on the line the manifest names, and re-delivers a few customers', async () => {
    for (const d of manifest.defects) {
      const line = readFileSync(join(dir, `${d.entity.replace('.', '/')}.csv`), 'utf8').split('\n')[d.line - 1]!;
      expect(line, d.kind).toMatch(d.entity === 'hr.timesheets' ? /,25$/ : new RegExp(`^${d.id},`));
    }
    expect(manifest.duplicates).toHaveLength(3);
    const customers = readFileSync(join(dir, 'crm/customers.csv'), 'utf8').split('\n');
    for (const d of manifest.duplicates) {
      // the later row in the file is the updated version
      const first = customers.findIndex((l) => l.startsWith(`${d.id},`));
      expect(first + 1, d.id).toBeLessThan(d.line);
      expect(customers[d.line - 1]!.startsWith(`${d.id},`)).toBe(true);
    }
  });

  it('generates the null scenario: no CRM effect, the same customers, and a manifest whose true effects are all zero', async () => {
    const none = tempDir();
    const m = await generateCompany({ outDir: none, customers: 600, seed: 11, effects: 'none' });
    expect(manifest.effects_scenario).toBe('planted');
    expect(m.effects_scenario).toBe('none');
    expect(m.effects.map((e) => e.kpi)).toEqual(manifest.effects.map((e) => e.kpi));
    for (const e of m.effects) expect(e.effect, e.kpi).toBe(0);
    expect(digest(none)['crm/customers.csv']).toBe(digest(dir)['crm/customers.csv']);
    // CSAT top-2-box of the treated (outside the west region) once the ramp-up is over: +28% planted, none without
    const top2 = async (from: string) => (await rows<{ share: number }>(`SELECT avg(CASE WHEN s.score::INT >= 4 THEN 1.0 ELSE 0.0 END) AS share
      FROM ${csv('crm.surveys', from)} s JOIN ${csv('crm.customers', from)} c USING (customer_id)
      WHERE s.survey_type = 'csat' AND c.region <> 'west' AND s.responded_at >= '2023-10-01' AND s.response_id NOT LIKE 'BAD%'`))[0]!.share;
    expect(await top2(dir)).toBeGreaterThan(0.7);
    expect(await top2(none)).toBeGreaterThan(0.5);
    expect(await top2(none)).toBeLessThan(0.7);
  });

  it('generates a clean company when asked to', async () => {
    const clean = tempDir();
    const m = await generateCompany({ outDir: clean, customers: 300, seed: 11, defects: false });
    expect([m.defects, m.duplicates]).toEqual([[], []]);
    for (const e of [entities[0]!, entities[2]!, entities[4]!]) {
      expect(await contractViolations(warehouse, e, join(clean, e.source, `${e.entity}.csv`)), e.entity).toEqual([]);
    }
  });

  it('refers only to existing customers, and to agents employed on the day of the ticket', async () => {
    expect(await count(`SELECT * FROM ${csv('crm.tickets')} WHERE customer_id NOT IN (SELECT customer_id FROM ${csv('crm.customers')})`)).toBe(0);
    expect(await count(`SELECT * FROM ${csv('crm.tickets')} t WHERE NOT EXISTS (
      SELECT 1 FROM ${csv('hr.employees')} e WHERE e.employee_id = t.agent_id AND e.role = 'agent'
        AND e.hired_at <= left(t.created_at, 10) AND (e.terminated_at IS NULL OR left(t.created_at, 10) <= e.terminated_at))`)).toBe(0);
    for (const entity of ['crm.orders', 'crm.surveys', 'crm.interactions']) {
      expect(await count(`SELECT * FROM ${csv(entity)} WHERE customer_id NOT IN (SELECT customer_id FROM ${csv('crm.customers')})`), entity).toBe(0);
    }
    // transactional surveys answer a resolved ticket of the same customer, after it was resolved
    expect(await count(`SELECT * FROM ${csv('crm.surveys')} s LEFT JOIN ${csv('crm.tickets')} t USING (ticket_id)
      WHERE s.survey_type <> 'nps' AND s.response_id NOT LIKE 'BAD%' AND (t.resolved_at IS NULL OR t.customer_id <> s.customer_id OR s.responded_at < t.resolved_at)`)).toBe(0);
    expect(await count(`SELECT * FROM ${csv('crm.surveys')} WHERE survey_type = 'nps' AND ticket_id IS NOT NULL`)).toBe(0);
    // a converted referral names a customer created after the referral
    expect(await count(`SELECT * FROM ${csv('crm.referrals')} r LEFT JOIN ${csv('crm.customers')} c ON c.customer_id = r.referred_customer_id
      WHERE (r.converted = 'true') <> (r.referred_customer_id IS NOT NULL) OR c.created_at <= r.referred_at`)).toBe(0);
    expect(await count(`SELECT * FROM ${csv('crm.referrals')} WHERE converted = 'true'`)).toBeGreaterThan(0);
  });

  it('keeps ticket timestamps in order, and each ticket’s status history matches them', async () => {
    const tickets = `SELECT * FROM ${csv('crm.tickets')} WHERE ticket_id NOT LIKE 'BAD%'`;
    expect(await count(`${tickets} AND (first_response_at < created_at OR resolved_at < first_response_at OR closed_at < resolved_at)`)).toBe(0);
    expect(await count(`${tickets} AND resolved_at IS NULL`)).toBeGreaterThan(0); // still open at the end
    expect(await count(`SELECT * FROM (${tickets}) t LEFT JOIN (
        SELECT ticket_id, min("at") FILTER (WHERE status = 'new') AS new, min("at") FILTER (WHERE status = 'open') AS open,
               max("at") FILTER (WHERE status = 'solved') AS solved, max("at") FILTER (WHERE status = 'closed') AS closed, max("at") AS last
        FROM ${csv('crm.ticket_events')} GROUP BY ticket_id) e USING (ticket_id)
      WHERE e.new IS DISTINCT FROM t.created_at OR e.open IS DISTINCT FROM t.first_response_at
         OR e.solved IS DISTINCT FROM t.resolved_at OR e.closed IS DISTINCT FROM t.closed_at OR e.last > coalesce(t.closed_at, t.resolved_at, e.last)`)).toBe(0);
    // each ticket's status history is written in the order it happened, with waiting spans
    expect(await count(`SELECT * FROM (SELECT "at", lag("at") OVER (PARTITION BY ticket_id ORDER BY r) AS previous
      FROM (SELECT *, row_number() OVER () AS r FROM ${csv('crm.ticket_events')})) WHERE "at" < previous`)).toBe(0);
    const statuses = await rows<{ status: string }>(`SELECT DISTINCT status FROM ${csv('crm.ticket_events')} ORDER BY status`);
    expect(statuses.map((s) => s.status)).toEqual(['closed', 'new', 'open', 'pending_customer', 'pending_internal', 'solved']);
  });

  it('writes comments in Chinese and English, about half each', async () => {
    const [languages] = await rows<{ zh: number; en: number }>(`SELECT count(*) FILTER (WHERE regexp_matches(comment, '[\\x{4e00}-\\x{9fff}]'))::INT AS zh,
      count(*) FILTER (WHERE regexp_matches(comment, '^[A-Za-z]'))::INT AS en FROM ${csv('crm.surveys')} WHERE comment IS NOT NULL`);
    expect(languages!.zh / (languages!.zh + languages!.en)).toBeGreaterThan(0.35);
    expect(languages!.zh / (languages!.zh + languages!.en)).toBeLessThan(0.65);
  });

  it('books the CRM programme as project crm: implementation before go-live, licences after', async () => {
    const lines = await rows<{ description: string; first: string; last: string }>(`SELECT description, min(posted_on) AS first, max(posted_on) AS last
      FROM ${csv('finance.gl_entries')} WHERE project = 'crm' GROUP BY description ORDER BY first`);
    expect(lines.find((l) => l.description === 'CRM implementation')!.last < '2023-07-01').toBe(true);
    expect(lines.find((l) => l.description === 'CRM licences')).toMatchObject({ first: expect.stringMatching(/^2023-07/), last: '2025-06-30' });
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
    // top-2-box share after the ramp-up (from 2023-10-01) ÷ before go-live, per group
    const result = await rows<{ grp: string; ratio: number }>(`
      SELECT grp, avg(top2) FILTER (WHERE after) / avg(top2) FILTER (WHERE NOT after) AS ratio
      FROM (SELECT CASE WHEN c.region = 'west' THEN 'control' ELSE 'treated' END AS grp,
                   CASE WHEN CAST(s.score AS INT) >= 4 THEN 1.0 ELSE 0.0 END AS top2,
                   s.responded_at >= '2023-10-01' AS after
            FROM ${csv('crm.surveys', big)} s JOIN (SELECT DISTINCT customer_id, region FROM ${csv('crm.customers', big)}) c USING (customer_id)
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
  it('holds the same values as CSV, every entity', async () => {
    const parquet = tempDir();
    const m = await generateCompany({ outDir: parquet, customers: 300, seed: 11, format: 'parquet' });
    const plain = tempDir();
    await generateCompany({ outDir: plain, customers: 300, seed: 11 });
    expect(m.format).toBe('parquet');
    for (const e of entities) {
      const a = `SELECT * FROM ${readCsv(join(plain, e.source, `${e.entity}.csv`))}`;
      const b = `SELECT * FROM read_parquet(${literal(join(parquet, e.source, `${e.entity}.parquet`))})`;
      expect(await count(`(${a} EXCEPT ALL ${b}) UNION ALL (${b} EXCEPT ALL ${a})`), e.entity).toBe(0);
      expect(await count(b), e.entity).toBe(m.rows[`${e.source}.${e.entity}`]);
    }
    expect(readdirSync(join(parquet, 'crm')).every((f) => f.endsWith('.parquet'))).toBe(true);
  });
});

describe('a larger company', () => {
  it('generates 20,000 customers, reporting progress as it goes', async () => {
    const progress = new Set<string>();
    const m = await generateCompany({ outDir: tempDir(), customers: 20_000, seed: 1, onProgress: (entity) => progress.add(entity) });
    expect(m.rows['crm.customers']).toBe(20_000 + m.duplicates.length);
    expect(m.rows['crm.orders']).toBeGreaterThan(100_000);
    expect(progress).toContain('crm.orders');
  });
});

describe('a staggered rollout (generate --rollout waves)', () => {
  it('states the true effect per wave and the average on the treated, and plants each wave from its own go-live', async () => {
    const dir = tempDir();
    const config = parseConfig({ rollout: REFERENCE_ROLLOUT });
    const staggered = await generateCompany({ outDir: dir, customers: 3000, seed: 3, config, waveScales: REFERENCE_SCALES });
    const waves = staggered.rollout!.waves;
    expect(waves.map((w) => [w.name, w.go_live, w.effect_scale])).toEqual([['north', '2023-01-01', 1.25], ['south', '2023-07-01', 1], ['east', '2024-01-01', 0.75]]);
    expect(waves.find((w) => w.name === 'north')!.effects.find((e) => e.kpi === 'csat')!.effect).toBeCloseTo(0.28 * 1.25, 12);
    // the average on the treated weights each wave by its customers
    const treated = waves.reduce((s, w) => s + w.customers, 0);
    const att = waves.reduce((s, w) => s + (w.customers / treated) * 0.28 * w.effect_scale, 0);
    expect(staggered.rollout!.att.find((e) => e.kpi === 'csat')!.effect).toBeCloseTo(att, 12);
    expect(staggered.rollout!.att.map((e) => e.kpi)).not.toContain('repeat_purchase_rate');
    // CSAT top-2-box of each region after its own ramp-up (3 months) ÷ the 18 months before its go-live
    const result = await rows<{ region: string; ratio: number }>(`
      WITH answers AS (
        SELECT c.region, CASE WHEN CAST(s.score AS INT) >= 4 THEN 1.0 ELSE 0.0 END AS top2, CAST(s.responded_at AS TIMESTAMP) AS responded_at
        FROM ${csv('crm.surveys', dir)} s JOIN (SELECT DISTINCT customer_id, region FROM ${csv('crm.customers', dir)}) c USING (customer_id)
        WHERE s.survey_type = 'csat' AND s.response_id NOT LIKE 'BAD%'),
      go_live AS (SELECT * FROM (VALUES ('north', TIMESTAMP '2023-01-01'), ('south', TIMESTAMP '2023-07-01'), ('east', TIMESTAMP '2024-01-01')) v(region, day))
      SELECT region, avg(top2) FILTER (WHERE responded_at >= day + INTERVAL 3 MONTH)
        / avg(top2) FILTER (WHERE responded_at >= day - INTERVAL 18 MONTH AND responded_at < day) AS ratio
      FROM answers JOIN go_live USING (region)
      GROUP BY region ORDER BY region`);
    const ratio = Object.fromEntries(result.map((r) => [r.region, r.ratio]));
    // planted: north × 1.35, south × 1.28, east × 1.21 (a few hundred answers each: loose bounds)
    expect(ratio.north).toBeGreaterThan(1.2);
    expect(ratio.south).toBeGreaterThan(1.1);
    expect(ratio.east).toBeGreaterThan(1.0);
    expect(ratio.east).toBeLessThan(ratio.north!);
  });
});
