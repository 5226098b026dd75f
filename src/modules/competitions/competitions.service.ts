// The prize's rules for setting a competition up, reading it (the prize page,
// the public results) and entering it (drafts, the final submission, the
// receipt). Publishing results and offering places are in results.service.ts.
// Every decision that depends on the time asks the injected clock, so tests
// move the clock instead of waiting, and the deadline is enforced here, on the
// server, to the second.
import type { Db } from '../../db/database.js';
import type { AwardKind, CategoryKind } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { slugify } from '../../lib/slug.js';
import { parseDoc, renderRichText } from '../../lib/rich-text.js';
import type { SiteIdentity } from '../../mail/layout.js';
import { enqueue } from '../../jobs/index.js';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../../web/errors.js';
import {
  discardPrivatePicture,
  picturesByIds,
  READER_UPLOAD_LIMITS,
  READER_UPLOADS_PER_HOUR,
  storePicture,
  type MediaStorage,
  type Picture,
} from '../media/index.js';
import * as repo from './competitions.repository.js';
import { birthDateParts, type CategoryInput, type CompetitionInput, type CriterionInput, type EntryForm } from './competitions.schemas.js';
import { DECLARATION_FIELDS } from './competitions.schemas.js';
import { isTimeZone } from '../../lib/dates.js';
import { countdown } from './countdown.js';
import {
  acceptsEntries,
  prizeTime,
  localToUtc,
  prizeState,
  resultsVisible,
  utcToLocal,
  type PrizeState,
  type PrizeWindow,
} from './deadlines.js';
import {
  ageOnDeadline,
  checkAge,
  checkBirthDate,
  checkBirthYearAgainstAccount,
  checkDeclarations,
  checkVideoUrl,
  checkWordLimit,
  type DeclarationName,
} from './eligibility.js';
import { docToText, textToDoc } from '../../lib/plain-text.js';
import { countWords } from '../../lib/words.js';
import { prizeEmails } from './emails.js';
import { AWARD_LABELS, mustOrganise } from './judging.js';
import { canOrganise, type RoleHolder } from '../access/index.js';
import { newReference } from './text.js';
import { drafts } from '../articles/index.js';
import { peopleLookups } from '../people/index.js';

export interface Clock {
  now(): Date;
}

/** What the prize needs from the accounts module. */
export interface AccountsPort {
  /** `birthYear`: the year of birth given at sign-up, when the account has one. */
  account(userId: string): Promise<{ email: string; displayName: string; birthYear?: number | null }>;
  /** A fresh session, for a winner whose sessions ended when they accepted a place. */
  createSession(userId: string, persistent: boolean): Promise<{ token: string; expiresAt: Date }>;
  findUserIdByEmail(email: string): Promise<string | null>;
  createVerifiedUser(email: string, displayName: string): Promise<string>;
  signInLinkFor(userId: string, next?: string): Promise<string>;
}

export interface PrizeDeps {
  db: Db;
  site: SiteIdentity;
  media: MediaStorage;
  accounts: AccountsPort;
  clock: Clock;
  /** Tells every process that readers' pages changed (a new person profile). */
  contentChanged?: () => Promise<void>;
}

export interface Prize {
  id: string;
  slug: string;
  name: string;
  year: number;
  safeDescriptionHtml: string;
  safeTermsHtml: string;
  descriptionText: string;
  termsText: string;
  timeZone: string;
  opensAt: string;
  deadlineAt: string;
  announceAt: string;
  minAge: number;
  maxAge: number;
  schoolYearQuestion: string;
  requireFullTime: boolean;
  entriesPerPerson: number;
  shortlistSize: number;
  language: string;
  window: PrizeWindow;
}

export interface PrizeCategory {
  id: string;
  slug: string;
  name: string;
  prompt: string;
  description: string;
  kind: CategoryKind;
  wordLimit: number | null;
  sectionId: string | null;
  position: number;
}

export interface Criterion {
  id: string;
  name: string;
  description: string;
  scaleMin: number;
  scaleMax: number;
}

/** A refused form: a message for the page and, per field, what to fix. */
export class EntryRefused extends AppError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly errors: Record<string, string> = {},
  ) {
    super(
      status,
      code,
      message,
      status === 409 ? 'You have already entered' : status === 403 ? 'Entries are closed' : 'Your entry needs a few changes',
    );
  }
}

