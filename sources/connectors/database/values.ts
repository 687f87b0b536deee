/**
 * Database values → the text a file delivery would hold for the contract's column type, so the
 * loader checks a database row exactly as it checks a CSV line. The drivers are set up to hand
 * over dates, timestamps and decimals as the server's text (no JavaScript Date, no float
 * rounding), in UTC; this only reshapes that text into ISO 8601.
 */

/** `2024-03-01 09:30:00.123456+00` (PostgreSQL) or `2024-03-01 09:30:00.123456` (MySQL, a naive value taken as UTC). */
const SERVER_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** A server timestamp as ISO 8601: `2024-03-01T09:30:00.123456Z`; anything else unchanged (the contract judges it). */
export function isoTimestamp(text: string): string {
  const match = SERVER_TIMESTAMP.exec(text);
  if (!match) return text;
  const [, date, time, offset] = match;
  return `${date}T${time}${isoOffset(offset)}`;
}

function isoOffset(offset: string | undefined): string {
  if (offset === undefined || offset === 'Z') return 'Z';
  const digits = offset.slice(1).replace(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2, 4) || '00';
  if (hours === '00' && minutes === '00') return 'Z';
  return `${offset[0]}${hours}:${minutes}`;
}

/** The contract's SQL type of a column (see load/checks.ts) decides how a value is written. */
export function deliveredValue(value: unknown, sqlType: string): string | null {
  if (value === null || value === undefined) return null;
  if (sqlType === 'TIMESTAMP') {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
    return isoTimestamp(String(value));
  }
  if (sqlType === 'DATE' && value instanceof Date) {
    return Number.isNaN(value.getTime()) ? String(value) : value.toISOString().slice(0, 10);
  }
  if (sqlType === 'BOOLEAN') {
    // MySQL has no boolean: BOOL is TINYINT(1), delivered as 0 / 1.
    if (value === true || value === 1 || value === '1' || value === 't') return 'true';
    if (value === false || value === 0 || value === '0' || value === 'f') return 'false';
    return String(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** A cursor's timestamp moved back by `seconds`, as a UTC text both servers compare correctly. */
export function minusSeconds(serverTimestamp: string, seconds: number): string {
  const iso = isoTimestamp(serverTimestamp);
  const at = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(at)) throw new Error(`the incremental mark "${serverTimestamp}" is not a timestamp; use safety_lag: 0 for a non-timestamp updated_at column`);
  // Milliseconds are floored: the lagged mark is never later than the exact one.
  return new Date(at - seconds * 1000).toISOString().replace('T', ' ').replace('Z', '');
}
