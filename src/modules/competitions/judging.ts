// Blind judging as pure rules. BLIND_ENTRY_COLUMNS is the only list of entry
// columns a juror's query may select (judging.repository.ts uses nothing else),
// so an entrant's name, email, school, country and birth date cannot reach a
// juror's page or API answer: they are never read for one. The rest: which seat
// a juror holds for a category, the ranking by mean score with its spread, each
// juror's progress, and the limits on awards (who may organise is access's rule).
import type { AwardKind } from '../../db/schema.js';
import { ForbiddenError } from '../../web/errors.js';
import { canOrganise, type RoleHolder } from '../access/index.js';

export const ORGANISER_REFUSAL = 'Prizes are run by the editor-in-chief, the mentors and the administrators.';

/** Organiser actions refuse anyone else, whichever route or script asks. */
export function mustOrganise(by: RoleHolder): void {
  if (!canOrganise(by)) throw new ForbiddenError(ORGANISER_REFUSAL, 'not_an_organiser');
}

/** Everything a juror may know about an entry. Adding a private column here is the one way to break blindness: don't. */
export const BLIND_ENTRY_COLUMNS = [
  'id',
  'reference',
  'category_id',
  'title',
  'body_html',
  'word_count',
  'media_id',
  'video_url',
  'submitted_at',
] as const;

export type BlindEntryColumn = (typeof BLIND_ENTRY_COLUMNS)[number];

/** The private columns, named so tests can check they never appear in a juror's query. */
export const PRIVATE_ENTRY_COLUMNS = [
  'user_id',
  'entrant_name',
  'birth_date',
  'school',
  'country',
  'school_year',
  'consent_school',
  'declarations',
] as const;

export interface Seat {
  jurorId: string;
  categoryId: string;
  competitionId: string;
  role: 'chair' | 'member';
}

/** The juror capability is a seat on one category's jury, nothing wider. */
export function seatFor<S extends Seat>(seats: readonly S[], categoryId: string | null): S | null {
  if (categoryId === null) return null;
  return seats.find((s) => s.categoryId === categoryId) ?? null;
}

export function isChair(seats: readonly Seat[], categoryId: string): boolean {
  return seatFor(seats, categoryId)?.role === 'chair';
}

export interface ScoreRow {
  entryId: string;
  jurorId: string;
  criterionId: string;
  score: number;
}

export interface RankedEntry {
  entryId: string;
  /** Mean over jurors of each juror's mean over the criteria they scored. */
  mean: number | null;
  /** Highest juror mean minus the lowest: how much the jury disagrees. */
  spread: number | null;
  jurors: number;
  /** Jurors who scored every criterion. */
  complete: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Ranks entries by their mean score, highest first; equal means put the entry
 * the jury agrees on more (smaller spread) first, then unscored entries last.
 */
export function rankEntries(entryIds: readonly string[], scores: readonly ScoreRow[], criteriaCount: number): RankedEntry[] {
  const ranked = entryIds.map((entryId): RankedEntry => {
    const byJuror = new Map<string, number[]>();
    for (const s of scores) if (s.entryId === entryId) byJuror.set(s.jurorId, [...(byJuror.get(s.jurorId) ?? []), s.score]);
    const means = [...byJuror.values()].map((values) => values.reduce((a, b) => a + b, 0) / values.length);
    const complete = [...byJuror.values()].filter((v) => v.length >= criteriaCount).length;
    if (means.length === 0) return { entryId, mean: null, spread: null, jurors: 0, complete: 0 };
    return {
      entryId,
      mean: round2(means.reduce((a, b) => a + b, 0) / means.length),
      spread: round2(Math.max(...means) - Math.min(...means)),
      jurors: means.length,
      complete,
    };
  });
  return ranked.sort((a, b) => {
    if (a.mean === null || b.mean === null) return a.mean === null ? (b.mean === null ? 0 : 1) : -1;
    return b.mean - a.mean || (a.spread ?? 0) - (b.spread ?? 0);
  });
}

export interface JurorProgress {
  jurorId: string;
  /** Entries this juror scored on every criterion. */
  scored: number;
  /** Entries of the category, less those the juror declared a conflict with. */
  assigned: number;
}

export function progressOf(
  jurorIds: readonly string[],
  entryIds: readonly string[],
  scores: readonly ScoreRow[],
  conflicts: readonly { jurorId: string; entryId: string }[],
  criteriaCount: number,
): JurorProgress[] {
  return jurorIds.map((jurorId) => {
    const excluded = new Set(conflicts.filter((c) => c.jurorId === jurorId).map((c) => c.entryId));
    const mine = entryIds.filter((id) => !excluded.has(id));
    const scored = mine.filter(
      (entryId) =>
        new Set(scores.filter((s) => s.jurorId === jurorId && s.entryId === entryId).map((s) => s.criterionId)).size >= criteriaCount,
    ).length;
    return { jurorId, scored: criteriaCount === 0 ? 0 : scored, assigned: mine.length };
  });
}

export const AWARD_LABELS: Record<AwardKind, string> = {
  shortlist: 'Shortlisted',
  first: 'Winner',
  second: 'Second place',
  third: 'Third place',
  overall: 'Overall winner',
};

/** The key that makes each place unique in the awards table. */
export function placeKey(kind: AwardKind, categoryId: string | null, entryId: string): string {
  if (kind === 'shortlist') return `shortlist:${entryId}`;
  if (kind === 'overall') return 'overall';
  return `${categoryId}:${kind}`;
}

export interface AwardFacts {
  kind: AwardKind;
  entryId: string;
  categoryId: string | null;
}

/**
 * Whether an award may be given, with the reason when not: places go to
 * shortlisted entries, the shortlist holds at most `shortlistSize` per category,
 * and an entry holds one of first, second and third at most.
 */
export function checkAward(
  award: AwardFacts,
  existing: readonly AwardFacts[],
  shortlistSize: number,
): { ok: true } | { ok: false; message: string } {
  const same = (a: AwardFacts) => a.entryId === award.entryId;
  if (award.kind === 'shortlist') {
    if (existing.some((a) => same(a) && a.kind === 'shortlist')) return { ok: true };
    const count = existing.filter((a) => a.kind === 'shortlist' && a.categoryId === award.categoryId).length;
    if (count >= shortlistSize)
      return {
        ok: false,
        message: `The shortlist already holds ${shortlistSize} entries, the most this prize allows per category. Remove one first.`,
      };
    return { ok: true };
  }
  if (!existing.some((a) => same(a) && a.kind === 'shortlist'))
    return { ok: false, message: 'Shortlist the entry before giving it a place.' };
  if (award.kind !== 'overall' && existing.some((a) => same(a) && ['first', 'second', 'third'].includes(a.kind) && a.kind !== award.kind)) {
    return { ok: false, message: 'This entry already holds another place in its category. Remove that place first.' };
  }
  return { ok: true };
}
