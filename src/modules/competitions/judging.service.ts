// Judging: juries per category (a chair and members, who may be outside people
// with an account that is a juror on this prize and nothing more), blind review
// and rubric scores, declared conflicts, the ranking, and the awards the chair
// (or an organiser) gives. Entries reach this service only through the blind
// queries of judging.repository.ts.
import type { Db } from '../../db/database.js';
import type { AwardKind, CategoryKind } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import type { SiteIdentity } from '../../mail/layout.js';
import { enqueue } from '../../jobs/index.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../web/errors.js';
import { picturesByIds, type Picture, type PictureSigner } from '../media/index.js';
import * as repo from './competitions.repository.js';
import * as blind from './judging.repository.js';
import type { JurorInput } from './competitions.schemas.js';
import type { AccountsPort, Clock, Criterion } from './competitions.service.js';
import { FormRefused, toCategory, toCriterion, toPrize } from './competitions.service.js';
import { isPastDeadline } from './deadlines.js';
import { prizeEmails } from './emails.js';
import { AWARD_LABELS, checkAward, mustOrganise, placeKey, progressOf, rankEntries, seatFor, type Seat } from './judging.js';
import { canOrganise, type RoleHolder } from '../access/index.js';

export interface JudgingDeps {
  db: Db;
  site: SiteIdentity;
  accounts: AccountsPort;
  clock: Clock;
  /** Signs a juror's addresses for an entry's photograph, which stays private until the results. */
  pictureSigner?: PictureSigner;
}

export interface SeatView extends Seat {
  categoryName: string;
  categoryKind: CategoryKind;
  competitionName: string;
  competitionSlug: string;
}

/** An entry as a juror sees it: the work, its category and reference; nobody's name. */
export interface BlindEntry {
  id: string;
  reference: string;
  categoryId: string;
  title: string;
  /** Rendered by the rich-text sanitizer when the entry was saved. */
  safeBodyHtml: string;
  wordCount: number;
  photo: Picture | null;
  videoUrl: string;
  submittedAt: string;
}

export interface MyScore {
  criterionId: string;
  score: number;
  comment: string;
}

export interface RankingRow {
  entryId: string;
  reference: string;
  title: string;
  mean: number | null;
  spread: number | null;
  jurors: number;
  complete: number;
  awards: { id: string; kind: AwardKind; label: string; juryNote: string }[];
}

export interface ScoreInput {
  criterionId: string;
  /** null clears the score. */
  score: number | null;
  comment: string;
}

function toBlind(row: blind.BlindEntryRow, pictures: Map<string, Picture>): BlindEntry {
  return {
    id: row.id,
    reference: row.reference ?? '',
    categoryId: row.category_id ?? '',
    title: row.title,
    safeBodyHtml: row.body_html,
    wordCount: row.word_count,
    photo: row.media_id ? (pictures.get(row.media_id) ?? null) : null,
    videoUrl: row.video_url,
    submittedAt: row.submitted_at ?? '',
  };
}

/** Who gives or takes back an award: a chair by their seat, an organiser (by their roles) for any category. */
export interface AwardGiver extends RoleHolder {
  userId: string;
}

export class JudgingService {
  constructor(private readonly deps: JudgingDeps) {}

  /** A juror sees the photograph through signed addresses that expire, never through a session rule. */
  private withGrant(entry: BlindEntry): BlindEntry {
    return entry.photo && this.deps.pictureSigner ? { ...entry, photo: this.deps.pictureSigner.grant(entry.photo) } : entry;
  }

  private get db(): Db {
    return this.deps.db;
  }

  async seats(userId: string): Promise<SeatView[]> {
    const rows = await blind.seatsOfUser(this.db, userId);
    return rows.map((r) => ({
      jurorId: r.juror_id,
      role: r.role,
      categoryId: r.category_id,
      competitionId: r.competition_id,
      categoryName: r.category_name,
      categoryKind: r.category_kind,
      competitionName: r.competition_name,
      competitionSlug: r.competition_slug,
    }));
  }

  private async seatOrRefuse(userId: string, categoryId: string | null): Promise<SeatView> {
    const seats = await this.seats(userId);
    const seat = seatFor(seats, categoryId);
    if (!seat)
      throw new ForbiddenError('You are not on the jury of this category: only its jurors can see and score its entries.', 'not_a_juror');
    return seat;
  }