/** An organiser's form with errors per field. */
export class FormRefused extends AppError {
  constructor(readonly errors: Record<string, string>) {
    super(422, 'invalid_form', Object.values(errors)[0] ?? 'Some fields need attention.', 'Some fields need attention');
  }
}

/** An entrant is a reader: the reader limits apply to their photograph. */
export const PHOTO_MAX_BYTES = READER_UPLOAD_LIMITS.bytes;
export const PHOTO_LIMITS_TEXT = `${PHOTO_MAX_BYTES / 1024 / 1024} MB and ${READER_UPLOAD_LIMITS.pixels / 1_000_000} megapixels`;
/** Photo and video entries may carry a short statement. */
export const STATEMENT_WORD_LIMIT = 300;

export function toPrize(row: repo.CompetitionRow): Prize {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    year: row.year,
    safeDescriptionHtml: row.description_html,
    safeTermsHtml: row.terms_html,
    descriptionText: docToText(parseDoc(row.description_json), { markup: true }),
    termsText: docToText(parseDoc(row.terms_json), { markup: true, headingLevel: 3 }),
    timeZone: row.time_zone,
    opensAt: row.opens_at,
    deadlineAt: row.deadline_at,
    announceAt: row.announce_at,
    minAge: row.min_age,
    maxAge: row.max_age,
    schoolYearQuestion: row.school_year_question,
    requireFullTime: row.require_full_time === 1,
    entriesPerPerson: row.entries_per_person,
    shortlistSize: row.shortlist_size,
    language: row.language,
    window: {
      opensAt: row.opens_at,
      deadlineAt: row.deadline_at,
      announceAt: row.announce_at,
      shortlistPublishedAt: row.shortlist_published_at,
      winnersPublishedAt: row.winners_published_at,
    },
  };
}

export function toCategory(row: repo.CategoryRow): PrizeCategory {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    prompt: row.prompt,
    description: row.description,
    kind: row.kind,
    wordLimit: row.word_limit,
    sectionId: row.section_id,
    position: row.position,
  };
}

/** The columns the category form sets, alike when a category is added and when it is edited. */
function categoryColumns(input: CategoryInput) {
  return {
    name: input.name,
    prompt: input.prompt,
    description: input.description,
    kind: input.kind,
    word_limit: input.wordLimit === '' ? null : input.wordLimit,
    section_id: input.sectionId || null,
  };
}

export function toCriterion(row: repo.CriterionRow): Criterion {
  return { id: row.id, name: row.name, description: row.description, scaleMin: row.scale_min, scaleMax: row.scale_max };
}

/** The entry form's values from a stored draft. */
function formFromEntry(row: repo.EntryRow | undefined, fallbackName: string): EntryForm {
  const declared = row ? (JSON.parse(row.declarations) as Partial<Record<DeclarationName, boolean>>) : {};
  return {
    categoryId: row?.category_id ?? '',
    title: row?.title ?? '',
    essay: row ? docToText(parseDoc(row.body_json)) : '',
    videoUrl: row?.video_url ?? '',
    photoAlt: '',
    entrantName: row?.entrant_name || fallbackName,
    school: row?.school ?? '',
    country: row?.country ?? '',
    schoolYear: row?.school_year ?? '',
    birthDate: row?.birth_date ?? '',
    birthParts: birthDateParts(row?.birth_date ?? ''),
    consentSchool: row?.consent_school === 1,
    declarations: {
      fullTime: declared.fullTime === true,
      ownWork: declared.ownWork === true,
      english: declared.english === true,
      rules: declared.rules === true,
    },
  };
}

export interface SubmittedEntry {
  reference: string;
  categoryName: string;
  title: string;
  kind: CategoryKind;
  wordCount: number;
  videoUrl: string;
  photo: Picture | null;
  submittedAt: string;
}

export interface EntryDesk {
  prize: Prize;
  categories: PrizeCategory[];
  state: PrizeState;
  form: EntryForm;
  /** The photo already stored with the draft. */
  photo: Picture | null;
  draftSavedAt: string | null;
  submitted: SubmittedEntry[];
  /** Whether this person may submit (another) entry now. */
  canSubmit: boolean;
}

export interface PublicAwardee {
  kind: AwardKind;
  label: string;
  categoryId: string;
  categoryName: string;
  name: string;
  age: number | null;
  country: string;
  /** Only when the entrant consented to it being published. */
  school: string | null;
  title: string;
  juryNote: string;
}

