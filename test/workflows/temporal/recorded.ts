/**
 * The replay corpus: histories of real executions on a Temporal server, as fetched from it by
 * `npm run record-histories` (record-histories.ts), one JSON file each in histories/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

export interface HistoryJson {
  events: Array<Record<string, unknown>>;
}

export interface Recorded {
  name: string;
  workflowId: string;
  history: HistoryJson;
}

export function recordedHistories(): Recorded[] {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const { workflowId, ...history } = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as HistoryJson & { workflowId: string };
      return { name: file.replace(/\.json$/, ''), workflowId, history };
    });
}

export function recorded(name: string): Recorded {
  const found = recordedHistories().find((h) => h.name === name);
  if (!found) throw new Error(`no recorded history ${name}.json in ${HISTORIES_DIR}: run npm run record-histories`);
  return found;
}

/** A payload as the default data converter writes it (JSON, base64), decoded. */
export function decoded(payloads: unknown): unknown[] {
  const list = (payloads as { payloads?: Array<{ data?: string }> } | undefined)?.payloads ?? [];
  return list.map((p) => (p.data === undefined ? undefined : JSON.parse(Buffer.from(p.data, 'base64').toString('utf8'))));
}
