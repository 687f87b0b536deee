/** Test suites per database server (kept apart from servers.ts, which scripts and the benchmark import too). */
import { describe } from 'vitest';
import type { DialectName } from './servers.ts';

/** One suite per server, `<title> on postgres|mysql`; skipped for a server that is not available. */
export function describeOnServers(title: string, servers: readonly DialectName[], body: (dialect: DialectName) => void): void {
  for (const dialect of ['postgres', 'mysql'] as const) describe.skipIf(!servers.includes(dialect))(`${title} on ${dialect}`, () => body(dialect));
}
