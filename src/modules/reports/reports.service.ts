// Reports of a problem with a page: what the public form and the newsroom's queue
// call. Every rule is checked here, not only by the routes in front of it: who
// may read the queue, how often one client or one address may report, what goes
// into the audit log. The reporter's address is private: it is shown to the
// queue's staff, mailed to through a job that names only the report, and never
// written to a log.
import type { Kysely } from 'kysely';
import { recordAudit } from '../../db/audit.js';
import { nowIso } from '../../db/database.js';
import type { Database, ProblemReportState } from '../../db/schema.js';
import { enqueue } from '../../jobs/index.js';
import { todayUtc } from '../../lib/dates.js';
import { newId } from '../../lib/ids.js';
import { renderEmail, type SiteIdentity } from '../../mail/layout.js';
import type { OutgoingMessage } from '../../mail/mailer.js';
import { ForbiddenError, NotFoundError } from '../../web/errors.js';
import type { Pagination } from '../../web/http.js';
import { paginate } from '../../web/http.js';
import { KeyLimiter } from '../../web/key-limit.js';
import { canHandleReports, type Actor } from '../access/index.js';
import type { ArticlesService } from '../articles/index.js';
import { peopleLookups, personCards, personProfile } from '../people/index.js';
import type { ReportInput } from './report-input.js';
import {
  countReports,
  insertNote,
  insertReport,
  listReports,
  notesOf,
  reportById,
  touchReport,
  updateReportState,
  type NoteRow,
  type ReportListRow,
  type ReportRow,
} from './reports.repository.js';

/** The job that sends the reporter their acknowledgement: its payload names the report, never the address. */
export const ACKNOWLEDGEMENT_JOB = 'problem_report_acknowledgement';

export const QUEUE_PATH = '/newsroom/reports';
const REFUSAL = 'Only the editor-in-chief, the managing editor and the mentors see the reports of a problem.';

/** The page a report is about, as the URL named it. */
export interface ReportSubject {
  type: 'article' | 'person';
  id: string;
  title: string;
  /** The public page's address. */
  path: string;
}

/** The reported page as it is now, for the queue's detail page. */
export interface ReportedPage {
  title: string;
  /** Null when the page is no longer public. */
  path: string | null;
}

export interface ReportDetail {
  report: ReportRow;
  page: ReportedPage;
  notes: NoteRow[];
}

export interface ReportsDeps {
  db: Kysely<Database>;
  site: SiteIdentity;
  articles: Pick<ArticlesService, 'accessOf' | 'titlesByIds' | 'publishedIdsAmong'>;
}

function mayHandle(actor: Actor): void {
  if (!canHandleReports(actor)) throw new ForbiddenError(REFUSAL);
}

export class ReportsService {
  private readonly perClient: KeyLimiter;
  private readonly perAddress: KeyLimiter;

  constructor(private readonly deps: ReportsDeps) {
    // A school's pupils may share one address: generous per client, strict per email address.
    this.perClient = new KeyLimiter(deps.db, {
      scope: 'problem-report-client',
      max: 20,
      windowMs: 60 * 60_000,
      message: 'Too many reports have come from your connection in the last hour. Please wait {minutes} and try again.',
    });
    this.perAddress = new KeyLimiter(deps.db, {
      scope: 'problem-report-email',
      max: 5,
      windowMs: 60 * 60_000,
      message: 'Too many reports have been sent with this email address in the last hour. Please wait {minutes} and try again.',
    });
  }

  /** A published article by its slug; null when there is none. */
  async articleSubject(slug: string): Promise<ReportSubject | null> {
    const published = await this.deps.articles.accessOf(slug);
    if (!published) return null;
    const title = (await this.deps.articles.titlesByIds([published.id])).get(published.id)?.title ?? slug;
    return { type: 'article', id: published.id, title, path: `/articles/${slug}` };
  }

  /** A person with a public page, by its slug; null when there is none. */
  async personSubject(slug: string): Promise<ReportSubject | null> {
    const profile = await personProfile(this.deps.db, slug, todayUtc());
    if (!profile) return null;
    return { type: 'person', id: profile.card.id, title: profile.card.name, path: `/people/${slug}` };
  }

