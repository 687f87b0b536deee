/**
 * A worker or client that cannot reach the Temporal server exits within seconds with a message
 * naming the address and how to start a local server; it never hangs. Real processes, as a
 * user or a supervisor would start them.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../../fixtures/csv.ts';

function crmEval(args: string[], signalAfterMs?: number): Promise<{ code: number | null; signal: string | null; err: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/crm-eval.js', ...args], { env: { ...process.env, CI: 'true' } });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    if (signalAfterMs) setTimeout(() => child.kill('SIGTERM'), signalAfterMs);
    child.on('close', (code, signal) => resolve({ code, signal, err, seconds: (Date.now() - started) / 1000 }));
  });
}

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const expectHelpfulExit = (result: { code: number | null; err: string; seconds: number }, address: string, reason: RegExp, within: number) => {
  expect(result.err).toContain(`cannot reach the Temporal server at ${address}`);
  expect(result.err).toMatch(reason);
  expect(result.err).toContain('temporal server start-dev');
  expect(result.code).toBe(1);
  expect(result.seconds).toBeLessThan(within);
};

describe('an unreachable Temporal server', () => {
  it('on a closed port: the worker and a client exit at once', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const warehouse = join(tempDir(), 'w.duckdb');
    const [worker, status] = await Promise.all([
      crmEval(['worker', '--address', address, '--warehouse', warehouse]),
      crmEval(['status', 'some-run', '--address', address]),
    ]);
    expectHelpfulExit(worker, address, /connection refused/, 8);
    expectHelpfulExit(status, address, /connection refused/, 8);
  });

  it('that accepts connections but never answers: they give up after the connect timeout', async () => {
    const silent = createServer(() => undefined); // accepts and says nothing
    const address = `127.0.0.1:${await listen(silent)}`;
    try {
      const warehouse = join(tempDir(), 'w.duckdb');
      const [worker, start] = await Promise.all([
        crmEval(['worker', '--address', address, '--connect-timeout', '1.5', '--warehouse', warehouse]),
        crmEval(['start', 'nightly', '--address', address, '--connect-timeout', '1.5']),
      ]);
      // Our timer usually fires first; on a loaded machine the SDK's own deadline may win the race.
      const timedOut = /no answer within 1\.5 s|Failed to connect before the deadline/;
      expectHelpfulExit(worker, address, timedOut, 10);
      expectHelpfulExit(start, address, timedOut, 10);
    } finally {
      silent.close();
    }
  });

  it('while a worker waits for it, SIGTERM still stops the worker (the Temporal runtime does not swallow it)', async () => {
    const silent = createServer(() => undefined);
    const address = `127.0.0.1:${await listen(silent)}`;
    try {
      const worker = await crmEval(['worker', '--address', address, '--connect-timeout', '60', '--warehouse', join(tempDir(), 'w.duckdb')], 1500);
      expect(worker.signal).toBe('SIGTERM');
      expect(worker.seconds).toBeLessThan(6);
    } finally {
      silent.close();
    }
  });
});
