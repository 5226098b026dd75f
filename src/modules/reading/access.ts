// Who may read the whole of an article. Pure rules; the routes give them the
// viewer and the meter, and render only what the rules allow.
import { isId } from '../../lib/ids.js';
import { previewOf, type RichNode } from '../../lib/rich-text.js';

export interface MeterEntry {
  articleId: string;
  /** Milliseconds since the epoch when the article was first opened. */
  at: number;
}

export const METER_WINDOW_MS = 30 * 24 * 3600_000;

export function canReadFullText(access: 'free' | 'registered', signedIn: boolean): boolean {
  return access === 'free' || signedIn;
}

/**
 * The public part of an article behind the wall: its blocks up to the preview
 * paragraphs (the article's own count, else the site's). Everything that shows a
 * registered article to someone who may not read it (the page, the newsroom's preview, feeds)
 * uses this split.
 */
export function wallPreview(article: { body: RichNode; previewParagraphs: number | null }, sitePreviewParagraphs: number): RichNode {
  return previewOf(article.body, article.previewParagraphs ?? sitePreviewParagraphs).doc;
}

/**
 * The meter lets an anonymous visitor open `allowance` registered articles per
 * 30 days. Returns whether this article may be read and the entries to store.
 */
export function meterDecision(
  entries: MeterEntry[],
  articleId: string,
  allowance: number,
  now: number,
): { allowed: boolean; entries: MeterEntry[] } {
  const recent = entries.filter((e) => now - e.at < METER_WINDOW_MS);
  if (recent.some((e) => e.articleId === articleId)) return { allowed: true, entries: recent };
  if (recent.length < allowance) return { allowed: true, entries: [...recent, { articleId, at: now }] };
  return { allowed: false, entries: recent };
}

export function encodeMeter(entries: MeterEntry[]): string {
  return entries.map((e) => `${e.articleId}.${Math.floor(e.at / 1000)}`).join('~');
}

export function decodeMeter(value: string | undefined): MeterEntry[] {
  if (!value) return [];
  return value
    .split('~')
    .slice(0, 100)
    .flatMap((part) => {
      const dot = part.indexOf('.');
      const articleId = part.slice(0, dot);
      const seconds = part.slice(dot + 1);
      return dot > 0 && isId(articleId) && /^\d{1,12}$/.test(seconds) ? [{ articleId, at: Number(seconds) * 1000 }] : [];
    });
}
