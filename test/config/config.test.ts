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

  it('refuses a mistyped setting instead of using the default, and suggests the one meant', () => {
    expect(() => parseConfig({ crm_golive: '2024-03-01' }, 'crm-eval.config.yaml')).toThrow(
      /^crm-eval\.config\.yaml is invalid:\n {2}crm_golive: not a setting; did you mean crm_go_live\?$/,
    );
    // every level is strict, and the path names the level
    expect(() => parseConfig({ sla: { first_response_hour: {} } })).toThrow(/\n {2}sla\.first_response_hour: not a setting; did you mean first_response_hours\?/);
    expect(() => parseConfig({ sla: { first_response_hours: { urgent: 1, high: 4, normal: 8, low: 24, Urgnt: 2 } } })).toThrow(
      /\n {2}sla\.first_response_hours\.Urgnt: not a setting; did you mean urgent\?/,
    );
    expect(() => parseConfig({ control_group: { cut: 'region', value: ['west'] } })).toThrow(/\n {2}control_group\.value: not a setting; did you mean values\?/);
    expect(() => parseConfig({ kpi_targets: { csat: { target: 4.5, basline: 4 } } })).toThrow(/\n {2}kpi_targets\.csat\.basline: not a setting; did you mean baseline\?/);
    const ledger = { kind: 'database', dialect: 'postgres', database: 'erp', user: 'reader', tabel: 'gl_lines' };
    expect(() => parseConfig({ sources: { 'finance.gl_entries': ledger } })).toThrow(/\n {2}sources\.finance\.gl_entries\.tabel: not a setting; did you mean table\?/);
    expect(() => parseConfig({ 'crm-go-live': '2024-03-01' })).toThrow(/crm-go-live: not a setting; did you mean crm_go_live\?/);
  });

  it('sources_provided: all three by default; a CRM-only company lists crm alone; crm cannot be left out', () => {
    expect(parseConfig({}).sources_provided).toEqual(['crm', 'finance', 'hr']);
    expect(parseConfig({ sources_provided: ['crm'] }).sources_provided).toEqual(['crm']);
    expect(() => parseConfig({ sources_provided: ['finance', 'hr'] })).toThrow(/\n {2}sources_provided: crm must be provided: every mart starts from the CRM data/);
    expect(() => parseConfig({ sources_provided: ['crm', 'erp'] })).toThrow(/\n {2}sources_provided\.1: expected crm, finance or hr/);
    expect(() => parseConfig({ sources_provided: ['crm', 'crm'] })).toThrow(/\n {2}sources_provided: each source once/);
    expect(() => parseConfig({ source_provided: ['crm'] })).toThrow(/source_provided: not a setting; did you mean sources_provided\?/);
  });

  it('lists the settings allowed there when no known one is close, and reports each unknown key on its own line', () => {
    expect(() => parseConfig({ case_study: { pre_months: 6, colour: 'red' } })).toThrow(
      /\n {2}case_study\.colour: not a setting; the settings here are: pre_months, post_months$/,
    );
    expect(() => parseConfig({ langauge: 'zh', curency: 'EUR' })).toThrow(
      /\n {2}langauge: not a setting; did you mean language\?\n {2}curency: not a setting; did you mean currency\?/,
    );
  });

  it('accepts its own output again (the CLI lays an example\'s settings over a loaded configuration)', () => {
    const loaded = parseConfig({ crm_go_live: '2024-03-01', ahp: { criteria: { items: ['a'], matrix: [[1]] }, kpis: {} } });
    expect(parseConfig({ ...loaded, control_group: null })).toEqual({ ...loaded, control_group: null });
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

describe('rollout waves', () => {
  const waves = [
    { name: 'north', cut: 'region', values: ['north'], go_live: '2023-01-01' },
    { name: 'south_east', cut: 'region', values: ['south', 'east'], go_live: '2023-07-01', ramp_up_months: 1 },
  ];

  it('is off by default: the single crm_go_live is the one wave', () => {
    expect(parseConfig({}).rollout).toBeNull();
    expect(parseConfig({ rollout: waves }).rollout).toEqual(waves);
  });

  it('waves that overlap are an error naming both waves and the shared values', () => {
    const overlapping = [...waves, { name: 'late', cut: 'region', values: ['west', 'east'], go_live: '2024-01-01' }];
    expect(() => parseConfig({ rollout: overlapping })).toThrow(
      /\n {2}rollout\[late\]\.values: wave late overlaps wave south_east: both list region = east; a customer goes live once$/,
    );
  });

  it('a repeated name, a reserved name and a bad date name the wave; a mistyped key suggests the setting', () => {
    expect(() => parseConfig({ rollout: [waves[0], { ...waves[1], name: 'north' }] })).toThrow(/rollout\[north\]\.name: wave north: the name is used by an earlier wave/);
    expect(() => parseConfig({ rollout: [{ ...waves[0], name: 'never_treated' }] })).toThrow(/rollout\[never_treated\]\.name: never_treated names the customers no wave reaches/);
    expect(() => parseConfig({ rollout: [{ ...waves[0], name: 'overall' }] })).toThrow(/rollout\[overall\]\.name: overall names the average over the waves/);
    expect(() => parseConfig({ rollout: [{ ...waves[0], go_live: '2023-02-30' }] })).toThrow(/\n {2}rollout\[north\]\.go_live: /);
    expect(() => parseConfig({ rollout: [{ ...waves[0], golive: '2023-02-01' }] })).toThrow(/rollout\[north\]\.golive: not a setting; did you mean go_live\?/);
    expect(() => parseConfig({ rollout: [] })).toThrow(/\n {2}rollout: /);
  });
});