  /**
   * Files a report from the public form. Throws RateLimitedError when this client
   * or this address has reported too often. The report, the reporter's
   * acknowledgement and the mentors' alert about a safety report are written in
   * one transaction: all of them or none.
   */
  async submit(subject: ReportSubject, input: ReportInput, clientKey: string): Promise<string> {
    await this.perClient.hit(clientKey);
    if (input.email) await this.perAddress.hit(input.email);
    const now = nowIso();
    const row: ReportRow = {
      id: newId(),
      subject_type: subject.type,
      subject_id: subject.id,
      subject_title: subject.title,
      kind: input.kind,
      details: input.details,
      reporter_email: input.email,
      state: 'new',
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await insertReport(trx, row);
      if (row.reporter_email)
        await enqueue(trx, ACKNOWLEDGEMENT_JOB, { reportId: row.id }, { uniqueKey: `${ACKNOWLEDGEMENT_JOB}:${row.id}` });
      if (row.kind === 'safety') await this.alertMentors(trx, row);
    });
    return row.id;
  }

  /**
   * A safety report reaches the mentors at once. When no mentor can be reached by
   * email, the editor-in-chief and the managing editor hear of it instead, so a
   * safety report never waits unseen. The message names the page, not what the
   * reporter wrote: that stays in the queue.
   */
  private async alertMentors(trx: Kysely<Database>, row: ReportRow): Promise<void> {
    const today = todayUtc();
    let people = await peopleLookups.emailsOfPeople(trx, await peopleLookups.peopleWithRole(trx, ['mentor'], today));
    if (people.length === 0)
      people = await peopleLookups.emailsOfPeople(
        trx,
        await peopleLookups.peopleWithRole(trx, ['editor_in_chief', 'managing_editor'], today),
      );
    const what = row.subject_type === 'article' ? `the article “${row.subject_title}”` : `the page of ${row.subject_title}`;
    for (const person of people) {
      const message = renderEmail(this.deps.site, {
        subject: `Safety report: ${row.subject_title}`,
        paragraphs: [
          `Hello ${person.name.split(' ')[0]},`,
          `A reader has reported a safety problem with ${what}. Please read the report and decide what to do as soon as you can.`,
        ],
        action: { label: 'Open the report', url: `${this.deps.site.siteUrl}${QUEUE_PATH}/${row.id}` },
        footnote: 'You receive this because you are a mentor of the newsroom.',
      });
      await enqueue(trx, 'send_email', { to: person.email, ...message });
    }
  }

  /** The reporter's acknowledgement, for the job that sends it; null when there is nobody to send it to. */
  async acknowledgement(reportId: string): Promise<OutgoingMessage | null> {
    const row = await reportById(this.deps.db, reportId);
    if (!row?.reporter_email) return null;
    const what = row.subject_type === 'article' ? `the article “${row.subject_title}”` : `the page of ${row.subject_title}`;
    // Only fixed words and the page's title: the form cannot be used to send someone a message of one's choosing.
    const message = renderEmail(this.deps.site, {
      subject: `We received your report about ${row.subject_title}`,
      paragraphs: [
        `Thank you for telling us about a problem with ${what}.`,
        'An editor will read your report. If we need to know more, or when we have dealt with it, we will write to this address.',
      ],
      footnote:
        'You receive this because this address was given in the “Report a problem” form. If it was not you, you can ignore this message.',
    });
    return { to: row.reporter_email, ...message };
  }

  // --- the newsroom's queue ---

  async list(
    actor: Actor,
    state: ProblemReportState | null,
    page: number,
    pageSize: number,
  ): Promise<{ items: ReportListRow[]; pagination: Pagination }> {
    mayHandle(actor);
    const pagination = paginate(page, pageSize, await countReports(this.deps.db, state));
    const items = await listReports(this.deps.db, state, { limit: pageSize, offset: pagination.offset });
    return { items, pagination };
  }

  /** One report with its notes and the page it is about. Opening a report about personal information is recorded. */
  async detail(actor: Actor, id: string): Promise<ReportDetail> {
    mayHandle(actor);
    const report = await this.found(this.deps.db, id);
    const [page, notes] = await Promise.all([this.reportedPage(report), notesOf(this.deps.db, id)]);
    if (report.kind === 'personal_information') await this.audit(this.deps.db, actor, 'problem_report.viewed', report, {});
    return { report, page, notes };
  }

  async changeState(actor: Actor, id: string, state: ProblemReportState): Promise<ReportRow> {
    mayHandle(actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const report = await this.found(trx, id);
      if (report.state === state) return report;
      const now = nowIso();
      await updateReportState(trx, id, state, now);
      await this.audit(trx, actor, 'problem_report.state', report, { from: report.state, to: state });
      return { ...report, state, updated_at: now };
    });
  }

  async addNote(actor: Actor, id: string, body: string): Promise<NoteRow> {
    mayHandle(actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const report = await this.found(trx, id);
      const now = nowIso();
      const note: NoteRow = { id: newId(), report_id: id, user_id: actor.userId, author_name: actor.name, body, created_at: now };
      await insertNote(trx, note);
      await touchReport(trx, id, now);
      // The note's words stay with the report (they may name people); the log says that one was written.
      await this.audit(trx, actor, 'problem_report.note', report, { noteId: note.id });
      return note;
    });
  }

  private async found(db: Kysely<Database>, id: string): Promise<ReportRow> {
    const report = await reportById(db, id);
    if (!report) throw new NotFoundError('There is no such report.');
    return report;
  }

  private async reportedPage(report: ReportRow): Promise<ReportedPage> {
    if (report.subject_type === 'article') {
      const [titles, published] = await Promise.all([
        this.deps.articles.titlesByIds([report.subject_id]),
        this.deps.articles.publishedIdsAmong([report.subject_id]),
      ]);
      const now = titles.get(report.subject_id);
      if (!now) return { title: report.subject_title, path: null };
      return { title: now.title, path: published.has(report.subject_id) ? `/articles/${now.slug}` : null };
    }
    const card = (await personCards(this.deps.db, [report.subject_id], todayUtc())).get(report.subject_id);
    return card ? { title: card.name, path: `/people/${card.slug}` } : { title: report.subject_title, path: null };
  }

  private audit(db: Kysely<Database>, actor: Actor, action: string, report: ReportRow, details: object): Promise<void> {
    return recordAudit(db, {
      userId: actor.userId,
      actorName: actor.name,
      action,
      subjectType: 'problem_report',
      subjectId: report.id,
      details: { kind: report.kind, ...details },
    });
  }
}
