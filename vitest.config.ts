import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // one real Temporal dev server for the whole run (skipped, with a note, without the CLI)
    globalSetup: ['test/workflows/temporal/server/global-setup.ts'],
    // DuckDB work is I/O and CPU heavy; the machine has two cores.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
