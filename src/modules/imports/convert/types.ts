// What every converter returns: a document in the allowlisted shape the editor
// writes, the pictures it refers to, and what could not be carried over exactly.
import type { RichNode } from '../../../lib/rich-text.js';

export interface ConvertedPicture {
  /** The address the source used, as written there (absolute or site-relative). */
  url: string;
  alt: string;
  /** Plain text. */
  caption: string;
  /** The source's own id for it, when the markup names one (a WordPress attachment id). */
  sourceId?: string;
}

export interface Converted {
  doc: RichNode;
  pictures: ConvertedPicture[];
  warnings: string[];
}

export interface HtmlOptions {
  /** Treat blank lines as paragraph breaks and single newlines as line breaks (WordPress classic content). */
  autop?: boolean;
  /** The old site's address: links to it become site-relative. */
  siteUrl?: string;
}
