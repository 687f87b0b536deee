/** How the Evidence project is put together from reports/, sources/marts/ and the root configuration. */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleProject, NOT_IN_SITE } from '../../reports/evidence/assemble.ts';
import { failedQueries, reportPaths } from '../../reports/evidence/build-site.ts';
import { frameWords, layoutSvelte, LOCALES, setDocumentLanguage } from '../../reports/evidence/frame.ts';
import { applyLabels, LANGUAGES, loadLabels, moneyLabels, withMoneyLabels } from '../../reports/evidence/labels.ts';
import { KPIS } from '../../transforms/marts/_kpis.ts';
import { queriesOf } from '../../reports/evidence/page-queries.ts';
import { publishedPath } from '../../warehouse/publish.ts';
import { runPipeline } from '../../workflows/embedded/pipeline.ts';
import { tinyCompanyConfig, writeTinyCompany } from '../fixtures/company.ts';
import { tempDir } from '../fixtures/csv.ts';

let snapshot: string;

beforeAll(async () => {
  const warehousePath = join(tempDir(), 'warehouse.duckdb');
  const run = await runPipeline({ dataDir: writeTinyCompany(), warehousePath, config: tinyCompanyConfig(), runId: 'assemble' });
  expect(run.status).toBe('succeeded');
  snapshot = publishedPath(warehousePath);
});

