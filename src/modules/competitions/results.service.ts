// After the deadline, for the organisers: publishing the shortlist and the
// winners (with the entrants' emails on the job queue), offering winners a place
// on the magazine, and the entrants' private facts for the exports and the
// statistics. The clock is the one the prize service asks.
import type { Db } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import { slugify } from '../../lib/slug.js';
import { toCsv } from '../../lib/csv.js';
import { parseDoc, renderRichText, rt, type RichNode } from '../../lib/rich-text.js';
import { enqueue } from '../../jobs/index.js';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../../web/errors.js';
import { picturesByIds, publishPictures } from '../media/index.js';
import { makeContributorOfAccount } from '../people/index.js';
import { drafts } from '../articles/index.js';
import * as repo from './competitions.repository.js';
import type { CompetitionsService, PrizeDeps } from './competitions.service.js';
import { prizeTime } from './deadlines.js';
import { ageOnDeadline } from './eligibility.js';
import { prizeEmails } from './emails.js';
import { AWARD_LABELS, mustOrganise } from './judging.js';
import type { RoleHolder } from '../access/index.js';
import { winnerBylinePhrase } from './text.js';

/** The path of the page where a winner sees and accepts the offer of a place. */
export function placePath(slug: string, reference: string): string {
  return `/prizes/${slug}/entries/${reference}/place`;
}

export interface PlaceOffer {
  prizeName: string;
  prizeSlug: string;
  reference: string;
  title: string;
  category: string;
  /** `none`: never offered, or withdrawn. */
  state: 'none' | 'open' | 'accepted';
  articleId: string | null;
}

/** Offering a place that was offered to another entry first: the organiser must confirm, knowing whose offer is withdrawn. */
export class PlaceMoveNeedsConfirmation extends AppError {
  constructor(
    message: string,
    readonly withdrawnNames: string[],
  ) {
    super(409, 'confirm_place_move', message, 'Confirm the change');
  }
}

