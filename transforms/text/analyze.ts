/**
 * Text feedback (文本分析, METRICS.md §2): the language of a comment, its words (Chinese is
 * segmented with Intl.Segmenter, which Node ships with full ICU), a sentiment between −1 and 1
 * and the themes it mentions, from the lexicons in this folder (data, not code: extend them
 * with your own domain words).
 */
import { readFileSync } from 'node:fs';

export type Language = 'zh' | 'en';

interface Lexicon {
  positive: string[];
  negative: string[];
  negators: string[];
  themes: Record<string, string[]>;
}

const load = (language: Language): Lexicon => JSON.parse(readFileSync(new URL(`./lexicon.${language}.json`, import.meta.url), 'utf8')) as Lexicon;
const LEXICONS: Record<Language, { positive: Set<string>; negative: Set<string>; negators: Set<string>; themes: Array<[string, Set<string>]> }> = Object.fromEntries(
  (['zh', 'en'] as const).map((language) => {
    const l = load(language);
    return [language, {
      positive: new Set(l.positive), negative: new Set(l.negative), negators: new Set(l.negators),
      themes: Object.entries(l.themes).map(([theme, words]) => [theme, new Set(words)] as [string, Set<string>]),
    }];
  }),
) as never;

export const THEMES = Object.keys(load('en').themes);

const HAN = /\p{Script=Han}/u;
const zhWords = new Intl.Segmenter('zh', { granularity: 'word' });

export function language(text: string): Language {
  return HAN.test(text) ? 'zh' : 'en';
}

export function words(text: string, lang: Language = language(text)): string[] {
  if (lang === 'zh') return [...zhWords.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
  return text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
}

export interface Analysis {
  language: Language;
  sentiment: number;
  themes: string[];
}

/**
 * Sentiment = (positive − negative) ÷ (positive + negative) over lexicon hits, where a negator
 * among the two words before a hit flips it ("not fast", "不满意"); 0 without hits. A Chinese
 * word the segmenter keeps whole (很快, 太慢) is also looked up by its characters' longest
 * lexicon entry, so "很快" counts as "快".
 */
export function analyse(text: string): Analysis {
  const lang = language(text);
  const lexicon = LEXICONS[lang];
  const tokens = words(text, lang);
  let positive = 0;
  let negative = 0;
  const themes = new Set<string>();
  const isNegator = (t: string) => lexicon.negators.has(t) || (lang === 'zh' && lexicon.negators.has(t.slice(-1)));
  tokens.forEach((token, i) => {
    const polarity = (f: string) => (lexicon.positive.has(f) ? 1 : lexicon.negative.has(f) ? -1 : 0);
    // the longest lexicon entry inside the token (Chinese words the segmenter keeps whole: 很快 → 快)
    const match = (lang === 'zh' ? chineseForms(token) : [token]).find((f) => polarity(f) !== 0);
    if (match !== undefined) {
      // a negator just before ("not fast", "我不 满意") or opening the token but not part of the entry ("不满意" → 满意)
      const opensWithNegator = lang === 'zh' && !match.startsWith(token[0]!) && lexicon.negators.has(token[0]!);
      const negated = tokens.slice(Math.max(0, i - 2), i).some(isNegator) || opensWithNegator;
      if (polarity(match) * (negated ? -1 : 1) > 0) positive += 1;
      else negative += 1;
    }
    const forms = lang === 'zh' ? chineseForms(token) : [token];
    for (const [theme, vocabulary] of lexicon.themes) if (forms.some((f) => vocabulary.has(f))) themes.add(theme);
  });
  const hits = positive + negative;
  return { language: lang, sentiment: hits === 0 ? 0 : (positive - negative) / hits, themes: [...themes].sort() };
}

/** The word and its substrings, longest first, so 很满意 / 不满意 still meet 满意. */
function chineseForms(word: string): string[] {
  const forms = [word];
  for (let length = word.length - 1; length >= 1; length--) {
    for (let start = 0; start + length <= word.length; start++) forms.push(word.slice(start, start + length));
  }
  return forms;
}
