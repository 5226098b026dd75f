// Byline privacy: the one place that decides what the public sees of a person.
// A person (or an editor) chooses how their name is shown (full, first name and
// initial, or a pen name), whether their places and portrait are shown, whether
// their profile is listed (directory, sitemaps, search), and whether their age
// is left off bylines. Every public surface (pages, cards, bylines, feeds,
// sitemaps, search, newsletters, structured data) reads a person through
// `publicPerson`; the newsroom's own pages keep the real name.
import type { NameShown, PersonRow } from '../../db/schema.js';
import { parseJsonArray } from '../../db/database.js';

/** The columns `publicPerson` reads: a repository selects at least these. */
export const PRIVACY_COLUMNS = [
  'people.name',
  'people.name_shown',
  'people.pen_name',
  'people.show_place',
  'people.show_portrait',
  'people.listed',
  'people.hide_age',
] as const;

export type PrivacyRow = Pick<PersonRow, 'name' | 'name_shown' | 'pen_name' | 'show_place' | 'show_portrait' | 'listed' | 'hide_age'>;

/** A person's choices, as the forms show them. */
export interface BylinePrivacy {
  nameShown: NameShown;
  penName: string;
  showPlace: boolean;
  showPortrait: boolean;
  listed: boolean;
  hideAge: boolean;
}

export const NAME_SHOWN: readonly NameShown[] = ['full', 'initial', 'pen'];

export function privacyOf(row: PrivacyRow): BylinePrivacy {
  return {
    nameShown: NAME_SHOWN.includes(row.name_shown) ? row.name_shown : 'full',
    penName: row.pen_name,
    showPlace: row.show_place === 1,
    showPortrait: row.show_portrait === 1,
    listed: row.listed === 1,
    hideAge: row.hide_age === 1,
  };
}

/** "Amara Nwosu" -> "Amara N."; a one-word name stays as it is. */
export function firstNameAndInitial(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length <= 1) return words.join('');
  const last = words[words.length - 1]!;
  return `${words[0]} ${[...last][0]!.toLocaleUpperCase()}.`;
}

/** The name the public sees. A pen name chosen but left empty never falls back to the real name. */
export function shownName(row: Pick<PrivacyRow, 'name' | 'name_shown' | 'pen_name'>): string {
  if (row.name_shown === 'initial') return firstNameAndInitial(row.name);
  if (row.name_shown === 'pen') return row.pen_name.trim() || 'Anonymous';
  return row.name;
}

/** True when the public name is the full name (the profile's address may then be the full name's slug). */
export function showsFullName(row: Pick<PrivacyRow, 'name_shown'>): boolean {
  return row.name_shown !== 'initial' && row.name_shown !== 'pen';
}

const LETTER = '[\\p{L}\\p{N}]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

function textOf(safeHtml: string): string {
  return safeHtml.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e]!);
}

/**
 * The words the public must not read: the parts of the real name the shown name
 * leaves out, and, with places hidden, every place and each part of it
 * ("Lagos, Nigeria": "Lagos", "Nigeria").
 */
export function hiddenWords(row: PrivacyRow & { locations: string[]; birthplace: string | null }): string[] {
  const hidden: string[] = [];
  if (!showsFullName(row)) {
    const shown = new Set(
      shownName(row)
        .toLocaleLowerCase()
        .split(/\s+/)
        .map((w) => w.replace(/\.$/, '')),
    );
    // "Nwosu-Okafor" hides "Nwosu" and "Okafor" too.
    for (const word of row.name.split(/\s+/))
      if (word && !shown.has(word.toLocaleLowerCase())) hidden.push(word, ...word.split(/[-'’]/).filter((part) => part.length > 1));
  }
  if (row.show_place !== 1)
    for (const place of [...row.locations, row.birthplace ?? ''])
      for (const part of place.split(',')) if (part.trim()) hidden.push(part.trim());
  return hidden;
}

/** Whether a text names one of these words (whole words, any case). */
export function mentionsAny(text: string, words: string[]): boolean {
  if (words.length === 0) return false;
  const pattern = new RegExp(`(?<!${LETTER})(?:${words.map(escapeRegExp).join('|')})(?!${LETTER})`, 'iu');
  return pattern.test(text);
}

export interface PublicPersonFields extends PrivacyRow {
  photo_media_id: string | null;
  locations: string;
  birthplace: string | null;
  show_birthplace: number;
  bio_html?: string;
}

/** What the public sees of a person: the projection every public surface uses. */
export interface PublicPerson {
  name: string;
  photoMediaId: string | null;
  locations: string[];
  birthplace: string | null;
  /** Sanitized at save time; '' when the biography names something the person hides. */
  safeBioHtml: string;
  showAge: boolean;
  listed: boolean;
}

export function publicPerson(row: PublicPersonFields): PublicPerson {
  const locations = parseJsonArray(row.locations);
  const showPlace = row.show_place === 1;
  const bio = row.bio_html ?? '';
  // A biography is the person's own free text: it is shown only when it names nothing they hide.
  const hidden = hiddenWords({ ...row, locations });
  return {
    name: shownName(row),
    photoMediaId: row.show_portrait === 1 ? row.photo_media_id : null,
    locations: showPlace ? locations : [],
    birthplace: showPlace && row.show_birthplace === 1 ? row.birthplace : null,
    safeBioHtml: bio && mentionsAny(textOf(bio), hidden) ? '' : bio,
    showAge: row.hide_age !== 1,
    listed: row.listed === 1,
  };
}
