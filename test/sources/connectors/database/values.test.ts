/** Database values → the text a file would deliver, and the lagged mark. */
import { describe, expect, it } from 'vitest';
import { deliveredValue, isoTimestamp, minusSeconds } from '../../../../sources/connectors/database/values.ts';

describe('database values', () => {
  it('write server timestamps as ISO 8601 in UTC, keeping microseconds and offsets', () => {
    expect(isoTimestamp('2024-03-01 09:30:00.123456+00')).toBe('2024-03-01T09:30:00.123456Z');
    expect(isoTimestamp('2024-03-01 09:30:00')).toBe('2024-03-01T09:30:00Z'); // naive (MySQL DATETIME): taken as UTC
    expect(isoTimestamp('2024-03-01 09:30:00+05:30')).toBe('2024-03-01T09:30:00+05:30');
    expect(isoTimestamp('2024-03-01 09:30:00-08')).toBe('2024-03-01T09:30:00-08:00');
    expect(isoTimestamp('infinity')).toBe('infinity'); // left for the contract to quarantine
  });

  it('write each contract type as its text', () => {
    expect(deliveredValue(null, 'VARCHAR')).toBeNull();
    expect(deliveredValue('12.50', 'DECIMAL(18,4)')).toBe('12.50');
    expect(deliveredValue(0.1, 'DOUBLE')).toBe('0.1');
    expect(deliveredValue(1, 'BOOLEAN')).toBe('true');
    expect(deliveredValue(0, 'BOOLEAN')).toBe('false');
    expect(deliveredValue(false, 'BOOLEAN')).toBe('false');
    expect(deliveredValue('2024-03-01', 'DATE')).toBe('2024-03-01');
    expect(deliveredValue(new Date('2024-03-01T10:00:00Z'), 'TIMESTAMP')).toBe('2024-03-01T10:00:00.000Z');
    expect(deliveredValue({ a: 1 }, 'VARCHAR')).toBe('{"a":1}');
    expect(deliveredValue(12345678901234567890n, 'BIGINT')).toBe('12345678901234567890');
  });

  it('move a mark back by the safety lag, never later than the exact mark', () => {
    expect(minusSeconds('2024-03-01 09:30:00.123456+00', 300)).toBe('2024-03-01 09:25:00.123');
    expect(minusSeconds('2024-03-01 00:01:00', 120)).toBe('2024-02-29 23:59:00.000');
    expect(() => minusSeconds('42', 300)).toThrow(/not a timestamp; use safety_lag: 0/);
  });
});