export interface PublicResults {
  shortlist: { category: PrizeCategory; entries: PublicAwardee[] }[];
  winners: { category: PrizeCategory; places: PublicAwardee[] }[];
  overall: PublicAwardee | null;
  showWinners: boolean;
}

const PLACE_ORDER: AwardKind[] = ['first', 'second', 'third'];

export class CompetitionsService {
  constructor(private readonly deps: PrizeDeps) {}

  get db(): Db {
    return this.deps.db;
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /** Replaces the clock (tests); the judging service shares it. */
  setClock(now: () => Date): void {
    this.deps.clock.now = now;
  }

  // ---- reading ------------------------------------------------------------------

  async list(): Promise<Prize[]> {
    return (await repo.listCompetitions(this.db)).map(toPrize);
  }

  async bySlug(slug: string): Promise<Prize> {
    const row = await repo.findCompetitionBySlug(this.db, slug);
    if (!row) throw new NotFoundError('There is no prize at this address.');
    return toPrize(row);
  }

  async byId(id: string): Promise<Prize> {
    const row = await repo.findCompetition(this.db, id);
    if (!row) throw new NotFoundError('There is no such prize.');
    return toPrize(row);
  }

  async categories(competitionId: string): Promise<PrizeCategory[]> {
    return (await repo.listCategories(this.db, competitionId)).map(toCategory);
  }

  async criteria(competitionId: string): Promise<Criterion[]> {
    return (await repo.listCriteria(this.db, competitionId)).map(toCriterion);
  }

  async sections(): Promise<{ id: string; name: string }[]> {
    return drafts.listSections(this.db);
  }

  /** Everything the public prize page shows. */
  async publicPage(slug: string) {
    const prize = await this.bySlug(slug);
    const now = this.now();
    const state = prizeState(prize.window, now);
    const categories = await this.categories(prize.id);
    const results = state === 'shortlist' || state === 'winners' ? await this.resultsOf(prize, categories, now) : null;
    return {
      prize,
      categories,
      state,
      now: now.toISOString(),
      countdown: countdown(state === 'upcoming' ? prize.opensAt : prize.deadlineAt, now),
      results,
    };
  }

  /** Public results, or a 404 before they are out. */
  async results(slug: string, what: 'shortlist' | 'winners'): Promise<{ prize: Prize; results: PublicResults }> {
    const prize = await this.bySlug(slug);
    const now = this.now();
    if (!resultsVisible(prize.window, now, what))
      throw new NotFoundError(
        what === 'winners' ? 'The winners have not been announced yet.' : 'The shortlist has not been announced yet.',
      );
    return { prize, results: await this.resultsOf(prize, await this.categories(prize.id), now) };
  }

  private async resultsOf(prize: Prize, categories: PrizeCategory[], now: Date): Promise<PublicResults> {
    const [awards, entries] = await Promise.all([repo.listAwards(this.db, prize.id), repo.listSubmittedEntries(this.db, prize.id)]);
    const byId = new Map(entries.map((e) => [e.id, e]));
    const byCategory = new Map(categories.map((c) => [c.id, c]));
    // An entrant who has become one of the magazine's people is shown as they chose to be (byline privacy).
    const awardedPeople = [...new Set(awards.flatMap((a) => byId.get(a.entry_id)?.person_id ?? []))];
    const shown = new Map((await peopleLookups.bylineNames(this.db, awardedPeople)).map((p) => [p.id, p]));
    const notes = new Map(awards.map((a) => [`${a.entry_id}:${a.kind}`, a.jury_note]));
    const person = (entryId: string, kind: AwardKind): PublicAwardee | null => {
      const e = byId.get(entryId);
      const category = e?.category_id ? byCategory.get(e.category_id) : undefined;
      if (!e || !category) return null;
      const as = e.person_id ? shown.get(e.person_id) : undefined;
      return {
        kind,
        label: kind === 'first' ? `Winner, ${category.name}` : kind === 'overall' ? 'Overall winner' : AWARD_LABELS[kind],
        categoryId: category.id,
        categoryName: category.name,
        name: as?.name ?? e.entrant_name,
        age:
          e.birth_date && (as?.showAge ?? true)
            ? ageOnDeadline(e.birth_date, { deadlineAt: prize.deadlineAt, timeZone: prize.timeZone })
            : null,
        country: (as?.showPlace ?? true) ? e.country : '',
        school: e.consent_school === 1 && e.school ? e.school : null,
        title: e.title,
        juryNote: notes.get(`${entryId}:${kind}`) || notes.get(`${entryId}:shortlist`) || '',
      };
    };
    const showWinners = resultsVisible(prize.window, now, 'winners');
    const shortlist = categories.map((category) => ({
      category,
      entries: awards
        .filter((a) => a.kind === 'shortlist' && a.category_id === category.id)
        .map((a) => person(a.entry_id, 'shortlist'))
        .filter((p): p is PublicAwardee => p !== null)
        .sort((a, b) => a.title.localeCompare(b.title)),
    }));
    const winners = showWinners
      ? categories.map((category) => ({
          category,
          places: PLACE_ORDER.flatMap((kind) => {
            const a = awards.find((x) => x.kind === kind && x.category_id === category.id);
            const p = a ? person(a.entry_id, kind) : null;
            return p ? [p] : [];
          }),
        }))
      : [];
    const overallAward = showWinners ? awards.find((a) => a.kind === 'overall') : undefined;
    return { shortlist, winners, overall: overallAward ? person(overallAward.entry_id, 'overall') : null, showWinners };
  }

  // ---- setting up (organisers; the routes check who) --------------------------------

  private windowFrom(input: CompetitionInput): { opens_at: string; deadline_at: string; announce_at: string } {
    const errors: Record<string, string> = {};
    if (!isTimeZone(input.timeZone))
      errors.timeZone = 'That is not a time zone we know. Use a name like Europe/London or America/New_York.';
    const zone = errors.timeZone ? 'UTC' : input.timeZone;
    const times: Record<string, string> = {};
    for (const key of ['opensAt', 'deadlineAt', 'announceAt'] as const) {
      const parsed = localToUtc(input[key], zone);
      if (parsed.ok) times[key] = parsed.iso;
      else errors[key] = parsed.message;
    }
    if (times.opensAt && times.deadlineAt && times.opensAt >= times.deadlineAt)
      errors.deadlineAt = 'The deadline must come after entries open.';
    if (times.deadlineAt && times.announceAt && times.announceAt < times.deadlineAt)
      errors.announceAt = 'Results can only be announced after the deadline.';
    if (Object.keys(errors).length) throw new FormRefused(errors);
    return { opens_at: times.opensAt!, deadline_at: times.deadlineAt!, announce_at: times.announceAt! };
  }

  private columnsFrom(input: CompetitionInput) {
    const description = textToDoc(input.description, { markup: true });
    // The rules sit under the page's own “Rules” heading.
    const terms = textToDoc(input.terms, { markup: true, headingLevel: 3 });
    return {
      name: input.name,
      year: input.year,
      description_json: JSON.stringify(description),
      description_html: renderRichText(description),
      terms_json: JSON.stringify(terms),
      terms_html: renderRichText(terms),
      time_zone: input.timeZone,
      ...this.windowFrom(input),
      min_age: input.minAge,
      max_age: input.maxAge,
      school_year_question: input.schoolYearQuestion,
      require_full_time: input.requireFullTime ? 1 : 0,
      entries_per_person: input.entriesPerPerson,
      shortlist_size: input.shortlistSize,
      language: input.language,
    };
  }

  async create(by: RoleHolder, input: CompetitionInput): Promise<string> {
    mustOrganise(by);
    const columns = this.columnsFrom(input);
    const slug = input.slug || slugify(input.name, 'prize');
    if (await repo.findCompetitionBySlug(this.db, slug)) throw new FormRefused({ slug: 'Another prize already uses this address.' });
    const id = newId();
    const now = new Date().toISOString();
    await repo.insertCompetition(this.db, {
      id,
      slug,
      ...columns,
      shortlist_published_at: null,
      winners_published_at: null,
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  async update(by: RoleHolder, id: string, input: CompetitionInput): Promise<void> {
    mustOrganise(by);
    const prize = await this.byId(id);
    const columns = this.columnsFrom(input);
    const slug = input.slug || prize.slug;
    if (slug !== prize.slug && (await repo.findCompetitionBySlug(this.db, slug)))
      throw new FormRefused({ slug: 'Another prize already uses this address.' });
    await repo.updateCompetition(this.db, id, { slug, ...columns, updated_at: new Date().toISOString() });
  }

  /** The settings form's values for a stored prize, times in its zone. */
  formValues(prize: Prize): Record<string, string> {
    return {
      name: prize.name,
      year: String(prize.year),
      slug: prize.slug,
      description: prize.descriptionText,
      terms: prize.termsText,
      timeZone: prize.timeZone,
      opensAt: utcToLocal(prize.opensAt, prize.timeZone),
      deadlineAt: utcToLocal(prize.deadlineAt, prize.timeZone),
      announceAt: utcToLocal(prize.announceAt, prize.timeZone),
      minAge: String(prize.minAge),
      maxAge: String(prize.maxAge),
      schoolYearQuestion: prize.schoolYearQuestion,
      requireFullTime: prize.requireFullTime ? '1' : '',
      entriesPerPerson: String(prize.entriesPerPerson),
      shortlistSize: String(prize.shortlistSize),
      language: prize.language,
    };
  }

  async addCategory(by: RoleHolder, competitionId: string, input: CategoryInput): Promise<string> {
    mustOrganise(by);
    await this.byId(competitionId);
    const existing = await repo.listCategories(this.db, competitionId);
    const slug = slugify(input.name, 'category');
    if (existing.some((c) => c.slug === slug)) throw new FormRefused({ name: 'This prize already has a category with that name.' });
    if (input.sectionId && !(await drafts.sectionExists(this.db, input.sectionId)))
      throw new FormRefused({ sectionId: 'Choose a section from the list.' });
    const id = newId();
    await repo.insertCategory(this.db, {
      id,
      competition_id: competitionId,
      slug,
      ...categoryColumns(input),
      position: input.position === '' ? existing.length : input.position,
      created_at: new Date().toISOString(),
    });
    return id;
  }

  async updateCategory(by: RoleHolder, competitionId: string, categoryId: string, input: CategoryInput): Promise<void> {
    mustOrganise(by);
    const category = await repo.findCategory(this.db, categoryId);
    if (!category || category.competition_id !== competitionId) throw new NotFoundError('There is no such category.');
    if (input.kind !== category.kind && (await repo.countEntriesInCategory(this.db, categoryId)) > 0)
      throw new FormRefused({ kind: 'This category has entries: its kind can no longer change.' });
    if (input.sectionId && !(await drafts.sectionExists(this.db, input.sectionId)))
      throw new FormRefused({ sectionId: 'Choose a section from the list.' });
    await repo.updateCategory(this.db, categoryId, {
      ...categoryColumns(input),
      ...(input.position === '' ? {} : { position: input.position }),
    });
  }

  async removeCategory(by: RoleHolder, competitionId: string, categoryId: string): Promise<void> {
    mustOrganise(by);
    const category = await repo.findCategory(this.db, categoryId);
    if (!category || category.competition_id !== competitionId) throw new NotFoundError('There is no such category.');
    if ((await repo.countEntriesInCategory(this.db, categoryId)) > 0)
      throw new BadRequestError('This category has entries (or drafts of entries): it cannot be removed.', 'category_has_entries');
    await repo.deleteCategory(this.db, categoryId);
  }

  async addCriterion(by: RoleHolder, competitionId: string, input: CriterionInput): Promise<void> {
    mustOrganise(by);
    await this.byId(competitionId);
    const existing = await repo.listCriteria(this.db, competitionId);
    await repo.insertCriterion(this.db, {
      id: newId(),
      competition_id: competitionId,
      name: input.name,
      description: input.description,
      scale_min: input.scaleMin === '' ? 1 : input.scaleMin,
      scale_max: input.scaleMax === '' ? 10 : input.scaleMax,
      position: existing.length,
    });
  }

  async removeCriterion(by: RoleHolder, competitionId: string, criterionId: string): Promise<void> {
    mustOrganise(by);
    await repo.deleteCriterion(this.db, competitionId, criterionId);
  }

  // ---- entering ------------------------------------------------------------------------

  async entryDesk(userId: string, slug: string): Promise<EntryDesk> {
    const prize = await this.bySlug(slug);
    const now = this.now();
    const [categories, draft, submittedRows, account] = await Promise.all([
      this.categories(prize.id),
      repo.findDraft(this.db, prize.id, userId),
      repo.submittedEntriesOf(this.db, prize.id, userId),
      this.deps.accounts.account(userId),
    ]);
    const pictures = await picturesByIds(this.db, [draft?.media_id ?? null, ...submittedRows.map((e) => e.media_id)]);
    const names = new Map(categories.map((c) => [c.id, c]));
    return {
      prize,
      categories,
      state: prizeState(prize.window, now),
      form: formFromEntry(draft, account.displayName),
      photo: draft?.media_id ? (pictures.get(draft.media_id) ?? null) : null,
      draftSavedAt: draft?.updated_at ?? null,
      submitted: submittedRows.map((e) => this.submittedView(e, names.get(e.category_id ?? ''), pictures)),
      canSubmit: acceptsEntries(prize.window, now) && submittedRows.length < prize.entriesPerPerson,
    };
  }

  private submittedView(e: repo.EntryRow, category: PrizeCategory | undefined, pictures: Map<string, Picture>): SubmittedEntry {
    return {
      reference: e.reference ?? '',
      categoryName: category?.name ?? '',
      title: e.title,
      kind: category?.kind ?? 'essay',
      wordCount: e.word_count,
      videoUrl: e.video_url,
      photo: e.media_id ? (pictures.get(e.media_id) ?? null) : null,
      submittedAt: e.submitted_at ?? '',
    };
  }

  /** The stored draft, created if needed, updated with what was typed; a new photo goes through the media pipeline. */
  private async keepDraft(
    userId: string,
    prize: Prize,
    categories: PrizeCategory[],
    form: EntryForm,
    photo: Buffer | null,
  ): Promise<{ entry: repo.EntryRow; photoError: string | null }> {
    let mediaId: string | null | undefined;
    let photoError: string | null = null;
    if (photo) {
      if (photo.length > PHOTO_MAX_BYTES) {
        photoError = `Your photograph is larger than ${PHOTO_MAX_BYTES / 1024 / 1024} MB. Save a smaller copy (3,000 pixels wide is plenty) and choose it again.`;
      } else {
        try {
          // Private until the results that include it are published, and never in the staff library.
          const picture = await storePicture(
            this.db,
            this.deps.media,
            photo,
            { alt: form.photoAlt, uploadedBy: userId },
            { purpose: 'prize_entry', limits: READER_UPLOAD_LIMITS, perHour: READER_UPLOADS_PER_HOUR },
          );
          mediaId = picture.id;
        } catch (error) {
          if (!(error instanceof AppError)) {
            if ((error as { code?: unknown }).code !== undefined) throw error;
            photoError = 'That photograph could not be read: the file may be damaged. Export it again and choose the new file.';
          } else {
            photoError =
              error.code === 'alt_required'
                ? 'Describe your photograph in a sentence: readers who cannot see it rely on that description.'
                : error.message;
          }
        }
      }
    }
    const category = categories.find((c) => c.id === form.categoryId);
    const doc = textToDoc(form.essay);
    const now = new Date().toISOString();
    const values = {
      category_id: category?.id ?? null,
      title: form.title,
      body_json: JSON.stringify(doc),
      body_html: renderRichText(doc),
      word_count: countWords(form.essay),
      video_url: form.videoUrl,
      entrant_name: form.entrantName,
      birth_date: checkBirthDate(form.birthDate, '9999-12-31').ok ? form.birthDate : null,
      school: form.school,
      country: form.country,
      school_year: form.schoolYear,
      consent_school: form.consentSchool ? 1 : 0,
      declarations: JSON.stringify(form.declarations),
      updated_at: now,
      ...(mediaId ? { media_id: mediaId } : {}),
    };
    const draft = await repo.findDraft(this.db, prize.id, userId);
    if (draft) {
      await repo.updateDraft(this.db, draft.id, values);
      // The photograph it replaced is used by nothing else: its files go.
      if (mediaId && draft.media_id && draft.media_id !== mediaId) await discardPrivatePicture(this.db, this.deps.media, draft.media_id);
      return { entry: { ...draft, ...values }, photoError };
    }
    const entry: repo.EntryRow = {
      id: newId(),
      competition_id: prize.id,
      user_id: userId,
      status: 'draft',
      reference: null,
      submission_slot: null,
      media_id: mediaId ?? null,
      submitted_at: null,
      offered_at: null,
      person_id: null,
      article_id: null,
      created_at: now,
      ...values,
    };
    await repo.insertEntry(this.db, entry);
    return { entry, photoError };
  }

  private closedRefusal(prize: Prize, now: Date): EntryRefused | null {
    if (acceptsEntries(prize.window, now)) return null;
    if (now.getTime() < Date.parse(prize.opensAt)) {
      return new EntryRefused(
        403,
        'entries_not_open',
        `Entries open on ${prizeTime(prize.opensAt, prize.timeZone)}. Your draft is saved until then.`,
      );
    }
    return new EntryRefused(
      403,
      'entries_closed',
      `Entries closed at the deadline, ${prizeTime(prize.deadlineAt, prize.timeZone)}. Submissions after it cannot be accepted.`,
    );
  }

  /** Saves a private draft. Allowed whenever the prize exists: typed work is never thrown away. */
  async saveDraft(userId: string, slug: string, form: EntryForm, photo: Buffer | null = null): Promise<{ savedAt: string }> {
    const prize = await this.bySlug(slug);
    const submitted = await repo.submittedEntriesOf(this.db, prize.id, userId);
    if (submitted.length >= prize.entriesPerPerson) throw this.alreadyEntered(prize, submitted);
    const { entry, photoError } = await this.keepDraft(userId, prize, await this.categories(prize.id), form, photo);
    if (photoError) throw new EntryRefused(422, 'photo_refused', 'Your draft is saved, but not the photograph.', { photo: photoError });
    return { savedAt: entry.updated_at };
  }

  private alreadyEntered(prize: Prize, submitted: repo.EntryRow[]): EntryRefused {
    const refs = submitted.map((e) => e.reference).join(', ');
    const allowed = prize.entriesPerPerson === 1 ? 'one entry per person' : `${prize.entriesPerPerson} entries per person`;
    return new EntryRefused(
      409,
      'already_entered',
      `You have already entered ${prize.name} (reference ${refs}). The rules allow ${allowed}, and entries cannot be changed or replaced.`,
    );
  }

  /**
   * Submits the entry: final. The time is read once, when the request arrived,
   * and checked against the deadline to the second; then the draft is kept (so a
   * refusal loses nothing), checked in full, and turned into a submitted entry
   * with a reference and a receipt on the mail queue, in one transaction.
   */
  async submit(
    userId: string,
    slug: string,
    form: EntryForm,
    photo: Buffer | null = null,
  ): Promise<{ reference: string; entryId: string }> {
    const prize = await this.bySlug(slug);
    const now = this.now();
    const submitted = await repo.submittedEntriesOf(this.db, prize.id, userId);
    if (submitted.length >= prize.entriesPerPerson) throw this.alreadyEntered(prize, submitted);
    const categories = await this.categories(prize.id);
    const { entry, photoError } = await this.keepDraft(userId, prize, categories, form, photo);
    const closed = this.closedRefusal(prize, now);
    if (closed) throw closed;

    const account = await this.deps.accounts.account(userId);
    const errors = this.checkEntry(prize, categories, form, entry, now);
    if (!errors.birthDate) {
      const mismatch = checkBirthYearAgainstAccount(form.birthDate, account.birthYear ?? null);
      if (!mismatch.ok) errors.birthDate = mismatch.message;
    }
    if (photoError) errors.photo = photoError;
    if (Object.keys(errors).length > 0)
      throw new EntryRefused(
        422,
        'entry_invalid',
        'Your entry was not submitted: please correct the following. Your draft is saved.',
        errors,
      );

    const category = categories.find((c) => c.id === entry.category_id)!;
    const reference = newReference(prize.name, prize.year);
    const submittedAt = now.toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        const slot = (await repo.submittedEntriesOf(trx, prize.id, userId)).length + 1;
        if (slot > prize.entriesPerPerson) throw this.alreadyEntered(prize, await repo.submittedEntriesOf(trx, prize.id, userId));
        const ok = await repo.updateDraft(trx, entry.id, {
          status: 'submitted',
          reference,
          submission_slot: slot,
          submitted_at: submittedAt,
          updated_at: submittedAt,
        });
        if (!ok) throw new ConflictError('This entry was submitted already.', 'already_submitted');
        const detail =
          category.kind === 'essay'
            ? `Length: ${entry.word_count.toLocaleString('en-GB')} words`
            : category.kind === 'video'
              ? `Video: ${entry.video_url}`
              : 'Photograph: received';
        const message = prizeEmails.receipt(this.deps.site, {
          prize: prize.name,
          reference,
          category: category.name,
          title: entry.title,
          detail,
          submittedAt: `${prizeTime(submittedAt, prize.timeZone)} (${prize.timeZone} time)`,
          url: `${this.deps.site.siteUrl}/prizes/${prize.slug}/entries/${reference}`,
        });
        await enqueue(trx, 'send_email', { to: account.email, ...message });
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The unique (competition, user, slot) constraint: a second submission raced this one.
      if (/unique|duplicate/i.test(String((error as Error).message)))
        throw this.alreadyEntered(prize, await repo.submittedEntriesOf(this.db, prize.id, userId));
      throw error;
    }
    return { reference, entryId: entry.id };
  }

  /** Field name → message, for everything a final entry must hold. */
  private checkEntry(prize: Prize, categories: PrizeCategory[], form: EntryForm, entry: repo.EntryRow, now: Date): Record<string, string> {
    const errors: Record<string, string> = {};
    const category = categories.find((c) => c.id === form.categoryId);
    if (!category) errors.categoryId = 'Choose the category you are entering.';
    if (form.title === '') errors.title = 'Give your entry a title.';
    if (category?.kind === 'essay') {
      const check = checkWordLimit(countWords(form.essay), category.wordLimit);
      if (!check.ok) errors.essay = check.message;
    } else if (category) {
      if (category.kind === 'photo' && !entry.media_id)
        errors.photo = `Choose your photograph to upload: a JPEG, PNG, WebP or AVIF file of up to ${PHOTO_LIMITS_TEXT}.`;
      if (category.kind === 'video') {
        const video = checkVideoUrl(form.videoUrl);
        if (!video.ok) errors.videoUrl = video.message;
      }
      const words = countWords(form.essay);
      if (words > STATEMENT_WORD_LIMIT)
        errors.essay = `Your statement has ${words.toLocaleString('en-GB')} words; keep it to ${STATEMENT_WORD_LIMIT}.`;
    }
    if (form.entrantName === '') errors.entrantName = 'Enter your full name, as it would be published if you win.';
    const birth = checkBirthDate(form.birthDate, now.toISOString().slice(0, 10));
    if (!birth.ok) errors.birthDate = birth.message;
    else {
      const age = checkAge(form.birthDate, {
        minAge: prize.minAge,
        maxAge: prize.maxAge,
        deadlineAt: prize.deadlineAt,
        timeZone: prize.timeZone,
      });
      if (!age.ok) errors.birthDate = age.message;
    }
    if (form.school === '') errors.school = 'Enter the name of your school.';
    if (form.country === '') errors.country = 'Enter the country you live in.';
    if (form.schoolYear === '') errors.schoolYear = 'Answer the question about your school year.';
    const missing = checkDeclarations(form.declarations, { requireFullTime: prize.requireFullTime, language: prize.language });
    for (const [name, message] of Object.entries(missing)) errors[DECLARATION_FIELDS[name as DeclarationName]] = message;
    return errors;
  }

  /** Everything the prize keeps about an account, private facts included, for the account's data export. */
  async exportFor(userId: string): Promise<{ prizeEntries: object[] }> {
    const rows = await repo.entriesOfUser(this.db, userId);
    return {
      prizeEntries: rows.map((e) => ({
        prize: e.competition_name,
        category: e.category_name,
        status: e.status,
        reference: e.reference,
        title: e.title,
        text: docToText(parseDoc(e.body_json)),
        videoUrl: e.video_url || null,
        photoMediaId: e.media_id,
        entrantName: e.entrant_name,
        birthDate: e.birth_date,
        school: e.school,
        country: e.country,
        schoolYear: e.school_year,
        consentToPublishSchool: e.consent_school === 1,
        declarations: JSON.parse(e.declarations) as object,
        submittedAt: e.submitted_at,
        createdAt: e.created_at,
        updatedAt: e.updated_at,
      })),
    };
  }

  /**
   * Who may see an entry's photograph before the results: its entrant and the
   * organisers, by their session. Jurors see it through signed addresses on their
   * pages; everyone else, contributors included, is refused.
   */
  async canSeeEntryPhoto(viewer: RoleHolder & { userId: string }, mediaId: string): Promise<boolean> {
    if (canOrganise(viewer)) return true;
    return repo.ownsEntryPhoto(this.db, viewer.userId, mediaId);
  }

  /** The entrant's own submitted entry, for the confirmation page; 404 for anyone else. */
  async receipt(userId: string, slug: string, reference: string): Promise<{ prize: Prize; entry: SubmittedEntry }> {
    const prize = await this.bySlug(slug);
    const rows = await repo.submittedEntriesOf(this.db, prize.id, userId);
    const row = rows.find((e) => e.reference === reference);
    if (!row) throw new NotFoundError('There is no entry of yours with this reference.');
    const category = row.category_id ? await repo.findCategory(this.db, row.category_id) : undefined;
    const pictures = await picturesByIds(this.db, [row.media_id]);
    return { prize, entry: this.submittedView(row, category ? toCategory(category) : undefined, pictures) };
  }
}
