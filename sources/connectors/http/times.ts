/**
 * Times as APIs write them: ISO 8601 text, or seconds or milliseconds since 1970 (Zendesk's
 * start_time, HubSpot's filter values). Inside the connector a time is epoch milliseconds.
 */
export type TimeFormat = 'iso' | 'unix_seconds' | 'unix_millis';

export function formatTime(ms: number, format: TimeFormat): string | number {
  if (format === 'unix_seconds') return Math.floor(ms / 1000);
  if (format === 'unix_millis') return Math.floor(ms);
  return new Date(ms).toISOString();
}

/** A record's time field as epoch ms: ISO text, or a number (or numeric text) in the format's unit; null when it is neither. */
export function timeOf(value: unknown, format: TimeFormat): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return format === 'unix_seconds' ? value * 1000 : value;
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return timeOf(Number(value), format === 'iso' ? 'unix_millis' : format);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
