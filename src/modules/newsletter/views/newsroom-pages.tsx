// The newsletter desk in the newsroom: the newsletters and their issues, the
// composer, the sending page with its report, the subscriber list with import
// and export, and a newsletter's settings.
import type { PropsWithChildren } from '@kitajs/html';
import type { DeliveryStatus, IssueStatus, SubscriptionStatus } from '../../../db/schema.js';
import { escapeHtml } from '../../../lib/rich-text.js';
import { formatInZone } from '../../../lib/dates.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import type { IssueItem } from '../issue-email.js';
import { newsletterPaths } from '../links.js';
import type { IssueRow, NewsletterRow, SubscriptionRow } from '../newsletter.repository.js';
import type { ImportReport } from '../newsletter.service.js';
import { WEEKDAYS } from '../schedule.js';
import { HARD_BOUNCE_LIMIT } from '../sending.js';
import { DataTable } from '../../../web/ui/data-table.js';

const ISSUE_STATUS: Record<IssueStatus, string> = { draft: 'Draft', scheduled: 'Scheduled', sending: 'Sending', sent: 'Sent' };
const SUB_STATUS: Record<SubscriptionStatus, string> = {
  pending: 'Waiting for confirmation',
  confirmed: 'Confirmed',
  unsubscribed: 'Unsubscribed',
  suppressed: 'Suppressed (hard bounces)',
};

export const deskPaths = {
  home: '/newsroom/newsletters',
  issue: (id: string) => `/newsroom/newsletters/issues/${id}`,
  sending: (id: string) => `/newsroom/newsletters/issues/${id}/sending`,
  previewHtml: (id: string) => `/newsroom/newsletters/issues/${id}/preview.html`,
  previewText: (id: string) => `/newsroom/newsletters/issues/${id}/preview.txt`,
  previewWeb: (id: string) => `/newsroom/newsletters/issues/${id}/preview`,
  subscribers: (slug: string) => `/newsroom/newsletters/${slug}/subscribers`,
  exportCsv: (slug: string) => `/newsroom/newsletters/${slug}/subscribers.csv`,
  importCsv: (slug: string) => `/newsroom/newsletters/${slug}/subscribers/import`,
  settings: (slug: string) => `/newsroom/newsletters/${slug}/settings`,
  newIssue: (slug: string) => `/newsroom/newsletters/${slug}/issues`,
  newNewsletter: '/newsroom/newsletters/new',
};

function when(iso: string | null, zone: string): string {
  return iso ? formatInZone(iso, zone) : '';
}

function DeskPage(
  props: PropsWithChildren<{ ctx: PageContext; title: string; head?: JSX.Element; crumbs?: { href: string; label: string }[] }>,
): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title={props.title} {...(props.head ? { head: props.head } : {})}>
      <nav aria-label="Breadcrumbs" class="eyebrow">
        <a href={deskPaths.home}>Newsletters</a>
        {(props.crumbs ?? []).map((c) => (
          <>
            {' › '}
            <a href={c.href} safe>
              {c.label}
            </a>
          </>
        ))}
      </nav>
      {props.children}
    </NewsroomLayout>
  );
}

function IssueStatusBadge(props: { status: IssueStatus }): JSX.Element {
  const css = props.status === 'sent' ? 'published' : props.status === 'sending' ? 'approved' : props.status;
  return (
    <span class={`status status--${css}`} safe>
      {ISSUE_STATUS[props.status]}
    </span>
  );
}

export interface DeskNewsletter {
  newsletter: NewsletterRow;
  counts: Record<SubscriptionStatus, number>;
  issues: IssueRow[];
}

