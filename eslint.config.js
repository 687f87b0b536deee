// ESLint: guard rails, not style. Workflow code is replayed by Temporal in a deterministic
// sandbox, so it may import only @temporalio/workflow, the plan (pure data) and types; anything
// that reads files, the clock of the machine or the warehouse belongs in an activity.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Every file that runs inside the workflow sandbox (add new workflow-code files here). */
export const WORKFLOW_FILES = [
  'workflows/temporal/workflows.ts',
  'workflows/plan.ts',
  'workflows/run-id.ts',
  'test/workflows/temporal/record-calls.ts',
];

const sandbox = 'workflow code runs in the deterministic workflow sandbox';
const inActivity = `${sandbox}: do this in an activity (workflows/activities.ts); \`import type\` is fine`;
const builtins = builtinModules.filter((name) => !name.startsWith('_'));

export default defineConfig(
  { ignores: ['node_modules/', 'data/', 'build/', 'scratch/', 'reports/', '.evidence/'] },
  {
    files: WORKFLOW_FILES,
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: builtins.map((name) => ({ name, message: `${sandbox}: no Node built-ins` })),
          patterns: [
            { group: ['node:*'], message: `${sandbox}: no Node built-ins` },
            { regex: '(^|/)(sources|transforms|warehouse)(/|$)', message: inActivity, allowTypeImports: true },
            { regex: '(^|/)config/load(\\.ts)?$', message: inActivity, allowTypeImports: true },
            { regex: '(^|/)activities(\\.ts)?$', message: inActivity, allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
