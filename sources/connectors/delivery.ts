/**
 * A connector's delivery: the chunks of one extract written as JSON Lines part files of the run,
 * `<root>/<run id>/<source>/<entity>/part-00001.jsonl`, ..., plus `progress.json`, the list of
 * committed parts with the cursor after each. Each line carries its place in the whole delivery
 * (`__delivery_row`, see load/files.ts), so the loader reads the rows in the order they came. A part is committed when its file is complete on
 * disk (written to a temporary name, flushed, renamed) and listed in progress.json (replaced
 * atomically the same way). A retried extract finds the committed parts and resumes after the
 * last one's cursor; anything not listed (a part cut off by a crash) is deleted. Each chunk is
 * written as it arrives, so memory holds one chunk, whatever the size of the table.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DELIVERY_ROW } from '../load/files.ts';
import type { Chunk, Cursor } from './connector.ts';

export interface DeliveryPart {
  file: string;
  rows: number;
  cursor: Cursor | null;
}

interface Progress {
  /** what was read: a resumed extract must be the same read (same target, mapping, mark, window) */
  fingerprint: string;
  columns: string[];
  parts: DeliveryPart[];
  /** every row of the read is in the parts */
  complete: boolean;
  /** the delivery holds only changed rows (see LoadRequest.delivery) */
  changesOnly: boolean | null;
}

const PROGRESS = 'progress.json';

export function deliveryDir(root: string, runId: string, source: string, entity: string): string {
  return join(root, safeName(runId), source, entity);
}

/** A stable hash of what identifies a read. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

export class Delivery {
  private constructor(
    readonly dir: string,
    private progress: Progress,
    /** parts found from an earlier attempt */
    readonly resumedParts: number,
  ) {}

  /**
   * Opens the delivery folder: the committed parts of an earlier attempt of the same read are
   * kept (to resume after), anything else there is removed.
   */
  static async open(dir: string, read: { fingerprint: string }): Promise<Delivery> {
    mkdirSync(dir, { recursive: true });
    let progress: Progress | null = null;
    if (existsSync(join(dir, PROGRESS))) {
      try {
        progress = JSON.parse(await readFile(join(dir, PROGRESS), 'utf8')) as Progress;
      } catch {
        progress = null;
      }
    }
    if (!progress || progress.fingerprint !== read.fingerprint || !progress.parts.every((p) => existsSync(join(dir, p.file)))) {
      progress = { fingerprint: read.fingerprint, columns: [], parts: [], complete: false, changesOnly: null };
    }
    const listed = new Set([PROGRESS, ...progress.parts.map((p) => p.file)]);
    for (const name of readdirSync(dir)) if (!listed.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
    return new Delivery(dir, progress, progress.parts.length);
  }

  get complete(): boolean {
    return this.progress.complete;
  }
  get columns(): string[] {
    return this.progress.columns;
  }
  get parts(): readonly DeliveryPart[] {
    return this.progress.parts;
  }
  get files(): string[] {
    return this.progress.parts.map((p) => join(this.dir, p.file));
  }
  get rows(): number {
    return this.progress.parts.reduce((sum, p) => sum + p.rows, 0);
  }
  get changesOnly(): boolean | null {
    return this.progress.changesOnly;
  }
  /** the cursor after the last committed part, where a resumed read continues */
  get lastCursor(): Cursor | null {
    return this.progress.parts.at(-1)?.cursor ?? null;
  }

  /** Drops the committed parts: the read starts over. */
  async reset(): Promise<void> {
    for (const file of this.files) await rm(file, { force: true });
    await this.save({ ...this.progress, columns: [], parts: [], complete: false, changesOnly: null });
  }

  /** Writes one chunk as the next part and commits it. */
  async append(chunk: Chunk, columns: readonly string[]): Promise<DeliveryPart> {
    if (this.progress.parts.length === 0) this.progress.columns = [...columns];
    else if (!sameColumns(this.progress.columns, columns)) {
      throw new Error(`delivery ${this.dir}: the columns changed between parts (${this.progress.columns.join(', ')} → ${columns.join(', ')})`);
    }
    const part: DeliveryPart = { file: `part-${String(this.progress.parts.length + 1).padStart(5, '0')}.jsonl`, rows: chunk.rows.length, cursor: chunk.cursor };
    let text = '';
    let row = this.rows;
    for (const values of chunk.rows) text += `${JSON.stringify({ [DELIVERY_ROW]: ++row, ...values })}\n`;
    await writeDurably(join(this.dir, part.file), text);
    await this.save({ ...this.progress, parts: [...this.progress.parts, part] });
    return part;
  }

  /** The read is over: every row is in the parts (an empty read gets one empty part, so there is a file to load). */
  async finish(columns: readonly string[], changesOnly: boolean): Promise<void> {
    if (this.progress.parts.length === 0) {
      await this.append({ rows: [], cursor: null }, columns);
    }
    await this.save({ ...this.progress, complete: true, changesOnly });
  }

  /** After the load committed: the delivery has served its purpose. */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async save(progress: Progress): Promise<void> {
    await writeDurably(join(this.dir, PROGRESS), JSON.stringify(progress, null, 1));
    this.progress = progress;
  }
}

/** Writes a temporary file, flushes it to disk and renames it into place: readers see all or nothing. */
async function writeDurably(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** A run id as a folder name. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
