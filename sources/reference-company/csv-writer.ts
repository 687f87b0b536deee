/**
 * Streams rows to a CSV file (RFC 4180 quoting, empty field = null) in large chunks, waiting
 * for the stream to drain so a 10-million-row file never sits in memory.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';

export type Cell = string | number | boolean | null | undefined;

const CHUNK = 1 << 16;

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  rows = 0;

  constructor(
    readonly path: string,
    readonly columns: readonly string[],
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path);
    this.buffer = `${columns.join(',')}\n`;
  }

  /** Appends one row (values in column order); resolves at once unless the disk is behind. */
  async write(values: readonly Cell[]): Promise<void> {
    this.buffer += `${values.map(field).join(',')}\n`;
    this.rows += 1;
    if (this.buffer.length >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