export function NewsletterDeskPage(props: {
  ctx: PageContext;
  csrf: string;
  desk: DeskNewsletter[];
  canCreate: boolean;
  notice?: string | undefined;
}): JSX.Element {
  return (
    <DeskPage ctx={props.ctx} title="Newsletters">
      <header class="page-header">
        <h1>Newsletters</h1>
        {props.canCreate ? (
          <p>
            <a href={deskPaths.newNewsletter}>Start another newsletter</a>
          </p>
        ) : (
          ''
        )}
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      {props.desk.map(({ newsletter: n, counts, issues }) => (
        <section class="desk-section" aria-labelledby={`nl-${n.slug}`}>
          <h2 id={`nl-${n.slug}`} safe>
            {n.name}
          </h2>
          <p>
            <strong safe>{counts.confirmed.toLocaleString('en-GB')}</strong> confirmed subscribers ·{' '}
            <span safe>{counts.pending.toLocaleString('en-GB')}</span> waiting for confirmation ·{' '}
            <span safe>{counts.unsubscribed.toLocaleString('en-GB')}</span> unsubscribed
          </p>
          <p>
            <a href={deskPaths.subscribers(n.slug)}>Subscribers</a> · <a href={deskPaths.settings(n.slug)}>Settings</a> ·{' '}
            <a href={newsletterPaths.newsletter(n.slug)}>Public page and archive</a>
          </p>
          <form method="post" action={deskPaths.newIssue(n.slug)} class="inline-form">
            <CsrfField token={props.csrf} />
            <button type="submit" class="button">
              New issue
            </button>
          </form>
          {issues.length === 0 ? (
            <p class="empty">No issues yet.</p>
          ) : (
            <table class="table">
              <caption class="visually-hidden">
                Issues of the <span safe>{n.name}</span>
              </caption>
              <thead>
                <tr>
                  <th scope="col">No.</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">When (London)</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((i) => (
                  <tr>
                    <td safe>{i.number === null ? '–' : String(i.number)}</td>
                    <td>
                      <a href={i.status === 'draft' || i.status === 'scheduled' ? deskPaths.issue(i.id) : deskPaths.sending(i.id)} safe>
                        {i.subject || 'Untitled issue'}
                      </a>
                    </td>
                    <td>
                      <IssueStatusBadge status={i.status} />
                    </td>
                    <td safe>{when(i.sent_at ?? i.started_at ?? i.scheduled_at, n.time_zone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </DeskPage>
  );
}

export interface ComposeData {
  newsletter: NewsletterRow;
  issue: IssueRow;
  items: IssueItem[];
  /** Ids the editor kept (all, on a fresh page). */
  kept: Set<string>;
  subject: string;
  introJson: string;
  introText: string;
  scheduleValue: string;
  defaultSendAt: Date;
  confirmedCount: number;
  errors: FieldErrors;
  message?: string | undefined;
  notice?: string | undefined;
  composeScript: string;
}

export function ComposePage(props: { ctx: PageContext; csrf: string; data: ComposeData }): JSX.Element {
  const { data, csrf } = props;
  const { newsletter: n, issue } = data;
  const zone = n.time_zone;
  const scheduled = issue.status === 'scheduled' && issue.scheduled_at;
  const head = (
    <>
      <script src={props.ctx.assets.editorJs} defer></script>
      <script src={data.composeScript} defer></script>
    </>
  );
  return (
    <DeskPage
      ctx={props.ctx}
      title={`Compose: ${data.subject || n.name}`}
      head={head}
      crumbs={[{ href: deskPaths.issue(issue.id), label: `${n.name}: new issue` }]}
    >
      <header class="page-header editor-header">
        <p class="eyebrow">
          <span safe>{n.name}</span> <IssueStatusBadge status={issue.status} />
        </p>
        <h1>Compose the issue</h1>
        {scheduled ? (
          <p>
            Scheduled for <strong safe>{when(issue.scheduled_at, zone)}</strong> (<span safe>{zone}</span>) ·{' '}
            <span data-your-time data-utc={issue.scheduled_at!} hidden></span>
          </p>
        ) : (
          ''
        )}
      </header>
      {data.notice ? <Notice kind="success" text={data.notice} /> : ''}
      <ErrorSummary errors={data.errors} message={data.message} idFor={(name) => (name === 'intro' ? 'body-text' : `field-${name}`)} />
      <form method="post" action={deskPaths.issue(issue.id)} data-article-form novalidate>
        <CsrfField token={csrf} />
        <Field
          label="Subject"
          name="subject"
          value={data.subject}
          error={data.errors.subject}
          required
          maxlength={150}
          hint="What readers see in their inbox. Up to 150 characters."
        />

        <fieldset class={data.errors.intro ? 'field has-error' : 'field'} aria-describedby="body-text-hint">
          <legend>Intro</legend>
          <p class="field__hint" id="body-text-hint">
            A few words from the editors. Links are fine; pictures are left out of the email.
          </p>
          {data.errors.intro ? (
            <p class="field__error" id="body-text-error" safe>
              {data.errors.intro}
            </p>
          ) : (
            ''
          )}
          {/* The editor starts from data-initial-doc; bodyJson stays empty unless its script fills it (see introFrom). */}
          <div class="editor" data-editor data-initial-doc={data.introJson}>
            <div class="editor__toolbar" data-editor-toolbar role="toolbar" aria-label="Formatting" hidden></div>
            <div class="editor__content" data-editor-mount hidden></div>
            <p class="field__hint" data-editor-fallback>
              Without the rich editor: paragraphs separated by blank lines; “## ” starts a subheading.
            </p>
            <label for="body-text" class="visually-hidden">
              Intro
            </label>
            <textarea id="body-text" name="bodyText" rows="8" data-editor-fallback aria-describedby="body-text-hint">
              {escapeHtml(data.introText)}
            </textarea>
            <input type="hidden" name="bodyJson" value="" />
          </div>
        </fieldset>

        <fieldset class="newsletter-items">
          <legend>Stories</legend>
          <p class="field__hint">
            Published since the last issue went out, grouped by section. Untick a story to drop it; change the numbers to reorder (stories
            stay grouped by section, in the order their first story comes).
          </p>
          {data.items.length === 0 ? (
            <p class="empty">No article has been published since the last issue.</p>
          ) : (
            <DataTable columns={['Keep', 'Order', 'Story', 'Section']} caption="Stories in this issue">
              {data.items.map((item, index) => (
                <tr>
                  <td>
                    <input type="hidden" name="item" value={item.articleId} />
                    <input
                      type="checkbox"
                      id={`keep-${item.articleId}`}
                      name="keep"
                      value={item.articleId}
                      checked={data.kept.has(item.articleId)}
                      aria-label={`Keep “${item.title}”`}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      name={`position-${item.articleId}`}
                      value={String(index + 1)}
                      min="1"
                      max="99"
                      inputmode="numeric"
                      aria-label={`Order of “${item.title}”`}
                    />
                  </td>
                  <td>
                    <label for={`keep-${item.articleId}`}>
                      <strong safe>{item.title}</strong>
                    </label>
                    <br />
                    <span class="muted" safe>
                      {item.byline}
                    </span>
                  </td>
                  <td safe>{item.section?.name ?? ''}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </fieldset>

        <p>
          <button type="submit" class="button" name="intent" value="save">
            Save
          </button>{' '}
          <button type="submit" class="button button--secondary" name="intent" value="test">
            Save and send a test to me
          </button>
        </p>
        <p>
          Preview what is saved: <a href={deskPaths.previewHtml(issue.id)}>the email</a> ·{' '}
          <a href={deskPaths.previewText(issue.id)}>its plain text</a> · <a href={deskPaths.previewWeb(issue.id)}>the web page</a>
        </p>

        <section aria-labelledby="schedule-heading" class="desk-section">
          <h2 id="schedule-heading">Schedule</h2>
          <div class={data.errors.scheduledAt ? 'field has-error' : 'field'}>
            <label for="field-scheduledAt">
              Send on (<span safe>{zone}</span> time)
            </label>
            <p class="field__hint" id="field-scheduledAt-hint">
              The usual time is <span safe>{`${WEEKDAYS[n.send_weekday]} ${n.send_time}`}</span> in <span safe>{zone}</span>: next{' '}
              <span safe>{formatInZone(data.defaultSendAt, zone)}</span> (<span safe>{data.defaultSendAt.toISOString().slice(11, 16)}</span>{' '}
              UTC). <span data-your-time data-utc={data.defaultSendAt.toISOString()} hidden></span>
            </p>
            {data.errors.scheduledAt ? (
              <p class="field__error" id="field-scheduledAt-error" safe>
                {data.errors.scheduledAt}
              </p>
            ) : (
              ''
            )}
            <input
              id="field-scheduledAt"
              name="scheduledAt"
              type="datetime-local"
              value={data.scheduleValue}
              data-zoned-input
              data-zone={zone}
              data-local-output="scheduled-local"
              aria-describedby={
                data.errors.scheduledAt ? 'field-scheduledAt-hint field-scheduledAt-error' : 'field-scheduledAt-hint scheduled-local'
              }
            />
            <p class="field__hint" id="scheduled-local" aria-live="polite" hidden></p>
          </div>
          <button type="submit" class="button" name="intent" value="schedule">
            {scheduled ? 'Save and move the schedule' : 'Save and schedule'}
          </button>
          {scheduled ? (
            <>
              {' '}
              <button type="submit" class="button button--secondary" name="intent" value="unschedule">
                Unschedule (back to draft)
              </button>
            </>
          ) : (
            ''
          )}
        </section>

        <section aria-labelledby="send-now-heading" class="desk-section">
          <h2 id="send-now-heading">Send now</h2>
          <div class={data.errors.confirmSend ? 'field field--checkbox has-error' : 'field field--checkbox'}>
            {data.errors.confirmSend ? (
              <p class="field__error" id="field-confirmSend-error" safe>
                {data.errors.confirmSend}
              </p>
            ) : (
              ''
            )}
            <input type="checkbox" id="field-confirmSend" name="confirmSend" value="1" />
            <label for="field-confirmSend">
              Yes, send it now to all <span safe>{data.confirmedCount.toLocaleString('en-GB')}</span> confirmed subscribers
            </label>
          </div>
          <button type="submit" class="button button--danger" name="intent" value="send_now">
            Save and send now
          </button>
        </section>
      </form>
      {issue.status === 'draft' ? (
        <form method="post" action={`${deskPaths.issue(issue.id)}/delete`} class="inline-form">
          <CsrfField token={csrf} />
          <button type="submit" class="button button--secondary">
            Delete this draft
          </button>
        </form>
      ) : (
        ''
      )}
    </DeskPage>
  );
}

export interface ProgressData {
  newsletter: NewsletterRow;
  issue: IssueRow;
  counts: Record<DeliveryStatus, number>;
  problems: { id: string; status: DeliveryStatus; attempts: number; last_error: string | null; next_attempt_at: string; email: string }[];
  /** Recipients held by a sender that stopped, and when they are taken up again (null: as soon as a worker runs). */
  stalled?: { count: number; resumesAt: string | null };
}

function hourMinute(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function SendingPage(props: { ctx: PageContext; data: ProgressData; notice?: string | undefined }): JSX.Element {
  const { issue, newsletter: n, counts, problems } = props.data;
  const zone = n.time_zone;
  const total = issue.status === 'sent' || issue.status === 'sending' ? issue.recipients_count : 0;
  const waiting = counts.pending + counts.sending;
  const done = counts.sent + counts.failed + counts.skipped;
  const failed = problems.filter((p) => p.status === 'failed');
  const retrying = problems.filter((p) => p.status === 'pending');
  const live = issue.status === 'sending' || issue.status === 'scheduled';
  return (
    <DeskPage
      ctx={props.ctx}
      title={`Sending: ${issue.subject}`}
      head={live ? <meta http-equiv="refresh" content="5" /> : undefined}
      crumbs={[{ href: deskPaths.sending(issue.id), label: issue.subject || 'Issue' }]}
    >
      <header class="page-header">
        <p class="eyebrow">
          <span safe>{n.name}</span>
          {issue.number ? <span safe>{` · No. ${issue.number}`}</span> : ''} <IssueStatusBadge status={issue.status} />
        </p>
        <h1 safe>{issue.subject}</h1>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      {issue.status === 'scheduled' ? (
        <p>
          Scheduled for <strong safe>{when(issue.scheduled_at, zone)}</strong> (<span safe>{zone}</span>). This page refreshes itself.{' '}
          <a href={deskPaths.issue(issue.id)}>Back to the composer</a>
        </p>
      ) : (
        ''
      )}
      {issue.status === 'sending' ? <p>Sending now. This page refreshes itself every few seconds.</p> : ''}
      {issue.status === 'sending' && props.data.stalled && props.data.stalled.count > 0 ? (
        <div class="notice notice--warning" role="status">
          <p safe>
            {`${props.data.stalled.count.toLocaleString('en-GB')} ${props.data.stalled.count === 1 ? 'recipient is' : 'recipients are'} waiting for a stalled sender; ${
              props.data.stalled.resumesAt
                ? `resumes at ${hourMinute(props.data.stalled.resumesAt, zone)} (${zone}).`
                : 'resumes as soon as the job worker runs.'
            } Nobody is skipped.`}
          </p>
        </div>
      ) : (
        ''
      )}
      <section aria-labelledby="progress-heading" class="desk-section">
        <h2 id="progress-heading">{issue.status === 'sent' ? 'Report' : 'Progress'}</h2>
        {total > 0 ? (
          <p>
            <label for="send-progress">Delivered or settled</label>{' '}
            <progress id="send-progress" max={String(total)} value={String(done)}>
              <span safe>{`${done} of ${total}`}</span>
            </progress>
          </p>
        ) : (
          ''
        )}
        <table class="table">
          <caption class="visually-hidden">Deliveries by status</caption>
          <tbody>
            {(
              [
                ['Recipients', total],
                ['Sent', counts.sent],
                ['Pending (including retries)', waiting],
                ['Failed', counts.failed],
                ['Skipped (unsubscribed meanwhile)', counts.skipped],
              ] as const
            ).map(([label, count]) => (
              <tr>
                <th scope="row">{label}</th>
                <td safe>{count.toLocaleString('en-GB')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {issue.status === 'sent' ? (
          <p>
            Finished <span safe>{when(issue.sent_at, zone)}</span>: sent to <strong safe>{issue.sent_count.toLocaleString('en-GB')}</strong>{' '}
            of <span safe>{issue.recipients_count.toLocaleString('en-GB')}</span> subscribers;{' '}
            <strong safe>{issue.failed_count.toLocaleString('en-GB')}</strong> failed.{' '}
            <a href={newsletterPaths.issue(n.slug, issue.number ?? 0)}>The issue on the web</a>
          </p>
        ) : (
          ''
        )}
      </section>
      {failed.length > 0 ? (
        <section aria-labelledby="failed-heading" class="desk-section">
          <h2 id="failed-heading">Could not be delivered</h2>
          <p>The receiving mail servers refused these addresses for good; they were not retried.</p>
          <DataTable columns={['Address', 'Attempts', 'The server said']} caption="Failed deliveries">
            {failed.map((p) => (
              <tr>
                <td safe>{p.email}</td>
                <td safe>{String(p.attempts)}</td>
                <td safe>{p.last_error ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : (
        ''
      )}
      {retrying.length > 0 ? (
        <section aria-labelledby="retry-heading" class="desk-section">
          <h2 id="retry-heading">Waiting to try again</h2>
          <DataTable columns={['Address', 'Attempts', 'Next try', 'Last answer']} caption="Deliveries waiting for a retry">
            {retrying.map((p) => (
              <tr>
                <td safe>{p.email}</td>
                <td safe>{String(p.attempts)}</td>
                <td safe>{when(p.next_attempt_at, zone)}</td>
                <td safe>{p.last_error ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : (
        ''
      )}
    </DeskPage>
  );
}

function consentLabel(r: SubscriptionRow): string {
  if (!r.consent) return '–';
  return `${r.consent.replace(/_/g, ' ')}${r.consent_at ? `, ${r.consent_at.slice(0, 10)}` : ''}`;
}

export function SubscribersPage(props: {
  ctx: PageContext;
  csrf: string;
  newsletter: NewsletterRow;
  counts: Record<SubscriptionStatus, number>;
  rows: SubscriptionRow[];
  filter: { q: string; status: SubscriptionStatus | '' };
  page: number;
  pages: number;
  total: number;
  notice?: string | undefined;
}): JSX.Element {
  const { newsletter: n, counts, filter } = props;
  const base = deskPaths.subscribers(n.slug);
  const link = (changes: Record<string, string>) => {
    const params = new URLSearchParams({
      ...(filter.q ? { q: filter.q } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...changes,
    });
    for (const [k, v] of [...params]) if (v === '') params.delete(k);
    const q = params.toString();
    return q ? `${base}?${q}` : base;
  };
  const all = counts.pending + counts.confirmed + counts.unsubscribed + counts.suppressed;
  return (
    <DeskPage ctx={props.ctx} title={`Subscribers: ${n.name}`} crumbs={[{ href: base, label: `${n.name}: subscribers` }]}>
      <header class="page-header">
        <h1>
          Subscribers of the <span safe>{n.name}</span>
        </h1>
        <p>
          <a href={deskPaths.exportCsv(n.slug)} download="">
            Export all as CSV
          </a>{' '}
          · <a href={deskPaths.importCsv(n.slug)}>Import from CSV</a>
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <nav aria-label="Subscribers by status">
        <ul class="plain-list">
          <li>
            <a href={link({ status: '', page: '' })} aria-current={filter.status === '' ? 'page' : undefined}>
              All
            </a>{' '}
            <span safe>{all.toLocaleString('en-GB')}</span>
          </li>
          {(['confirmed', 'pending', 'unsubscribed', 'suppressed'] as const).map((s) => (
            <li>
              <a href={link({ status: s, page: '' })} aria-current={filter.status === s ? 'page' : undefined} safe>
                {SUB_STATUS[s]}
              </a>{' '}
              <span safe>{counts[s].toLocaleString('en-GB')}</span>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action={base} class="filters" role="search">
        <Field label="Search addresses" name="q" type="search" value={filter.q} maxlength={100} />
        {filter.status ? <input type="hidden" name="status" value={filter.status} /> : ''}
        <button type="submit" class="button button--secondary">
          Search
        </button>
      </form>
      <p role="status" safe>
        {`${props.total.toLocaleString('en-GB')} ${props.total === 1 ? 'address' : 'addresses'}${filter.q ? ` matching “${filter.q}”` : ''}`}
      </p>
      {props.rows.length === 0 ? (
        <p class="empty">Nobody here.</p>
      ) : (
        <DataTable columns={['Address', 'Status', 'Came from', 'Consent', 'Remove']} caption="Subscribers">
          {props.rows.map((r) => (
            <tr>
              <td safe>{r.email}</td>
              <td>
                <span safe>{SUB_STATUS[r.status]}</span>
                {r.status === 'suppressed' ? (
                  <>
                    <br />
                    <small
                      safe
                    >{`Refused for good ${HARD_BOUNCE_LIMIT} issues in a row; last answer: ${r.last_bounce ?? 'unknown'}`}</small>
                    <form method="post" action={`${base}/${r.id}/reactivate`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="button button--secondary">
                        Reactivate<span class="visually-hidden" safe>{` ${r.email}`}</span>
                      </button>
                    </form>
                  </>
                ) : (
                  ''
                )}
              </td>
              <td safe>{r.source}</td>
              <td safe>{consentLabel(r)}</td>
              <td>
                <form method="post" action={`${base}/${r.id}/remove`} class="inline-form">
                  <CsrfField token={props.csrf} />
                  <button type="submit" class="button button--secondary">
                    Remove<span class="visually-hidden" safe>{` ${r.email}`}</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {props.pages > 1 ? (
        <nav class="pagination" aria-label="Pages">
          {props.page > 1 ? <a href={link({ page: String(props.page - 1) })}>Previous</a> : ''}
          <span aria-current="page" safe>{`Page ${props.page} of ${props.pages}`}</span>
          {props.page < props.pages ? <a href={link({ page: String(props.page + 1) })}>Next</a> : ''}
        </nav>
      ) : (
        ''
      )}
    </DeskPage>
  );
}

export function ImportPage(props: {
  ctx: PageContext;
  csrf: string;
  newsletter: NewsletterRow;
  problems?: string[];
  report?: ImportReport;
  consent?: boolean;
}): JSX.Element {
  const { newsletter: n } = props;
  const problems = props.problems ?? [];
  return (
    <DeskPage
      ctx={props.ctx}
      title={`Import subscribers: ${n.name}`}
      crumbs={[{ href: deskPaths.subscribers(n.slug), label: `${n.name}: subscribers` }]}
    >
      <header class="page-header">
        <h1>
          Import subscribers to the <span safe>{n.name}</span>
        </h1>
      </header>
      {problems.length > 0 ? (
        <div class="notice notice--error" role="alert" tabindex="-1" data-error-summary>
          <p>Nothing was imported. Fix the file and try again:</p>
          <ul>
            {problems.map((p) => (
              <li safe>{p}</li>
            ))}
          </ul>
        </div>
      ) : (
        ''
      )}
      {props.report ? (
        <div class="notice notice--success" role="status">
          <p>The file is imported.</p>
          <ul>
            <li safe>{`${props.report.confirmed} added as confirmed subscribers`}</li>
            <li safe>{`${props.report.invited} sent an email asking them to confirm`}</li>
            <li safe>{`${props.report.alreadyConfirmed} already subscribed`}</li>
            {props.report.alreadyPending > 0 ? (
              <li safe>{`${props.report.alreadyPending} already waiting for their confirmation (left pending)`}</li>
            ) : (
              ''
            )}
            {props.report.stopped > 0 ? <li safe>{`${props.report.stopped} marked unsubscribed or suppressed, as the file says`}</li> : ''}
            <li safe>{`${props.report.skippedUnsubscribed} left out because they had unsubscribed`}</li>
            {props.report.skippedSuppressed > 0 ? (
              <li safe>{`${props.report.skippedSuppressed} left out because mail to them kept bouncing (suppressed)`}</li>
            ) : (
              ''
            )}
            {props.report.duplicates > 0 ? <li safe>{`${props.report.duplicates} repeated lines counted once`}</li> : ''}
          </ul>
          <p>
            <a href={deskPaths.subscribers(n.slug)}>Back to the subscribers</a>
          </p>
        </div>
      ) : (
        ''
      )}
      <p>
        A CSV file (up to 2 MB) whose first line names the columns, one of them <code>email</code>; one address per line after that. A{' '}
        <code>status</code> column, as the export has, is kept: pending addresses stay pending, unsubscribed ones are not added. Other
        columns are ignored. The whole file is checked before anything is added: one bad line and nothing is imported.
      </p>
      <form method="post" action={deskPaths.importCsv(n.slug)} enctype="multipart/form-data">
        <CsrfField token={props.csrf} />
        <div class={problems.length ? 'field has-error' : 'field'}>
          <label for="field-file">CSV file</label>
          <input id="field-file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <div class="field field--checkbox">
          <input
            type="checkbox"
            id="field-consent"
            name="consent"
            value="1"
            checked={props.consent === true}
            aria-describedby="field-consent-hint"
          />
          <label for="field-consent">
            Everyone in this file has agreed to receive the <span safe>{n.name}</span>
          </label>
          <p class="field__hint" id="field-consent-hint">
            Tick only if it is true (for example, they signed up on paper at an event): they are added as confirmed, and your name is kept
            as the person who vouched for it. Otherwise each address gets an email asking to confirm, and only those who do will receive
            issues.
          </p>
        </div>
        <button type="submit" class="button">
          Import
        </button>
      </form>
    </DeskPage>
  );
}

export function SettingsPage(props: {
  ctx: PageContext;
  csrf: string;
  action: string;
  title: string;
  values: Record<string, string>;
  errors: FieldErrors;
}): JSX.Element {
  const { values, errors } = props;
  return (
    <DeskPage ctx={props.ctx} title={props.title}>
      <header class="page-header">
        <h1 safe>{props.title}</h1>
      </header>
      <ErrorSummary errors={errors} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrf} />
        <Field label="Name" name="name" value={values.name} error={errors.name} required maxlength={80} />
        <div class={errors.description ? 'field has-error' : 'field'}>
          <label for="field-description">Description</label>
          {errors.description ? (
            <p class="field__error" id="field-description-error" safe>
              {errors.description}
            </p>
          ) : (
            ''
          )}
          <textarea id="field-description" name="description" rows="3" maxlength="500">
            {escapeHtml(values.description ?? '')}
          </textarea>
        </div>
        <Field
          label="Sender name"
          name="senderName"
          value={values.senderName}
          error={errors.senderName}
          maxlength={80}
          hint="Shown as who the email is from, e.g. “The Weekly Brief”."
        />
        <Field
          label="Sender address"
          name="senderEmail"
          type="email"
          value={values.senderEmail}
          error={errors.senderEmail}
          maxlength={254}
          hint="Leave empty to use the site’s address (MAIL_FROM). Your mail server must allow sending as this address."
        />
        <div class={errors.sendWeekday ? 'field has-error' : 'field'}>
          <label for="field-sendWeekday">Usual day</label>
          <select id="field-sendWeekday" name="sendWeekday">
            {WEEKDAYS.map((d, i) => (
              <option value={String(i)} selected={values.sendWeekday === String(i)}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Usual time (HH:MM)"
          name="sendTime"
          value={values.sendTime}
          error={errors.sendTime}
          maxlength={5}
          hint="In the newsletter’s time zone, e.g. 16:00."
        />
        <Field
          label="Time zone"
          name="timeZone"
          value={values.timeZone}
          error={errors.timeZone}
          maxlength={60}
          hint="An IANA zone such as Europe/London."
        />
        <button type="submit" class="button">
          Save
        </button>
      </form>
    </DeskPage>
  );
}

export function PreviewBanner(props: { issueId: string }): JSX.Element {
  return (
    <p class="notice notice--info preview-banner">
      Preview of the web page this issue will have once it is sent. <a href={deskPaths.issue(props.issueId)}>Back to the composer</a>
    </p>
  );
}
