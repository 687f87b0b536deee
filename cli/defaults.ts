/** Defaults shared by the commands, so `npm start` needs no flags. */
export const DEFAULT_DATA_DIR = 'data/reference-company';
export const DEFAULT_SCALE = '5000';
export const DEFAULT_SEED = 42;
export const DEFAULT_SITE_DIR = 'build';
export const DEFAULT_WAREHOUSE = 'data/warehouse.duckdb';
