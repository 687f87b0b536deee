import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../config/load.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../fixtures/csv.ts';

/** What DuckDB reports for a setting set by hand, to compare in its own formatting (1GB reads 953.6 MiB). */
async function reported(name: string, value: string): Promise<string> {
  const reference = await Warehouse.open(':memory:');
  try {
    await reference.run(`SET ${name} = '${value}'`);
    return (await reference.one<{ value: string }>(`SELECT current_setting('${name}') AS value`)).value;
  } finally {
    reference.close();
  }
}

describe('warehouse engine settings (configuration warehouse:)', () => {
  it('reach DuckDB: memory limit, temp directory and threads of the opened warehouse', async () => {
    const temp = join(tempDir(), 'spill');
    const { warehouse: engine } = parseConfig({ warehouse: { memory_limit: '1gb', temp_directory: temp, threads: 1 } });
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'), { engine });
    try {
      const settings = await warehouse.one<{ memory: string; temp: string; threads: number }>(
        `SELECT current_setting('memory_limit') AS memory, current_setting('temp_directory') AS temp, current_setting('threads')::INTEGER AS threads`,
      );
      expect(settings).toEqual({ memory: await reported('memory_limit', '1GB'), temp, threads: 1 });
    } finally {
      warehouse.close();
    }
  });

  it('leave DuckDB’s defaults when not set', async () => {
    const { warehouse: engine } = parseConfig({});
    expect(engine).toEqual({ memory_limit: null, temp_directory: null, threads: null });
    const warehouse = await Warehouse.open(':memory:', { engine });
    const plain = await Warehouse.open(':memory:');
    try {
      const sql = `SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads`;
      expect(await warehouse.one(sql)).toEqual(await plain.one(sql));
    } finally {
      warehouse.close();
      plain.close();
    }
  });

  it('a bad value is a configuration error with its path, before DuckDB sees it', () => {
    expect(() => parseConfig({ warehouse: { memory_limit: '4 gigs' } })).toThrow(/\n {2}warehouse\.memory_limit: expected a size such as '4GB'/);
    expect(() => parseConfig({ warehouse: { threads: 0 } })).toThrow(/\n {2}warehouse\.threads: /);
    expect(() => parseConfig({ warehouse: { memory: '4GB' } })).toThrow(/\n {2}warehouse\.memory: not a setting; the settings here are: memory_limit, temp_directory, threads/);
  });
});