  /** One category's desk for a juror: entries (blind), my progress; for the chair, the ranking and each juror's progress. */
  async board(userId: string, categoryId: string) {
    const seat = await this.seatOrRefuse(userId, categoryId);
    const [categoryRow, competitionRow, criteriaRows, entryRows, conflicts] = await Promise.all([
      repo.findCategory(this.db, categoryId),
      repo.findCompetition(this.db, seat.competitionId),
      repo.listCriteria(this.db, seat.competitionId),
      blind.blindEntriesOfCategory(this.db, categoryId),
      blind.conflictsOfCategory(this.db, categoryId),
    ]);
    if (!categoryRow || !competitionRow) throw new NotFoundError();
    const criteria = criteriaRows.map(toCriterion);
    const mine = new Set(conflicts.filter((c) => c.juror_id === seat.jurorId).map((c) => c.entry_id));
    const visible = entryRows.filter((e) => !mine.has(e.id));
    const scores = await blind.scoresOfEntries(
      this.db,
      entryRows.map((e) => e.id),
    );
    const myScores = scores.filter((s) => s.juror_id === seat.jurorId);
    const entries = visible.map((e) => ({
      id: e.id,
      reference: e.reference ?? '',
      title: e.title,
      wordCount: e.word_count,
      scored: new Set(myScores.filter((s) => s.entry_id === e.id).map((s) => s.criterion_id)).size,
    }));
    const prize = toPrize(competitionRow);
    const chair = seat.role === 'chair' ? await this.chairView(categoryId, criteria, entryRows, scores, conflicts) : null;
    return {
      seat,
      prize,
      category: toCategory(categoryRow),
      criteria,
      entries,
      progress: { scored: entries.filter((e) => criteria.length > 0 && e.scored >= criteria.length).length, assigned: entries.length },
      chair,
      conflictsDeclared: mine.size,
      pastDeadline: isPastDeadline(prize.window, this.deps.clock.now()),
      winnersPublished: prize.window.winnersPublishedAt !== null,
    };
  }

  private async chairView(
    categoryId: string,
    criteria: Criterion[],
    entryRows: blind.BlindEntryRow[],
    scores: Awaited<ReturnType<typeof blind.scoresOfEntries>>,
    conflicts: { juror_id: string; entry_id: string }[],
  ) {
    const [jurors, awards] = await Promise.all([blind.jurorsOfCategory(this.db, categoryId), blind.awardsOfCategory(this.db, categoryId)]);
    const rows = scores.map((s) => ({ entryId: s.entry_id, jurorId: s.juror_id, criterionId: s.criterion_id, score: s.score }));
    const ranked = rankEntries(
      entryRows.map((e) => e.id),
      rows,
      criteria.length,
    );
    const byId = new Map(entryRows.map((e) => [e.id, e]));
    const ranking: RankingRow[] = ranked.map((r) => ({
      ...r,
      reference: byId.get(r.entryId)?.reference ?? '',
      title: byId.get(r.entryId)?.title ?? '',
      awards: awards
        .filter((a) => a.entry_id === r.entryId)
        .map((a) => ({ id: a.id, kind: a.kind, label: AWARD_LABELS[a.kind], juryNote: a.jury_note })),
    }));
    const progress = progressOf(
      jurors.map((j) => j.id),
      entryRows.map((e) => e.id),
      rows,
      conflicts.map((c) => ({ jurorId: c.juror_id, entryId: c.entry_id })),
      criteria.length,
    );
    const names = await this.displayNames(jurors.map((j) => j.user_id));
    return {
      ranking,
      progress: progress.map((p) => {
        const juror = jurors.find((j) => j.id === p.jurorId)!;
        return { ...p, name: names.get(juror.user_id) ?? '', role: juror.role };
      }),
    };
  }

