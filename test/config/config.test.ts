import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../config/load.ts';
import { tempDir, writeFile } from '../fixtures/csv.ts';

describe('configuration', () => {
  it('works with no file at all: every value has a default', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ crm_go_live: '2023-07-01', currency: 'CNY', language: 'en', churn_inactivity_days: 180 });
    expect(config.sla.first_response_hours.urgent).toBe(1);
  });

  it('reports every bad value with its path', () => {
    const bad = { sla: { first_response_hours: { urgent: -1, high: 4, normal: 8, low: 24 } }, language: 'fr', crm_go_live: '2023-13-01' };
    expect(() => parseConfig(bad, 'crm-eval.config.yaml')).toThrow(/^crm-eval\.config\.yaml is invalid:\n/);
    expect(() => parseConfig(bad)).toThrow(/\n {2}sla\.first_response_hours\.urgent: expected a positive number(\n|$)/);
    expect(() => parseConfig(bad)).toThrow(/\n {2}language: Invalid option: expected one of "en"\|"zh"/);
    expect(() => parseConfig(bad)).toThrow(/\n {2}crm_go_live: /);
  });

  it('reads YAML files and names the file in errors', () => {
    const dir = tempDir();
    const good = writeFile(join(dir, 'good.yaml'), 'crm_go_live: 2024-01-15\ncontrol_group: null\nmargin_rate: 0.4\n');
    expect(loadConfig(good).config).toMatchObject({ crm_go_live: '2024-01-15', control_group: null, margin_rate: 0.4 });
    const bad = writeFile(join(dir, 'bad.yaml'), 'margin_rate: 1.5\n');
    expect(() => loadConfig(bad)).toThrow(/bad\.yaml is invalid:\n {2}margin_rate: /);
    expect(() => loadConfig(join(dir, 'absent.yaml'))).toThrow(/cannot read configuration file .*absent\.yaml/);
    const broken = writeFile(join(dir, 'broken.yaml'), 'sla: [unclosed\n');
    expect(() => loadConfig(broken)).toThrow(/broken\.yaml is not valid YAML/);
  });
});
