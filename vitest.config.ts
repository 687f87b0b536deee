import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // one real Temporal dev server for the whole run (skipped, with a note, without the CLI)
    globalSetup: ['test/workflows/temporal/server/global-setup.ts'],
    // DuckDB work is I/O and CPU heavy; the machine has two cores. Two files at a time, not
    // vitest's default of cores − 1 (one here): most long tests wait on a site build, a browser,
    // a Temporal server or a database for much of their time, and one at a time took 49 minutes.
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
