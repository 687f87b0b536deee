/** calendar.time_zone is checked with the configuration, not discovered by DuckDB in the marts. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../config/load.ts';

describe('calendar.time_zone', () => {
  it.each(['Mars/Olympus_Mons', 'Asia/Shangai', 'UTC; DROP TABLE x', ''])('refuses %j, naming the setting', (zone) => {
    expect(() => parseConfig({ calendar: { time_zone: zone } }, 'crm-eval.config.yaml')).toThrow(ConfigError);
    expect(() => parseConfig({ calendar: { time_zone: zone } })).toThrow(/\n {2}calendar\.time_zone: expected an IANA time zone, e.g\. UTC or Asia\/Shanghai/);
  });

  it.each(['UTC', 'Asia/Shanghai', 'Europe/Berlin', 'America/New_York'])('accepts %s', (zone) => {
    expect(parseConfig({ calendar: { time_zone: zone } }).calendar.time_zone).toBe(zone);
  });
});
