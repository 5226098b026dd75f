// The shape of the demo magazine: plain data, written for Harbinger, loaded by seed-demo.
import type { RichNode } from '../lib/rich-text.js';
import type { RoleName } from '../db/schema.js';

export interface DemoSection {
  slug: string;
  name: string;
  description: string;
}

export interface DemoNewsroom {
  slug: string;
  name: string;
  description: string;
  place: string;
  kind: 'standing' | 'pop-up';
  startsOn: string; // YYYY-MM-DD
  endsOn: string | null;
  /** Members by person slug, with dates. */
  members: { person: string; role: string; startsOn: string; endsOn: string | null }[];
}

export interface DemoRole {
  role: RoleName;
  section?: string; // section slug
  newsroom?: string; // newsroom slug
  startsOn: string;
  endsOn?: string | null;
}

export interface DemoPerson {
  slug: string;
  name: string;
  birthDate: string; // private
  birthplace: string;
  locations: string[];
  languages: string[];
  bio: RichNode; // a doc
  roles: DemoRole[];
  /** Palette index for the generated portrait. */
  hue: number;
}

export interface DemoPicture {
  /** What the generated picture shows, used as its alt text. */
  alt: string;
  caption: string;
  creditCreator: string;
  creditSource: string;
  hue: number;
}

export interface DemoArticle {
  slug: string;
  status: 'published' | 'draft';
  title: string;
  dek: string;
  /** Everything after the names in the byline, verb included: "reports on ...". */
  bylinePhrase: string;
  section: string; // slug
  newsroom?: string; // slug
  tags: string[]; // tag names
  authors: string[]; // person slugs, in byline order
  editors: string[]; // person slugs
  access: 'free' | 'registered';
  previewParagraphs?: number;
  publishedAt: string | null; // ISO timestamp
  hero: DemoPicture;
  body: RichNode; // a doc
}
