// What an importer reads out of a WordPress or Ghost export, in the same shape
// for both: the readers (wordpress.ts, ghost.ts) turn their file into these
// items, one at a time, and apply.ts writes them through the modules that own
// the tables. Nothing here knows a file format or a table.
import type { RichNode } from '../../lib/rich-text.js';

/** A picture the source points at: resolved to a file on disk by the reader when it has one. */
export interface PictureRef {
  /** The source's own id for it (a WordPress attachment id), when there is one. */
  sourceId?: string;
  /** The address the source used, e.g. https://old.example.org/wp-content/uploads/2019/04/a.jpg. */
  url: string;
  /** Where the file is on this machine (under --uploads or --content); null when it is missing. */
  file: string | null;
  alt: string;
  caption: string;
  credit?: string;
}

export interface ImportedPerson {
  sourceId: string;
  /** Matched on these on re-runs (WordPress login, email); never shown. */
  login?: string;
  email?: string;
  name: string;
  slug: string;
  /** Plain text. */
  bio: string;
  location: string;
  photo: PictureRef | null;
  /** Old addresses of the person's page, e.g. /author/jo/. */
  oldPaths: string[];
}

export interface ImportedTerm {
  sourceId: string;
  slug: string;
  name: string;
  description?: string;
  /** Old addresses, e.g. /category/news/ or /tag/music/. */
  oldPaths: string[];
}

export type ImportedStatus = 'published' | 'scheduled' | 'draft' | 'submitted';

export interface ImportedPost {
  /** An article, or a static page. */
  kind: 'article' | 'page';
  sourceId: string;
  title: string;
  /** Kept as it was when it is a valid slug here; made from the title otherwise. */
  slug: string;
  dek: string;
  /**
   * The body, already converted. Figure nodes carry `attrs.src` (the source's
   * address of the picture) and an empty `mediaId`: apply.ts stores the picture
   * and fills the id in, or replaces the figure with a visible note when the file is missing.
   */
  doc: RichNode;
  /** The pictures the body refers to, by the `src` on their figure nodes. */
  pictures: PictureRef[];
  /** Authors' sourceIds, in byline order. */
  authorSourceIds: string[];
  /** The section (the first WordPress category; for Ghost the primary tag when it names a section). */
  section: ImportedTerm | null;
  tags: ImportedTerm[];
  status: ImportedStatus;
  /** UTC ISO-8601; for 'scheduled' the time it goes out. */
  publishedAt: string | null;
  /** Sticky post or Ghost `featured`: an editor's pick candidate. */
  featured: boolean;
  access: 'free' | 'registered';
  hero: PictureRef | null;
  /** Old addresses: /2019/04/12/slug/, /slug/, /?p=123. */
  oldPaths: string[];
  /** Shown to the newsroom (e.g. "This was a private post in WordPress."). */
  note: string;
  /** What the conversion could not carry over exactly (an unknown shortcode kept as a note...). */
  warnings: string[];
}

/** A newsletter subscriber from a Ghost export's members (--members). */
export interface ImportedMember {
  sourceId: string;
  email: string;
  name: string;
  /** Only members the export says are subscribed become confirmed subscribers. */
  subscribed: boolean;
  createdAt: string;
  /** The consent record to store (where the subscription came from: the export file and the day it was imported). */
  consent?: string;
}

export type ImportItem =
  | { type: 'person'; person: ImportedPerson }
  | { type: 'section'; term: ImportedTerm }
  | { type: 'tag'; term: ImportedTerm }
  | { type: 'post'; post: ImportedPost }
  | { type: 'member'; member: ImportedMember }
  /** Something the reader saw and skipped on purpose (a comment, a trashed post), for the report. */
  | { type: 'skipped'; kind: string; sourceId: string; reason: string };

/** Where an import comes from: the `source` of its rows in import_items, e.g. 'wordpress:https://old.example.org'. */
export interface ImportSource {
  format: 'wordpress' | 'ghost';
  /** The site's address as the export gives it (used to make old links relative). */
  siteUrl: string;
}

/** A file that cannot be read: where it failed, for the message. */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly where: { line?: number; column?: number; element?: string } = {},
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}
