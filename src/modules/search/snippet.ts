// Snippets: the field of a result where the reader's words were found, cut to a
// few dozen words around the first of them, as safe HTML — every character of the
// text escaped, only the <mark> around each match added here.
import { escapeHtml } from '../../lib/rich-text.js';
import { fold, positiveTerms, type Term } from './query.js';

export interface SnippetField {
  /** What the field is called on the results page ("Headline", "Text"). */
  label: string;
  text: string;
}

export interface Snippet {
  label: string;
  /** Escaped text with <mark> around the matches. */
  safeHtml: string;
}

const CONTEXT_CHARS = 120;

function termPattern(terms: Term[]): RegExp | null {
  const parts = positiveTerms(terms).map((t) => {
    const words = t.words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^\\p{L}\\p{N}]+');
    return `${words}${t.prefix ? '[\\p{L}\\p{N}]*' : ''}`;
  });
  return parts.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'gu') : null;
}

/** [start, end) ranges of the original text that match, found on its folded form. */
function matchRanges(text: string, pattern: RegExp): [number, number][] {
  const { folded, map } = fold(text);
  return [...folded.matchAll(pattern)].map((m) => [map[m.index]!, map[m.index + m[0].length]!]);
}

function window(text: string, ranges: [number, number][]): { start: number; end: number } {
  if (text.length <= CONTEXT_CHARS * 2) return { start: 0, end: text.length };
  const first = ranges[0]![0];
  let start = Math.max(0, first - CONTEXT_CHARS);
  let end = Math.min(text.length, first + CONTEXT_CHARS);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  if (end < text.length) end = text.lastIndexOf(' ', end) > first ? text.lastIndexOf(' ', end) : end;
  return { start, end };
}

function marked(text: string, ranges: [number, number][], start: number, end: number): string {
  let html = start > 0 ? '… ' : '';
  let at = start;
  for (const [from, to] of ranges) {
    if (from < at || to > end) continue;
    html += `${escapeHtml(text.slice(at, from))}<mark>${escapeHtml(text.slice(from, to))}</mark>`;
    at = to;
  }
  return html + escapeHtml(text.slice(at, end)) + (end < text.length ? ' …' : '');
}

/** The first field (in the order given) that holds one of the terms, marked; null when none does. */
export function snippetOf(fields: SnippetField[], terms: Term[]): Snippet | null {
  const pattern = termPattern(terms);
  if (!pattern) return null;
  for (const field of fields) {
    const ranges = matchRanges(field.text, pattern);
    if (ranges.length === 0) continue;
    const { start, end } = window(field.text, ranges);
    return { label: field.label, safeHtml: marked(field.text, ranges, start, end) };
  }
  return null;
}
