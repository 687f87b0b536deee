import { expect, it } from 'vitest';
import { committedDocument, modelsDocument } from '../../../transforms/framework/write-docs.ts';

it('transforms/MODELS.md documents the models as they are (run `npm run docs` after changing one)', async () => {
  const document = await modelsDocument();
  expect(document).toContain('### marts.satisfaction_monthly');
  expect(document).toContain('| csat | CSAT (top-2-box) | relative | higher | share of CSAT answers (1-5) that are 4 or 5 |');
  expect(committedDocument()).toBe(document);
});
