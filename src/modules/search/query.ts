// A reader's search box, read once into terms: words, "exact phrases", -exclusions,
// OR and word* prefixes. Both databases get the query from these terms, never the
// raw text: SQLite an FTS5 expression, PostgreSQL a to_tsquery expression, both
// built here with every word quoted. The same terms mark the snippets.

/** Longest query read; a longer one is refused with a message. */
export const MAX_QUERY_LENGTH = 500;

export interface Term {
  /** Folded words: one for a word, several for a phrase. */
  words: string[];
  prefix: boolean;
  negated: boolean;
  /** Joined to the previous term by OR rather than AND. */
  or: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case without accents, so "José" and "jose" are one word; `map[i]` is where folded char i came from. */
export function fold(text: string): { folded: string; map: number[] } {
  let folded = '';
  const map: number[] = [];
  let index = 0;
  for (const char of text) {
    const plain = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let i = 0; i < plain.length; i += 1) map.push(index);
    folded += plain;
    index += char.length;
  }
  map.push(index);
  return { folded, map };
}

export const foldText = (text: string): string => fold(text).folded;

/** The query without what no search needs: control characters (NUL included) and runs of spaces. */
export function cleanQuery(raw: string): string {
  return raw
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits the query into terms; quotes left open close at the end. */
export function parseQuery(raw: string): Term[] {
  const terms: Term[] = [];
  const pattern = /(-?)"([^"]*)"?|(\S+)/g;
  let or = false;
  for (const match of cleanQuery(raw).matchAll(pattern)) {
    const [, minus, phrase, bare] = match;
    if (bare === 'OR') {
      or = terms.length > 0;
      continue;
    }
    const negated = minus === '-' || (bare?.startsWith('-') ?? false);
    const text = phrase ?? bare!.replace(/^-+/, '');
    const words = foldText(text).match(WORD) ?? [];
    if (words.length === 0) continue;
    const prefix = phrase === undefined && /\*$/.test(text) && words.length === 1;
    terms.push({ words, prefix, negated, or: or && !negated });
    or = false;
  }
  return terms;
}

export const positiveTerms = (terms: Term[]): Term[] => terms.filter((t) => !t.negated);

function ftsTerm(term: Term): string {
  return `"${term.words.join(' ')}"${term.prefix ? '*' : ''}`;
}

/**
 * An FTS5 expression for the terms, limited to `columns` when given: every word
 * quoted (so nothing the reader types is an operator), ORs grouped, exclusions
 * as NOT. Null when there is no word to look for.
 */
export function ftsExpression(terms: Term[], columns?: readonly string[]): string | null {
  const groups: string[][] = [];
  for (const term of positiveTerms(terms)) {
    if (term.or && groups.length > 0) groups[groups.length - 1]!.push(ftsTerm(term));
    else groups.push([ftsTerm(term)]);
  }
  if (groups.length === 0) return null;
  let expression = groups.map((g) => (g.length > 1 ? `(${g.join(' OR ')})` : g[0])).join(' AND ');
  const excluded = terms.filter((t) => t.negated).map(ftsTerm);
  if (excluded.length > 0) expression = `(${expression}) NOT (${excluded.join(' OR ')})`;
  return columns ? `{${columns.join(' ')}} : (${expression})` : expression;
}

function tsTerm(term: Term): string {
  const words = term.words.map((word) => `'${word}'`);
  if (words.length > 1) return `(${words.join(' <-> ')})`;
  return `${words[0]}${term.prefix ? ':*' : ''}`;
}

/**
 * A to_tsquery expression for PostgreSQL built from the terms the way ftsExpression
 * builds SQLite's: ORs grouped, the groups all required, phrases as word <-> word,
 * word* as a prefix, exclusions as !. Words hold only letters and digits, so quoting
 * each is enough. Null when there is no word to look for.
 */
export function tsqueryExpression(terms: Term[]): string | null {
  const groups: string[][] = [];
  for (const term of positiveTerms(terms)) {
    if (term.or && groups.length > 0) groups[groups.length - 1]!.push(tsTerm(term));
    else groups.push([tsTerm(term)]);
  }
  if (groups.length === 0) return null;
  const expression = groups.map((g) => (g.length > 1 ? `(${g.join(' | ')})` : g[0])).join(' & ');
  const excluded = terms.filter((t) => t.negated).map(tsTerm);
  return excluded.length > 0 ? `${expression} & !(${excluded.join(' | ')})` : expression;
}