  private async displayNames(userIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(userIds))
      names.set(id, (await this.deps.accounts.account(id).catch(() => null))?.displayName ?? 'Former juror');
    return names;
  }

  /** One entry for a juror of its category; 403 for anyone else, or after declaring a conflict. */
  async entry(userId: string, entryId: string) {
    const row = await blind.blindEntry(this.db, entryId);
    if (!row) throw new NotFoundError('There is no entry at this address.');
    const seat = await this.seatOrRefuse(userId, row.category_id);
    if (await blind.hasConflict(this.db, seat.jurorId, entryId))
      throw new ForbiddenError('You declared a conflict with this entry, so it is no longer yours to read or score.', 'conflict_declared');
    const [criteriaRows, mine, categoryRow, pictures] = await Promise.all([
      repo.listCriteria(this.db, seat.competitionId),
      blind.scoresOf(this.db, seat.jurorId, entryId),
      repo.findCategory(this.db, row.category_id!),
      picturesByIds(this.db, [row.media_id]),
    ]);
    return {
      seat,
      category: toCategory(categoryRow!),
      criteria: criteriaRows.map(toCriterion),
      entry: this.withGrant(toBlind(row, pictures)),
      scores: mine.map((s): MyScore => ({ criterionId: s.criterion_id, score: s.score, comment: s.comment })),
    };
  }

  async score(userId: string, entryId: string, input: ScoreInput[]): Promise<void> {
    const { seat, criteria } = await this.entry(userId, entryId);
    const competition = await repo.findCompetition(this.db, seat.competitionId);
    if (competition?.winners_published_at) throw new ConflictError('The winners are announced: scores are final now.', 'results_published');
    const errors: Record<string, string> = {};
    for (const s of input) {
      const c = criteria.find((x) => x.id === s.criterionId);
      if (!c) throw new BadRequestError('That criterion is not part of this prize’s rubric.', 'unknown_criterion');
      if (s.score !== null && (!Number.isInteger(s.score) || s.score < c.scaleMin || s.score > c.scaleMax))
        errors[`score-${c.id}`] = `Score “${c.name}” with a whole number from ${c.scaleMin} to ${c.scaleMax}.`;
      if (s.comment.length > 4000) errors[`comment-${c.id}`] = 'Keep each comment under 4,000 characters.';
      if (s.score === null && s.comment.trim() !== '') errors[`score-${c.id}`] = `Give “${c.name}” a score to go with your comment.`;
    }
    if (Object.keys(errors).length) throw new FormRefused(errors);
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (const s of input) {
        if (s.score === null) await blind.deleteScore(trx, seat.jurorId, entryId, s.criterionId);
        else
          await blind.upsertScore(trx, {
            id: newId(),
            entry_id: entryId,
            juror_id: seat.jurorId,
            criterion_id: s.criterionId,
            score: s.score,
            comment: s.comment.trim(),
            created_at: now,
            updated_at: now,
          });
      }
    });
  }

  /** A juror who recognises an entry steps away from it: their scores for it go, and it leaves their list. */
  async declareConflict(userId: string, entryId: string, reason: string): Promise<void> {
    const { seat } = await this.entry(userId, entryId);
    await this.db.transaction().execute(async (trx) => {
      await blind.insertConflict(trx, {
        juror_id: seat.jurorId,
        entry_id: entryId,
        reason: reason.trim().slice(0, 500),
        created_at: new Date().toISOString(),
      });
      await blind.deleteScoresOf(trx, seat.jurorId, entryId);
    });
  }

  /**
   * Gives an award. The chair of the entry's category may shortlist and place
   * entries of that category; organisers may do that for any category and are
   * the only ones to choose the overall winner. Giving a place that someone
   * holds moves it to this entry.
   */
  async setAward(by: AwardGiver, entryId: string, kind: AwardKind, note: string): Promise<string> {
    const row = await blind.blindEntry(this.db, entryId);
    if (!row || !row.category_id) throw new NotFoundError('There is no entry at this address.');
    const category = await repo.findCategory(this.db, row.category_id);
    const competition = category ? await repo.findCompetition(this.db, category.competition_id) : undefined;
    if (!category || !competition) throw new NotFoundError();
    if (!canOrganise(by)) {
      const seat = await this.seatOrRefuse(by.userId, row.category_id);
      if (seat.role !== 'chair')
        throw new ForbiddenError('Only the chair of the jury gives the shortlist and the places.', 'not_the_chair');
      if (kind === 'overall') throw new ForbiddenError('The overall winner is chosen by the organisers.', 'organisers_only');
      if (await blind.hasConflict(this.db, seat.jurorId, entryId))
        throw new ForbiddenError(
          'You declared a conflict with this entry: another juror or an organiser must decide on it.',
          'conflict_declared',
        );
    }
    const prize = toPrize(competition);
    if (!isPastDeadline(prize.window, this.deps.clock.now()))
      throw new BadRequestError('The shortlist and places are decided after the deadline.', 'before_deadline');
    if (prize.window.winnersPublishedAt) throw new ConflictError('The winners are announced: the results are final.', 'results_published');
    const existing = await repo.listAwards(this.db, competition.id);
    const facts = existing.map((a) => ({ kind: a.kind, entryId: a.entry_id, categoryId: a.category_id }));
    const key = placeKey(kind, category.id, entryId);
    const holder = existing.find((a) => a.place_key === key);
    const others =
      holder && holder.entry_id !== entryId ? facts.filter((f) => !(f.entryId === holder.entry_id && f.kind === holder.kind)) : facts;
    const check = checkAward({ kind, entryId, categoryId: category.id }, others, competition.shortlist_size);
    if (!check.ok) throw new BadRequestError(check.message, 'award_refused');
    const now = new Date().toISOString();
    const juryNote = note.trim().slice(0, 2000);
    if (holder && holder.entry_id === entryId) {
      await repo.updateAward(this.db, holder.id, { jury_note: juryNote, decided_by: by.userId, updated_at: now });
      return holder.id;
    }
    const id = newId();
    await this.db.transaction().execute(async (trx) => {
      if (holder) await repo.deleteAward(trx, holder.id);
      await repo.insertAward(trx, {
        id,
        competition_id: competition.id,
        category_id: category.id,
        entry_id: entryId,
        kind,
        place_key: key,
        jury_note: juryNote,
        decided_by: by.userId,
        created_at: now,
        updated_at: now,
      });
    });
    return id;
  }

  async removeAward(by: AwardGiver, awardId: string): Promise<void> {
    const award = await repo.findAward(this.db, awardId);
    if (!award) throw new NotFoundError('There is no such award.');
    const competition = await repo.findCompetition(this.db, award.competition_id);
    if (competition?.winners_published_at)
      throw new ConflictError('The winners are announced: the results are final.', 'results_published');
    if (!canOrganise(by)) {
      const seat = await this.seatOrRefuse(by.userId, award.category_id);
      if (seat.role !== 'chair' || award.kind === 'overall')
        throw new ForbiddenError('Only the chair of the jury changes its awards.', 'not_the_chair');
    }
    if (award.kind === 'shortlist') {
      const places = (await repo.listAwards(this.db, award.competition_id)).filter(
        (a) => a.entry_id === award.entry_id && a.kind !== 'shortlist',
      );
      if (places.length)
        throw new BadRequestError('This entry holds a place: remove the place before taking it off the shortlist.', 'holds_a_place');
    }
    await repo.deleteAward(this.db, awardId);
  }

  // ---- organisers ------------------------------------------------------------------------

  /** The ranking of every category, with each juror's progress (organisers see who the jurors are, not who the entrants are). */
  async overview(by: RoleHolder, competitionId: string) {
    mustOrganise(by);
    const categories = await repo.listCategories(this.db, competitionId);
    const criteria = (await repo.listCriteria(this.db, competitionId)).map(toCriterion);
    const out = [];
    for (const c of categories) {
      const [entryRows, conflicts] = await Promise.all([
        blind.blindEntriesOfCategory(this.db, c.id),
        blind.conflictsOfCategory(this.db, c.id),
      ]);
      const scores = await blind.scoresOfEntries(
        this.db,
        entryRows.map((e) => e.id),
      );
      out.push({
        category: toCategory(c),
        entries: entryRows.length,
        ...(await this.chairView(c.id, criteria, entryRows, scores, conflicts)),
      });
    }
    return { criteria, categories: out };
  }

  async jurors(by: RoleHolder, competitionId: string) {
    mustOrganise(by);
    const rows = await repo.listJurors(this.db, competitionId);
    const people = new Map<string, { email: string; displayName: string } | null>();
    for (const id of new Set(rows.map((r) => r.user_id))) people.set(id, await this.deps.accounts.account(id).catch(() => null));
    return rows.map((r) => ({
      id: r.id,
      categoryId: r.category_id,
      role: r.role,
      name: people.get(r.user_id)?.displayName ?? '',
      email: people.get(r.user_id)?.email ?? '',
    }));
  }

  /**
   * Seats a juror on a category's jury. An outside person gets an account (signing
   * in by email link) that is a juror here and nothing else; everyone gets an
   * invitation with a sign-in link, through the job queue.
   */
  async addJuror(by: RoleHolder, competitionId: string, input: JurorInput): Promise<void> {
    mustOrganise(by);
    const category = await repo.findCategory(this.db, input.categoryId);
    const competition = await repo.findCompetition(this.db, competitionId);
    if (!category || !competition || category.competition_id !== competitionId)
      throw new FormRefused({ categoryId: 'Choose a category of this prize.' });
    const userId =
      (await this.deps.accounts.findUserIdByEmail(input.email)) ?? (await this.deps.accounts.createVerifiedUser(input.email, input.name));
    const seats = await blind.jurorsOfCategory(this.db, category.id);
    if (seats.some((s) => s.user_id === userId)) throw new FormRefused({ email: 'This person is already on this jury.' });
    const link = await this.deps.accounts.signInLinkFor(userId, '/judging');
    await this.db.transaction().execute(async (trx) => {
      if (input.role === 'chair') {
        for (const s of seats.filter((x) => x.role === 'chair')) await repo.updateJurorRole(trx, s.id, 'member');
      }
      await repo.insertJuror(trx, {
        id: newId(),
        competition_id: competitionId,
        category_id: category.id,
        user_id: userId,
        role: input.role,
        created_at: new Date().toISOString(),
      });
      const message = prizeEmails.jurorInvitation(this.deps.site, {
        prize: competition.name,
        category: category.name,
        role: input.role,
        url: link,
      });
      await enqueue(trx, 'send_email', { to: input.email, ...message });
    });
  }

  async removeJuror(by: RoleHolder, competitionId: string, jurorId: string): Promise<void> {
    mustOrganise(by);
    await repo.deleteJuror(this.db, competitionId, jurorId);
  }
}
