/**
 * The benchmark's baseline: the same work as one plain DuckDB SQL script with no validation,
 * no quarantine and no bookkeeping: read each CSV with DuckDB's type detection and create the
 * staging table (latest version per key, personal data hashed). Prints one JSON line.
 */
import { entities } from '../../sources/catalog.ts';
import { tableName } from '../../sources/contract.ts';
import { findEntityFile } from '../../sources/load/files.ts';
import { ident, literal, Warehouse } from '../../warehouse/warehouse.ts';

const [dataDir, warehousePath] = process.argv.slice(2);
if (!dataDir || !warehousePath) throw new Error('usage: baseline.ts DATA_DIR WAREHOUSE');

const warehouse = await Warehouse.open(warehousePath);
const started = Date.now();
for (const contract of entities) {
  const file = findEntityFile(dataDir, contract);
  if (!file) continue;
  const table = tableName(contract);
  await warehouse.run(`CREATE OR REPLACE TABLE raw.${table} AS SELECT * FROM read_csv(${literal(file.path)}, header = true, store_rejects = true)`);
  const pii = (contract.pii ?? []).map((c) => `sha256('salt' || ${ident(c)}) AS ${ident(c)}`);
  await warehouse.run(`CREATE OR REPLACE TABLE staging.${contract.entity} AS
    SELECT * ${pii.length ? `REPLACE (${pii.join(', ')})` : ''} FROM raw.${table}
    QUALIFY row_number() OVER (PARTITION BY ${contract.key.map(ident).join(', ')}) = 1`);
}
const total = (Date.now() - started) / 1000;
warehouse.close();
console.log(JSON.stringify({ total, peakMb: process.resourceUsage().maxRSS / 1024 }));
