/**
 * The page frame Evidence draws around every page (navigation, “On this page”, table
 * pagination, the date picker, menus) in the site's language. Evidence writes those words in
 * English in its components; the project's patch of @evidence-dev/core-components
 * (./patches) passes each through a dictionary the site's layout sets, and this module writes
 * that layout and the document's language. The words are the `frame.*` labels of
 * reports/labels.yaml: their `en` text is Evidence's own word, which the dictionary is keyed by.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels, Language } from './labels.ts';

/** The document language (`<html lang>`) and the locale dates are formatted in, per site language. */
export const LOCALES: Record<Language, { html: string; dates: string }> = {
  en: { html: 'en', dates: 'en-US' },
  zh: { html: 'zh-CN', dates: 'zh-CN' },
};

/** Evidence's English word → the site's, from the `frame.*` labels. */
export function frameWords(labels: Labels, language: Language): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels)
      .filter(([key]) => key.startsWith('frame.'))
      .map(([, label]) => [label.en!, label[language] ?? label.zh]),
  );
}

/**
 * pages/+layout.svelte of the assembled project: Evidence's own layout (its template's
 * src/pages/+layout.svelte), which Evidence lets a project replace, plus the call that gives the
 * patched components their words before any of them renders.
 */
export function layoutSvelte(words: Record<string, string>, language: Language): string {
  return `<script>
\t// written by reports/evidence/frame.ts: Evidence's layout with the frame in the site's language
\timport '@evidence-dev/tailwind/fonts.css';
\timport '../app.css';
\timport { EvidenceDefaultLayout, setFrameLanguage } from '@evidence-dev/core-components';
\texport let data;
\tsetFrameLanguage(${JSON.stringify(words)}, ${JSON.stringify(LOCALES[language].dates)});
</script>

<EvidenceDefaultLayout {data}>
\t<slot slot="content" />
</EvidenceDefaultLayout>
`;
}

/**
 * Evidence's app.html says lang="en" whatever the pages are written in; a browser then picks
 * Latin fonts and English hyphenation for Chinese text. Sets the site's language in every
 * prerendered page of the build (client-side navigation keeps the document element).
 */
export function setDocumentLanguage(buildDir: string, language: Language): number {
  let pages = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.html')) {
        const html = readFileSync(path, 'utf8');
        const next = html.replace(/<html lang="[^"]*"/, `<html lang="${LOCALES[language].html}"`);
        if (next !== html) {
          writeFileSync(path, next);
          pages++;
        }
      }
    }
  };
  walk(buildDir);
  return pages;
}