export class ResultsService {
  constructor(
    private readonly deps: PrizeDeps,
    private readonly prizes: CompetitionsService,
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  private byId(id: string) {
    return this.prizes.byId(id);
  }

  private categories(competitionId: string) {
    return this.prizes.categories(competitionId);
  }

  /**
   * Makes the shortlist or the winners public (never before the announcement
   * date). Publishing the winners emails every entrant through the job queue, in
   * the same transaction, once: the timestamp is set only if it was not already.
   */
  async publish(by: RoleHolder, competitionId: string, what: 'shortlist' | 'winners'): Promise<void> {
    mustOrganise(by);
    const prize = await this.byId(competitionId);
    const now = this.now();
    if (now.getTime() < Date.parse(prize.announceAt)) {
      throw new BadRequestError(
        `Results can be published from the announcement date, ${prizeTime(prize.announceAt, prize.timeZone)}.`,
        'too_early',
      );
    }
    const awards = await repo.listAwards(this.db, prize.id);
    if (!awards.some((a) => a.kind === 'shortlist')) throw new BadRequestError('Nothing is shortlisted yet.', 'nothing_to_publish');
    if (what === 'winners' && !awards.some((a) => a.kind === 'first'))
      throw new BadRequestError('No category has a winner yet.', 'nothing_to_publish');
    const at = now.toISOString();
    if (what === 'shortlist') {
      await repo.markPublished(this.db, prize.id, 'shortlist_published_at', at);
      await this.publishAwardedPhotos(prize.id, (kind) => kind === 'shortlist');
      return;
    }
    const entries = await repo.listSubmittedEntries(this.db, prize.id);
    const categories = new Map((await this.categories(prize.id)).map((c) => [c.id, c]));
    const emails = new Map<string, string>();
    for (const userId of new Set(entries.map((e) => e.user_id))) {
      emails.set(userId, (await this.deps.accounts.account(userId).catch(() => null))?.email ?? '');
    }
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.markPublished(trx, prize.id, 'winners_published_at', at))) return;
      for (const e of entries) {
        const to = emails.get(e.user_id);
        if (!to) continue;
        const mine = awards.filter((a) => a.entry_id === e.id).map((a) => a.kind);
        const category = categories.get(e.category_id ?? '')?.name ?? '';
        const outcome = mine.includes('overall')
          ? `it is the overall winner of the prize, and the winner in ${category}. Congratulations!`
          : mine.includes('first')
            ? `it won ${category}. Congratulations!`
            : mine.includes('second') || mine.includes('third')
              ? `it took ${mine.includes('second') ? 'second' : 'third'} place in ${category}. Congratulations!`
              : mine.includes('shortlist')
                ? `it was shortlisted in ${category}: one of the jury’s favourites.`
                : 'it was not among the shortlisted entries this year. The jury read every entry with care.';
        const message = prizeEmails.results(this.deps.site, {
          prize: prize.name,
          reference: e.reference ?? '',
          title: e.title,
          outcome,
          url: `${this.deps.site.siteUrl}/prizes/${prize.slug}/winners`,
        });
        await enqueue(trx, 'send_email', { to, ...message });
      }
    });
    await this.publishAwardedPhotos(prize.id, () => true);
  }

  /** Photographs that are part of a published result become public like the site's other pictures; the rest stay private. */
  private async publishAwardedPhotos(prizeId: string, published: (kind: string) => boolean): Promise<void> {
    const awarded = new Set((await repo.listAwards(this.db, prizeId)).filter((a) => published(a.kind)).map((a) => a.entry_id));
    const entries = (await repo.listSubmittedEntries(this.db, prizeId)).filter((e) => awarded.has(e.id));
    if (
      (await publishPictures(
        this.db,
        this.deps.media,
        entries.map((e) => e.media_id),
      )) > 0
    )
      await this.deps.contentChanged?.();
  }

  /**
   * Offers a winner a place on the magazine. Nothing public changes yet: the
   * winner is emailed (through the job queue) a link to the offer, and the
   * profile, the contributor role and the draft article are made only when they
   * accept it, signed in with the account that entered (`acceptPlace`). A place
   * already offered to another entry of the category, which no longer holds it,
   * moves only once the organiser confirms: the other winner's pending offer is
   * then withdrawn, and they are told.
   */
  async offerPlace(
    by: RoleHolder,
    competitionId: string,
    entryId: string,
    options: { confirm?: boolean } = {},
  ): Promise<{ withdrawn: string[] }> {
    mustOrganise(by);
    const prize = await this.byId(competitionId);
    const entry = await repo.findEntry(this.db, entryId);
    if (!entry || entry.competition_id !== prize.id || entry.status !== 'submitted') throw new NotFoundError('There is no such entry.');
    const awards = await repo.listAwards(this.db, prize.id);
    const holdsPlace = (id: string) => awards.some((a) => a.entry_id === id && (a.kind === 'first' || a.kind === 'overall'));
    if (!holdsPlace(entry.id)) throw new BadRequestError('Places are offered to category winners and the overall winner.', 'not_a_winner');
    if (entry.offered_at) throw new ConflictError('This winner has already been offered a place.', 'already_offered');
    const category = entry.category_id ? await repo.findCategory(this.db, entry.category_id) : undefined;
    if (!category) throw new BadRequestError('The entry has no category.');
    const displaced = (await repo.offeredEntriesOfCategory(this.db, category.id)).filter((e) => e.id !== entry.id && !holdsPlace(e.id));
    const pending = displaced.filter((e) => e.person_id === null);
    if (pending.length > 0 && !options.confirm) {
      const who = pending.map((e) => `${e.entrant_name} (${e.reference ?? ''})`).join(' and ');
      throw new PlaceMoveNeedsConfirmation(
        `The place for ${category.name} was already offered to ${who}, whose entry no longer holds it. Offering it to ${entry.entrant_name} (${entry.reference ?? ''}) withdraws the offer to ${who}, who will be told by email.`,
        pending.map((e) => e.entrant_name),
      );
    }
    const nowIso = this.now().toISOString();
    const emails = new Map<string, string>();
    for (const e of [entry, ...pending])
      emails.set(e.user_id, (await this.deps.accounts.account(e.user_id).catch(() => null))?.email ?? '');
    const site = this.deps.site;
    await this.db.transaction().execute(async (trx) => {
      for (const e of pending) {
        if (!(await repo.withdrawOffer(trx, e.id))) continue;
        const to = emails.get(e.user_id);
        if (to)
          await enqueue(trx, 'send_email', {
            to,
            ...prizeEmails.placeWithdrawn(site, {
              prize: prize.name,
              category: category.name,
              url: `${site.siteUrl}/prizes/${prize.slug}/entries/${e.reference ?? ''}`,
            }),
          });
      }
      if (!(await repo.markOffered(trx, entry.id, nowIso)))
        throw new ConflictError('This winner has already been offered a place.', 'already_offered');
      const to = emails.get(entry.user_id);
      if (to)
        await enqueue(trx, 'send_email', {
          to,
          ...prizeEmails.placeOffered(site, {
            prize: prize.name,
            category: category.name,
            url: `${site.siteUrl}${placePath(prize.slug, entry.reference ?? '')}`,
          }),
        });
    });
    return { withdrawn: pending.map((e) => e.entrant_name) };
  }

  /** The offer of a place made to one of the signed-in account's entries, for the page where they accept it. */
  async placeOffer(userId: string, slug: string, reference: string): Promise<PlaceOffer> {
    const prize = await this.prizes.bySlug(slug);
    const entry = (await repo.submittedEntriesOf(this.db, prize.id, userId)).find((e) => e.reference === reference);
    if (!entry) throw new NotFoundError('There is no entry of yours with this reference.');
    const category = entry.category_id ? await repo.findCategory(this.db, entry.category_id) : undefined;
    // An offer whose entry lost its place (the results changed before they were final) is not open either.
    const holdsPlace = (await repo.listAwards(this.db, prize.id)).some(
      (a) => a.entry_id === entry.id && (a.kind === 'first' || a.kind === 'overall'),
    );
    const state: PlaceOffer['state'] = entry.person_id !== null ? 'accepted' : entry.offered_at !== null && holdsPlace ? 'open' : 'none';
    return {
      prizeName: prize.name,
      prizeSlug: prize.slug,
      reference,
      title: entry.title,
      category: category?.name ?? '',
      state,
      articleId: entry.article_id,
    };
  }

  /**
   * The winner accepts the place, in one transaction: their person profile
   * (from the entry: name, country, and the birth date, which stays private), a
   * contributor role from today, and a draft article of the winning piece with
   * the byline phrase "is the winner of <prize>: <category>", ready for the
   * newsroom's workflow.
   */
  async acceptPlace(userId: string, slug: string, reference: string): Promise<{ personId: string; articleId: string }> {
    const offer = await this.placeOffer(userId, slug, reference);
    if (offer.state === 'none') throw new ConflictError('This offer is no longer open.', 'offer_not_open');
    if (offer.state === 'accepted') throw new ConflictError('You have already accepted this place.', 'already_accepted');
    const prize = await this.prizes.bySlug(slug);
    const entry = (await repo.submittedEntriesOf(this.db, prize.id, userId)).find((e) => e.reference === reference)!;
    const category = entry.category_id ? await repo.findCategory(this.db, entry.category_id) : undefined;
    if (!category) throw new BadRequestError('The entry has no category.');
    const nowIso = this.now().toISOString();
    const today = nowIso.slice(0, 10);
    const phrase = winnerBylinePhrase(prize.name, prize.year, category.name);
    const articleId = newId();
    let personId = '';
    await this.db.transaction().execute(async (trx) => {
      const bio = rt.doc(rt.p(`Winner of ${phrase.replace(/^is the winner of /, '')}.`));
      personId = await makeContributorOfAccount(trx, {
        userId,
        name: entry.entrant_name,
        birthDate: entry.birth_date,
        locations: entry.country ? [entry.country] : [],
        bio: { json: JSON.stringify(bio), html: renderRichText(bio) },
        today,
        now: nowIso,
      });
      const sectionId =
        (category.section_id && (await drafts.sectionExists(trx, category.section_id))
          ? category.section_id
          : await drafts.firstSectionId(trx)) ?? null;
      if (!sectionId) throw new BadRequestError('The magazine has no section to put the article in yet.');
      let body: RichNode = parseDoc(entry.body_json);
      if (category.kind === 'video' && entry.video_url)
        body = { type: 'doc', content: [rt.p(rt.link('Watch the winning video', entry.video_url)), ...(body.content ?? [])] };
      const picture = entry.media_id ? (await picturesByIds(trx, [entry.media_id])).get(entry.media_id) : undefined;
      const base = slugify(entry.title, 'prize-winner');
      const article = {
        id: articleId,
        slug: `${base}-${articleId.slice(-6)}`,
        status: 'draft' as const,
        title: entry.title,
        dek: '',
        byline_phrase: phrase,
        section_id: sectionId,
        newsroom_id: null,
        hero_media_id: category.kind === 'photo' && picture ? picture.id : null,
        hero_caption: '',
        hero_alt: category.kind === 'photo' && picture ? picture.alt : '',
        hero_credit_creator: category.kind === 'photo' ? entry.entrant_name : '',
        hero_credit_source: category.kind === 'photo' ? prize.name : '',
        access: 'free' as const,
        preview_paragraphs: null,
        body_json: JSON.stringify(body),
        body_html: renderRichText(body),
        word_count: entry.word_count,
        published_at: null,
        version: 1,
        created_at: nowIso,
        updated_at: nowIso,
      };
      const revision = {
        id: newId(),
        article_id: articleId,
        version: 1,
        kind: 'save' as const,
        user_id: null,
        author_name: prize.name,
        title: entry.title,
        dek: '',
        body_json: article.body_json,
        fields: JSON.stringify({ bylinePhrase: phrase }),
        created_at: nowIso,
        updated_at: nowIso,
      };
      await drafts.createDraft(trx, { article, authorIds: [personId], revision });
      if (!(await repo.markAccepted(trx, entry.id, { person_id: personId, article_id: articleId })))
        throw new ConflictError('This offer is no longer open.', 'offer_not_open');
    });
    await this.deps.contentChanged?.();
    return { personId, articleId };
  }

  // ---- for the organisers: identities, export, statistics ----------------------------------

  /** Submitted entries with their private facts, for the organisers only. */
  async organiserEntries(by: RoleHolder, competitionId: string) {
    mustOrganise(by);
    const prize = await this.byId(competitionId);
    const rows = await repo.listSubmittedEntries(this.db, prize.id);
    return rows.map((e) => ({
      id: e.id,
      reference: e.reference ?? '',
      categoryId: e.category_id,
      title: e.title,
      userId: e.user_id,
      entrantName: e.entrant_name,
      birthDate: e.birth_date,
      age: e.birth_date ? ageOnDeadline(e.birth_date, { deadlineAt: prize.deadlineAt, timeZone: prize.timeZone }) : null,
      school: e.school,
      country: e.country,
      schoolYear: e.school_year,
      consentSchool: e.consent_school === 1,
      wordCount: e.word_count,
      videoUrl: e.video_url,
      mediaId: e.media_id,
      submittedAt: e.submitted_at ?? '',
      offeredAt: e.offered_at,
      articleId: e.article_id,
      personId: e.person_id,
    }));
  }

  async statistics(by: RoleHolder, competitionId: string) {
    mustOrganise(by);
    const prize = await this.byId(competitionId);
    const [entries, categories, drafts] = await Promise.all([
      this.organiserEntries(by, competitionId),
      this.categories(competitionId),
      repo.countDrafts(this.db, competitionId),
    ]);
    const tally = <K extends string | number>(keys: K[]) => {
      const counts = new Map<K, number>();
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
      return [...counts.entries()];
    };
    return {
      prize,
      total: entries.length,
      drafts,
      byCategory: categories.map((c) => ({ name: c.name, count: entries.filter((e) => e.categoryId === c.id).length })),
      byCountry: tally(entries.map((e) => e.country.trim() || 'Not given'))
        .map(([country, count]) => ({ country, count }))
        .sort((a, b) => b.count - a.count || a.country.localeCompare(b.country)),
      byAge: tally(entries.map((e) => e.age ?? -1))
        .map(([age, count]) => ({ age: age === -1 ? null : age, count }))
        .sort((a, b) => (a.age ?? 99) - (b.age ?? 99)),
    };
  }

  /** Entries with their private facts, scores' summary and awards, as CSV for the organisers. */
  async entriesCsv(
    by: RoleHolder,
    competitionId: string,
    ranking: Map<string, { mean: number | null; spread: number | null; jurors: number }>,
  ): Promise<string> {
    mustOrganise(by);
    const [entries, categories, awards] = await Promise.all([
      this.organiserEntries(by, competitionId),
      this.categories(competitionId),
      repo.listAwards(this.db, competitionId),
    ]);
    const names = new Map(categories.map((c) => [c.id, c.name]));
    const rows = [];
    for (const e of entries) {
      const email = (await this.deps.accounts.account(e.userId).catch(() => null))?.email ?? '';
      const r = ranking.get(e.id);
      rows.push([
        e.reference,
        names.get(e.categoryId ?? '') ?? '',
        e.title,
        e.submittedAt,
        e.wordCount,
        e.entrantName,
        email,
        e.birthDate,
        e.age,
        e.country,
        e.school,
        e.schoolYear,
        e.consentSchool ? 'yes' : 'no',
        e.videoUrl,
        r?.mean ?? null,
        r?.spread ?? null,
        r?.jurors ?? 0,
        awards
          .filter((a) => a.entry_id === e.id)
          .map((a) => AWARD_LABELS[a.kind])
          .join('; '),
      ]);
    }
    return toCsv(
      [
        'reference',
        'category',
        'title',
        'submitted_at_utc',
        'words',
        'entrant_name',
        'email',
        'birth_date',
        'age_on_deadline',
        'country',
        'school',
        'school_year',
        'consent_to_publish_school',
        'video_url',
        'mean_score',
        'spread',
        'jurors',
        'awards',
      ],
      rows,
      { quoteAll: true },
    );
  }

  async scoresCsv(by: RoleHolder, competitionId: string): Promise<string> {
    mustOrganise(by);
    const [entries, scores] = await Promise.all([
      this.organiserEntries(by, competitionId),
      repo.scoresOfCompetition(this.db, competitionId),
    ]);
    const refs = new Map(entries.map((e) => [e.id, e.reference]));
    const jurorNames = new Map<string, string>();
    for (const userId of new Set(scores.map((s) => s.juror_user_id)))
      jurorNames.set(userId, (await this.deps.accounts.account(userId).catch(() => null))?.displayName ?? '');
    return toCsv(
      ['reference', 'juror', 'criterion', 'score', 'comment', 'updated_at_utc'],
      scores.map((s) => [
        refs.get(s.entry_id) ?? '',
        jurorNames.get(s.juror_user_id) ?? '',
        s.criterion_name,
        s.score,
        s.comment,
        s.updated_at,
      ]),
      { quoteAll: true },
    );
  }
}
