// After the deadline, for the organisers: publishing the shortlist and the
// winners (with the entrants' emails on the job queue), offering winners a place
// on the magazine, and the entrants' private facts for the exports and the
// statistics. The clock is the one the prize service asks.
import type { Db } from '../../db/database.js';
import { newId, slugify } from '../../lib/ids.js';
import { parseDoc, renderRichText, rt, type RichNode } from '../../lib/rich-text.js';
import { enqueue } from '../../jobs/index.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../web/errors.js';
import { picturesByIds, publishPictures } from '../media/index.js';
import * as repo from './competitions.repository.js';
import type { CompetitionsService, PrizeDeps } from './competitions.service.js';
import { formatInZone } from './deadlines.js';
import { ageOnDeadline } from './eligibility.js';
import { prizeEmails } from './emails.js';
import { AWARD_LABELS } from './judging.js';
import { toCsv, winnerBylinePhrase } from './text.js';

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
  async publish(competitionId: string, what: 'shortlist' | 'winners'): Promise<void> {
    const prize = await this.byId(competitionId);
    const now = this.now();
    if (now.getTime() < Date.parse(prize.announceAt)) {
      throw new BadRequestError(`Results can be published from the announcement date, ${formatInZone(prize.announceAt, prize.timeZone)}.`, 'too_early');
    }
    const awards = await repo.listAwards(this.db, prize.id);
    if (!awards.some((a) => a.kind === 'shortlist')) throw new BadRequestError('Nothing is shortlisted yet.', 'nothing_to_publish');
    if (what === 'winners' && !awards.some((a) => a.kind === 'first')) throw new BadRequestError('No category has a winner yet.', 'nothing_to_publish');
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
        const message = prizeEmails.results(this.deps.site, { prize: prize.name, reference: e.reference ?? '', title: e.title, outcome, url: `${this.deps.site.siteUrl}/prizes/${prize.slug}/winners` });
        await enqueue(trx, 'send_email', { to, ...message });
      }
    });
    await this.publishAwardedPhotos(prize.id, () => true);
  }

  /** Photographs that are part of a published result become public like the site's other pictures; the rest stay private. */
  private async publishAwardedPhotos(prizeId: string, published: (kind: string) => boolean): Promise<void> {
    const awarded = new Set((await repo.listAwards(this.db, prizeId)).filter((a) => published(a.kind)).map((a) => a.entry_id));
    const entries = (await repo.listSubmittedEntries(this.db, prizeId)).filter((e) => awarded.has(e.id));
    if ((await publishPictures(this.db, this.deps.media, entries.map((e) => e.media_id))) > 0) await this.deps.contentChanged?.();
  }

  /**
   * Offers a winner a place on the magazine, in one transaction: their person
   * profile (from the entry: name, country, and the birth date, which stays
   * private), a contributor role from today, and a draft article of the winning
   * piece with the byline phrase "is the winner of <prize>: <category>", ready for
   * the newsroom's workflow.
   */
  async offerPlace(competitionId: string, entryId: string): Promise<{ personId: string; articleId: string }> {
    const prize = await this.byId(competitionId);
    const entry = await repo.findEntry(this.db, entryId);
    if (!entry || entry.competition_id !== prize.id || entry.status !== 'submitted') throw new NotFoundError('There is no such entry.');
    const awards = (await repo.listAwards(this.db, prize.id)).filter((a) => a.entry_id === entry.id);
    if (!awards.some((a) => a.kind === 'first' || a.kind === 'overall')) throw new BadRequestError('Places are offered to category winners and the overall winner.', 'not_a_winner');
    if (entry.offered_at) throw new ConflictError('This winner has already been offered a place.', 'already_offered');
    const category = entry.category_id ? await repo.findCategory(this.db, entry.category_id) : undefined;
    if (!category) throw new BadRequestError('The entry has no category.');
    const now = this.now();
    const nowIso = now.toISOString();
    const today = nowIso.slice(0, 10);
    const phrase = winnerBylinePhrase(prize.name, prize.year, category.name);
    const personId = newId();
    const articleId = newId();
    let chosenPersonId = personId;
    // Read before the transaction: on SQLite a query outside it would wait for it to end.
    const account = await this.deps.accounts.account(entry.user_id).catch(() => null);
    await this.db.transaction().execute(async (trx) => {
      const existing = await repo.personIdOfUser(trx, entry.user_id);
      const locations = JSON.stringify(entry.country ? [entry.country] : []);
      if (existing) {
        chosenPersonId = existing;
        await repo.fillPersonFacts(trx, existing, { birth_date: entry.birth_date, locations }, nowIso);
      } else {
        const base = slugify(entry.entrant_name) || 'prize-winner';
        let slug = base;
        for (let i = 2; await repo.slugTaken(trx, 'people', slug); i++) slug = `${base}-${i}`;
        const bio = rt.doc(rt.p(`Winner of ${phrase.replace(/^is the winner of /, '')}.`));
        await repo.insertPerson(trx, {
          id: personId,
          slug,
          name: entry.entrant_name,
          photo_media_id: null,
          birth_date: entry.birth_date,
          birthplace: null,
          show_birthplace: 0,
          locations,
          languages: '[]',
          bio_json: JSON.stringify(bio),
          bio_html: renderRichText(bio),
          user_id: entry.user_id,
          created_at: nowIso,
          updated_at: nowIso,
        });
      }
      if (!(await repo.holdsRole(trx, chosenPersonId, 'contributor', today))) {
        await repo.insertRole(trx, { id: newId(), person_id: chosenPersonId, role: 'contributor', section_id: null, newsroom_id: null, starts_on: today, ends_on: null, created_at: nowIso });
      }
      const sectionId = (category.section_id && (await repo.sectionExists(trx, category.section_id)) ? category.section_id : await repo.firstSectionId(trx)) ?? null;
      if (!sectionId) throw new BadRequestError('The magazine has no section to put the article in yet.');
      let body: RichNode = parseDoc(entry.body_json);
      if (category.kind === 'video' && entry.video_url) body = { type: 'doc', content: [rt.p(rt.link('Watch the winning video', entry.video_url)), ...(body.content ?? [])] };
      const picture = entry.media_id ? (await picturesByIds(trx as unknown as Db, [entry.media_id])).get(entry.media_id) : undefined;
      const base = slugify(entry.title) || 'prize-winner';
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
      await repo.insertDraftArticle(trx, article, chosenPersonId, {
        id: newId(),
        article_id: articleId,
        version: 1,
        kind: 'save',
        user_id: null,
        author_name: prize.name,
        title: entry.title,
        dek: '',
        body_json: article.body_json,
        fields: JSON.stringify({ bylinePhrase: phrase }),
        created_at: nowIso,
        updated_at: nowIso,
      });
      if (!(await repo.markOffered(trx, entry.id, { offered_at: nowIso, person_id: chosenPersonId, article_id: articleId }))) {
        throw new ConflictError('This winner has already been offered a place.', 'already_offered');
      }
      if (account) {
        const message = prizeEmails.placeOffered(this.deps.site, { prize: prize.name, category: category.name, url: `${this.deps.site.siteUrl}/newsroom/articles/${articleId}` });
        await enqueue(trx, 'send_email', { to: account.email, ...message });
      }
    });
    await this.deps.contentChanged?.();
    return { personId: chosenPersonId, articleId };
  }

  // ---- for the organisers: identities, export, statistics ----------------------------------

  /** Submitted entries with their private facts, for the organisers only. */
  async organiserEntries(competitionId: string) {
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

  async statistics(competitionId: string) {
    const prize = await this.byId(competitionId);
    const [entries, categories, drafts] = await Promise.all([this.organiserEntries(competitionId), this.categories(competitionId), repo.countDrafts(this.db, competitionId)]);
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
  async entriesCsv(competitionId: string, ranking: Map<string, { mean: number | null; spread: number | null; jurors: number }>): Promise<string> {
    const [entries, categories, awards] = await Promise.all([this.organiserEntries(competitionId), this.categories(competitionId), repo.listAwards(this.db, competitionId)]);
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
      ['reference', 'category', 'title', 'submitted_at_utc', 'words', 'entrant_name', 'email', 'birth_date', 'age_on_deadline', 'country', 'school', 'school_year', 'consent_to_publish_school', 'video_url', 'mean_score', 'spread', 'jurors', 'awards'],
      rows,
    );
  }

  async scoresCsv(competitionId: string): Promise<string> {
    const [entries, scores] = await Promise.all([this.organiserEntries(competitionId), repo.scoresOfCompetition(this.db, competitionId)]);
    const refs = new Map(entries.map((e) => [e.id, e.reference]));
    const jurorNames = new Map<string, string>();
    for (const userId of new Set(scores.map((s) => s.juror_user_id))) jurorNames.set(userId, (await this.deps.accounts.account(userId).catch(() => null))?.displayName ?? '');
    return toCsv(
      ['reference', 'juror', 'criterion', 'score', 'comment', 'updated_at_utc'],
      scores.map((s) => [refs.get(s.entry_id) ?? '', jurorNames.get(s.juror_user_id) ?? '', s.criterion_name, s.score, s.comment, s.updated_at]),
    );
  }
}
