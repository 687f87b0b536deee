/**
 * Every value that reaches SQL is a bound parameter ($1) or goes through the one quoting helper
 * (`literal()`, or `ident()` for a name; kysely's sql`` tag binds its values itself). This test reads the TypeScript sources and looks at
 * every template literal that builds SQL (one with a SQL keyword, and the templates nested in
 * it) for two mistakes:
 *
 *   A. an interpolation inside a SQL string literal: `WHERE load_id = '${id}'`, `DATE '${day}'`
 *      (the quoting is hand-made, and a value with a quote breaks out of it);
 *   B. an interpolation right after a comparison (`= ${x}`, `<> ${x}`, `IN (${x})`, ...) that is
 *      not a `literal()`/`ident()` call nor one of the few allowed below, each with its reason.
 *
 * The scanner follows SQL's own quoting ('' inside a string, "identifiers", -- comments), so a
 * quote in a comment does not fool it.
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['cli', 'config', 'sources', 'transforms', 'warehouse', 'workflows', 'reports'];
const LOOKS_LIKE_SQL = /\b(SELECT|FROM|WHERE|INSERT|UPDATE|DELETE|CREATE|COPY|ATTACH|VALUES|JOIN|DATE|CAST)\b/i;
const COMPARISON = /(=|<>|!=|<|>|\bIN\s*\(|\bLIKE|\bBETWEEN)\s*$/i;

/** Rule B exceptions: `file: expression` → why it is safe. */
const ALLOWED: Record<string, string> = {
  'sources/load/load-entity.ts: id': 'const id = literal(load.loadId)',
  'transforms/framework/data-tests.ts: list': 'values.map(literal) or numbers',
  'transforms/marts/cost-kpis-monthly.ts: loyalty': 'config accounts .map(literal)',
  'transforms/marts/_rollout.ts: kpis': 'KPI names of the code, each a literal()',
  "transforms/marts/_business-hours.ts: c.workdays.join(', ')": 'integers 1-7, validated by the configuration schema',
  "transforms/marts/efficiency-monthly.ts: target('first_response_hours')": 'a CASE over literal() priorities and validated numbers',
  "transforms/marts/efficiency-monthly.ts: target('resolution_hours')": 'a CASE over literal() priorities and validated numbers',
  "transforms/marts/_business-hours.ts: c.holidays.map((h) => `DATE ${literal(h)}`).join(', ')": 'each a literal() (the nested template is scanned too)',
};

export interface Finding {
  file: string;
  line: number;
  rule: 'A' | 'B';
  expression: string;
}

export function scanSource(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const visit = (node: ts.Node, inSql: boolean) => {
    // kysely's sql`...` binds every interpolation as a parameter ($1, ?): nothing is pasted
    const boundByKysely = node.parent !== undefined && ts.isTaggedTemplateExpression(node.parent) && node.parent.tag.getText(source) === 'sql';
    if (ts.isTemplateExpression(node) && !boundByKysely) {
      const pieces = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
      const sql = inSql || LOOKS_LIKE_SQL.test(pieces.join(' '));
      if (sql) {
        const state = { quote: null as string | null, comment: false };
        let before = node.head.text;
        for (const span of node.templateSpans) {
          advance(state, before);
          const expression = span.expression.getText(source);
          const line = source.getLineAndCharacterOfPosition(span.getStart()).line + 1;
          if (state.quote === "'") findings.push({ file, line, rule: 'A', expression });
          else if (!state.quote && !state.comment && COMPARISON.test(before) && !quoted(expression) && !ALLOWED[`${file}: ${expression}`]) {
            findings.push({ file, line, rule: 'B', expression });
          }
          before = span.literal.text;
        }
      }
      for (const span of node.templateSpans) visit(span.expression, sql);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, inSql));
  };
  visit(source, false);
  return findings;
}

/** A value that went through the quoting helpers. */
const quoted = (expression: string) => /^(literal|ident)\(/.test(expression) || /\.map\((literal|ident)\)/.test(expression);

/** Moves the SQL lexer state over a piece of SQL text. */
function advance(state: { quote: string | null; comment: boolean }, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (state.comment) {
      if (ch === '\n') state.comment = false;
    } else if (state.quote) {
      if (ch === state.quote) state.quote = null; // '' re-enters at once: parity holds
    } else if (ch === "'" || ch === '"') state.quote = ch;
    else if (ch === '-' && text[i + 1] === '-') state.comment = true;
  }
}

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  for (const root of ROOTS) walk(root);
  return files;
}

describe('SQL built from strings', () => {
  it("catches the data-quality mart's original bug, and values pasted into a list or a date", () => {
    const original = `
      const latest = \`raw.\${table} WHERE load_id = '\${log.load_id}'\`;
      await warehouse.all(\`SELECT count(*) FROM meta.load_log WHERE source = '\${contract.source}'\`);
      await warehouse.all(\`SELECT * FROM staging.employees WHERE role IN (\${config.people_roles.map((r) => \`'\${r}'\`).join(', ')})\`);
      await warehouse.all(\`SELECT * FROM t WHERE day <= DATE '\${end}' AND id = \${row.id}\`);`;
    expect(scanSource('sample.ts', original).map((f) => `${f.rule} ${f.expression}`)).toEqual([
      'A log.load_id',
      'A contract.source',
      'B config.people_roles.map((r) => `\'${r}\'`).join(\', \')',
      'A r',
      'A end',
      'B row.id',
    ]);
  });

  it('leaves quoting helpers, bound parameters, fragments and comments alone', () => {
    const fine = `
      await warehouse.all(\`SELECT \${columns} FROM raw.\${ident(table)} WHERE load_id = $1 AND day <= DATE \${literal(end)}\`, [id]);
      await warehouse.all(\`SELECT 1 -- the customer's latest
        FROM t WHERE x IN (\${values.map(literal).join(', ')}) AND name = \${literal(name)}\`);
      const message = \`got '\${value}'\`;
      await sql\`SELECT count(*) FROM information_schema.tables WHERE table_name = \${table}\`.execute(db);`;
    expect(scanSource('sample.ts', fine)).toEqual([]);
    // the same text without kysely's tag pastes the value
    expect(scanSource('sample.ts', 'await db.all(`SELECT count(*) FROM t WHERE table_name = ${table}`);')).toHaveLength(1);
  });

  it('finds no value pasted into SQL in the sources', () => {
    const findings = sourceFiles().flatMap((file) => scanSource(file, readFileSync(file, 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line} (${f.rule}) \${${f.expression}}`)).toEqual([]);
  });
});