describe('assembleProject', () => {
  it('writes the folder Evidence expects from the project layout', async () => {
    const projectDir = tempDir('crm-eval-site-');
    const { pages, tables } = await assembleProject({ root: '.', projectDir, snapshot, language: 'zh' });

    expect(pages).toContain('index.md');
    expect(pages).not.toContain('README.md');
    expect(readdirSync(join(projectDir, 'pages')).sort()).toEqual([...pages.filter((p) => !p.includes('/')), '+layout.svelte'].sort());
    // labels are in the configured language and no placeholder is left
    const index = readFileSync(join(projectDir, 'pages', 'index.md'), 'utf8');
    expect(index).toContain('管理层摘要');
    expect(index).not.toMatch(/\{\{/);
    // Evidence's layout, replaced by one that gives the frame its Chinese words
    expect(readFileSync(join(projectDir, 'pages', '+layout.svelte'), 'utf8')).toContain('"On this page":"本页内容"');

    // one source query per published mart, none for the unit-level ones
    expect(tables).toContain('satisfaction_monthly');
    for (const table of NOT_IN_SITE) expect(tables).not.toContain(table);
    expect(readFileSync(join(projectDir, 'sources', 'marts', 'case_study.sql'), 'utf8').trim()).toBe('select * from marts.case_study');
    // the connection points at the snapshot, relative to the source folder as the connector reads it
    const connection = parse(readFileSync(join(projectDir, 'sources', 'marts', 'connection.yaml'), 'utf8'));
    expect(resolve(projectDir, 'sources', 'marts', connection.options.filename)).toBe(resolve(snapshot));
    expect(connection.type).toBe('duckdb');
    // labels as a table, for labels that depend on data
    expect(readFileSync(join(projectDir, 'sources', 'labels', 'labels.sql'), 'utf8')).toContain(`('kpi.csat', '客户满意度 (4-5 分占比)')`);

    // an Evidence project: its configuration, no telemetry, the pinned packages, node_modules
    expect(readFileSync(join(projectDir, 'evidence.config.yaml'), 'utf8')).toBe(readFileSync('evidence.config.yaml', 'utf8'));
    expect(JSON.parse(readFileSync(join(projectDir, 'evidence.settings.json'), 'utf8'))).toEqual({ send_anonymous_usage_stats: 'no' });
    const ours = JSON.parse(readFileSync('package.json', 'utf8')).dependencies;
    const theirs = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')).dependencies;
    expect(theirs['@evidence-dev/evidence']).toBe(ours['@evidence-dev/evidence']);
    expect(lstatSync(join(projectDir, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(projectDir, 'node_modules', '@evidence-dev', 'core-components'))).toBe(true);
  });

  it('refuses to build without a published snapshot, saying what to run', async () => {
    await expect(assembleProject({ root: '.', projectDir: tempDir(), snapshot: join(tempDir(), 'none.duckdb'), language: 'en' })).rejects.toThrow(
      /no published snapshot .*crm-eval run/,
    );
  });
});

describe('labels', () => {
  // the money placeholders come from the configuration's currency, the rest from labels.yaml
  const labels = withMoneyLabels(loadLabels('reports/labels.yaml'), 'CNY');

  it.each(LANGUAGES)('every label a page uses exists in %s', (language) => {
    for (const file of readdirSync('reports').filter((f) => f.endsWith('.md') && f !== 'README.md')) {
      expect(() => applyLabels(readFileSync(join('reports', file), 'utf8'), labels, language, file)).not.toThrow();
    }
  });

  it('an unknown label names the page and the key', () => {
    expect(() => applyLabels('# {{nope.missing}}', labels, 'en', 'reports/mine.md')).toThrow('reports/mine.md: unknown label {{nope.missing}}');
  });

  it('money is formatted in the configured currency: its symbol when Evidence knows it, its code in titles', () => {
    expect(moneyLabels('CNY')['money.fmt0']).toEqual({ en: 'cny0', zh: 'cny0' });
    expect(moneyLabels('usd')['money.code']).toEqual({ en: 'USD', zh: 'USD' });
    expect(moneyLabels('CHF')['money.fmt1']).toEqual({ en: '#,##0.0', zh: '#,##0.0' });
    expect(applyLabels('fmt="{{money.fmt0}}" title="NPV ({{money.code}})"', moneyLabels('EUR'), 'zh', 'reports/x.md')).toBe('fmt="eur0" title="NPV (EUR)"');
    expect(() => withMoneyLabels({ 'money.code': { en: 'X', zh: 'X' } }, 'CNY')).toThrow(/money\.code come from the configuration/);
  });

  it('a mart text written in both languages: a page reads the column of its language', () => {
    const sql = "select note{{lang.suffix}} as note from marts.crm_investment";
    expect(applyLabels(sql, labels, 'en', 'reports/x.md')).toBe('select note as note from marts.crm_investment');
    expect(applyLabels(sql, labels, 'zh', 'reports/x.md')).toBe('select note_zh as note from marts.crm_investment');
    // every page showing the investment notes reads them so, never the English column alone
    for (const file of ['index.md', 'cost.md']) {
      const zh = applyLabels(readFileSync(join('reports', file), 'utf8'), labels, 'zh', file);
      expect(zh, file).toMatch(/\bnote_zh\b/);
      expect(zh, file).not.toMatch(/(?:\.|\bthen )note\b/);
    }
  });

  it('every KPI definition of the mart has its Chinese, and a mart text has no English copy', () => {
    for (const { kpi } of KPIS) expect(labels[`mart.kpi_definition.${kpi}`]?.zh, kpi).toMatch(/\p{Script=Han}/u);
    const dir = tempDir();
    writeFileSync(join(dir, 'm.yaml'), 'mart.kpi_definition.csat: { en: "a copy", zh: "好" }\n');
    expect(() => loadLabels(join(dir, 'm.yaml'))).toThrow(/the English of a mart text is the mart/);
    expect(() => applyLabels('{{mart.kpi_definition.csat}}', labels, 'en', 'reports/x.md')).toThrow(/join labels\.labels instead/);
  });

  it('the page frame: Evidence’s English words to Chinese, in the layout the site uses', () => {
    const zh = frameWords(labels, 'zh');
    expect(zh).toMatchObject({ 'On this page': '本页内容', Home: '首页', 'All Time': '全部期间' });
    for (const [english, chinese] of Object.entries(zh)) expect(chinese, english).toMatch(/\p{Script=Han}|^[/]$/u);
    expect(Object.entries(frameWords(labels, 'en')).every(([english, word]) => english === word)).toBe(true);
    const layout = layoutSvelte(zh, 'zh');
    expect(layout).toContain('setFrameLanguage({"Home":"首页"');
    expect(layout).toContain(`"${LOCALES.zh.dates}");`);
    expect(layout).toContain('<EvidenceDefaultLayout {data}>');
  });

  it('sets the document language of every built page', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cost'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html>\n<html lang="en">\n<head></head></html>');
    writeFileSync(join(dir, 'cost', 'index.html'), '<html lang="en"><body></body></html>');
    expect(setDocumentLanguage(dir, 'zh')).toBe(2);
    expect(readFileSync(join(dir, 'cost', 'index.html'), 'utf8')).toBe('<html lang="zh-CN"><body></body></html>');
    expect(setDocumentLanguage(dir, 'en')).toBe(2);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<html lang="en">');
  });

  it('refuses a label without Chinese, or one that would break page markup or SQL', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), 'x.title: { en: "Title" }\n');
    expect(() => loadLabels(join(dir, 'a.yaml'))).toThrow(/label x\.title\.zh/);
    writeFileSync(join(dir, 'b.yaml'), `x.title: { en: "it's", zh: "好" }\n`);
    expect(() => loadLabels(join(dir, 'b.yaml'))).toThrow(/x\.title\.en: no '/);
  });
});

describe('reading Evidence output', () => {
  it('finds the failed queries and the pages they are on', () => {
    const output = 'bad_query | Error in Query! Binder Error: Referenced column "nope" not found\nLINE 2: ...\n';
    expect(failedQueries(output)).toEqual([{ query: 'bad_query', error: 'Binder Error: Referenced column "nope" not found' }]);
    const page = '# Mine\n\n```sql bad_query\nselect nope from marts.case_study\n```\n\n```sql fine\nselect 1\n```\n';
    expect(queriesOf('mine.md', page)).toEqual([
      { page: 'mine.md', query: 'bad_query', sql: 'select nope from marts.case_study' },
      { page: 'mine.md', query: 'fine', sql: 'select 1' },
    ]);
  });

  it('names pages by their file in reports/, not by the generated one', () => {
    expect(reportPaths('file: /x/.evidence/site/.evidence/template/src/pages/+page.md:959:2')).toBe('file: reports/index.md:959:2');
    expect(reportPaths('at /x/.evidence/template/src/pages/team/north/+page.md')).toBe('at reports/team/north.md');
  });
});
