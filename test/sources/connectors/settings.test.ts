/**
 * The `sources:` settings: checked with their path, identifiers restricted to plain names (they
 * are quoted by kysely too, but nothing else ever reaches the SQL), secrets only by variable name.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../config/load.ts';
import { durationSeconds } from '../../../config/sources.ts';
import { configuredSources } from '../../../sources/connectors/settings.ts';
import { openConnector } from '../../../sources/connectors/registry.ts';

const ledger = { kind: 'database', dialect: 'postgres', database: 'erp', user: 'reader', table: 'ledger.gl_lines', columns: { entry_id: 'id' } };

describe('sources settings', () => {
  it('default to files: an entity not listed is read from <data>/<source>/<entity>.csv', () => {
    expect(parseConfig({}).sources).toEqual({});
    expect(configuredSources(parseConfig({ sources: { 'crm.orders': { kind: 'file' } } }))).toEqual([]);
  });

  it('fill in the defaults of a database source', () => {
    const config = parseConfig({ sources: { 'finance.gl_entries': { ...ledger, incremental: { updated_at: 'changed_at', safety_lag: '5 minutes' } } } });
    expect(config.sources['finance.gl_entries']).toMatchObject({
      host: '127.0.0.1', ssl: false, chunk_rows: 10_000, incremental: { updated_at: 'changed_at', safety_lag: 300 },
    });
    const [source] = configuredSources(config);
    expect(source!.path).toBe('sources.finance.gl_entries');
  });

  it('report a bad setting with its path', () => {
    const bad = (settings: object) => () => parseConfig({ sources: { 'finance.gl_entries': { ...ledger, ...settings } } });
    expect(bad({ dialect: 'oracle' })).toThrow(/\n {2}sources\.finance\.gl_entries\.dialect: /);
    expect(bad({ port: 99999 })).toThrow(/\n {2}sources\.finance\.gl_entries\.port: /);
    expect(bad({ password: 'hunter2' })).toThrow(/sources\.finance\.gl_entries\.password: not a setting; did you mean password_env\?/);
    expect(bad({ password_env: 'not a name' })).toThrow(/sources\.finance\.gl_entries\.password_env: expected the name of an environment variable/);
    expect(bad({ chunk_rows: 10 })).toThrow(/sources\.finance\.gl_entries\.chunk_rows: /);
    expect(bad({ incremental: { updated_at: 'u', safety_lag: 'soon' } })).toThrow(/sources\.finance\.gl_entries\.incremental\.safety_lag: expected a duration/);
    expect(() => parseConfig({ sources: { 'finance.gl_entries': { kind: 'ftp' } } })).toThrow(/sources\.finance\.gl_entries\.kind: expected file, database or http/);
    expect(() => parseConfig({ sources: { gl_entries: { kind: 'file' } } })).toThrow(/sources\.gl_entries: expected <source>\.<entity>/);
  });

  it('take identifiers only as plain names: no quotes, spaces, comments or statements', () => {
    for (const table of ['gl_lines; DROP TABLE x', 'gl"lines', 'a.b.c', 'gl lines', '1gl', "gl'--"]) {
      expect(() => parseConfig({ sources: { 'finance.gl_entries': { ...ledger, table } } }), table).toThrow(/\.table: expected table or schema\.table/);
    }
    expect(() => parseConfig({ sources: { 'finance.gl_entries': { ...ledger, columns: { entry_id: 'id) OR (1=1' } } } })).toThrow(
      /sources\.finance\.gl_entries\.columns\.entry_id: expected a plain identifier/,
    );
    expect(() => parseConfig({ sources: { 'finance.gl_entries': { ...ledger, database: 'erp`; --' } } })).toThrow(/\.database: expected a plain identifier/);
  });

  it('check entities and mapped columns against the catalog, with their paths', () => {
    const config = parseConfig({
      sources: {
        'finance.gl_entrys': ledger,
        'finance.gl_entries': { ...ledger, columns: { entry: 'id', posted_on: 'd', account: 'd' } },
      },
    });
    expect(() => configuredSources(config)).toThrow(/\n {2}sources\.finance\.gl_entrys: unknown entity; expected one of crm\.customers, /);
    expect(() => configuredSources(config)).toThrow(/\n {2}sources\.finance\.gl_entries\.columns\.entry: not a column of finance\.gl_entries \(its columns: entry_id, /);
    expect(() => configuredSources(config)).toThrow(/\n {2}sources\.finance\.gl_entries\.columns: database column d is mapped twice/);
  });

  it('refuse a connector for a source the company says it does not deliver', () => {
    const config = parseConfig({ sources_provided: ['crm', 'hr'], sources: { 'finance.gl_entries': ledger } });
    expect(() => configuredSources(config)).toThrow(/\n {2}sources\.finance\.gl_entries: finance is not in sources_provided; add it there, or remove this source/);
  });

  it('read the password only from the variable named, and say which setting named it when it is unset', () => {
    const [source] = configuredSources(parseConfig({ sources: { 'finance.gl_entries': { ...ledger, password_env: 'ERP_PASSWORD' } } }));
    expect(() => openConnector(source!, {})).toThrow(/^sources\.finance\.gl_entries\.password_env: the environment variable ERP_PASSWORD is not set/);
  });

  it("take a preset: its table, columns and incremental settings, under the configuration's own", () => {
    const connection = { kind: 'database', dialect: 'mysql', database: 'erp', user: 'reader', preset: 'reference-erp' };
    const [gl, timesheets] = configuredSources(
      parseConfig({ sources: { 'finance.gl_entries': { ...connection, table: 'gl_lines' }, 'hr.timesheets': { ...connection, columns: { hours_worked: 'hours' } } } }),
    );
    expect(gl!.settings).toMatchObject({ table: 'gl_lines', columns: { entry_id: 'id', posted_on: 'posting_date' }, incremental: { updated_at: 'updated_at', key: 'id', safety_lag: 300 } });
    expect(timesheets!.settings).toMatchObject({ table: 'hr.timesheets', columns: { hours_worked: 'hours' }, incremental: { updated_at: 'updated_at' } });
    expect(() => configuredSources(parseConfig({ sources: { 'crm.orders': connection } }))).toThrow(/\n {2}sources\.crm\.orders\.preset: preset reference-erp has no crm\.orders/);
    expect(() => configuredSources(parseConfig({ sources: { 'hr.employees': { ...connection, preset: 'sap' } } }))).toThrow(
      /sources\.hr\.employees\.preset: unknown preset sap; available: reference-erp/,
    );
    const { preset: _, ...noPreset } = connection;
    expect(() => configuredSources(parseConfig({ sources: { 'hr.employees': noPreset } }))).toThrow(/sources\.hr\.employees\.table: required/);
  });

  it('read durations', () => {
    expect(['90s', '5 minutes', '1 hour', '2 days', '1.5 min', '0s'].map(durationSeconds)).toEqual([90, 300, 3600, 172800, 90, 0]);
    expect(durationSeconds('soon')).toBeNull();
  });
});
