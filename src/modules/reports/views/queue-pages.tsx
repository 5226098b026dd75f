// The newsroom's queue of reports: the list with its filter by state, and one
// report's page with the reported page, the change of state and the notes.
import type { ProblemReportState } from '../../../db/schema.js';
import { formatShortInZone } from '../../../lib/dates.js';
import { PaginationNav } from '../../../web/components.js';
import { CsrfField, ErrorSummary, Notice, TextAreaField } from '../../../web/forms.js';
import type { Pagination } from '../../../web/http.js';
import type { PageContext } from '../../../web/page-context.js';
import { DataTable } from '../../../web/ui/data-table.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import { KIND_LABELS, MAX_NOTE, REPORT_STATES, STATE_LABELS } from '../report-input.js';
import type { ReportListRow } from '../reports.repository.js';
import { QUEUE_PATH, type ReportDetail } from '../reports.service.js';

/** The newsroom's clock: times are shown as the editors live them. */
const ZONE = 'Europe/London';

const isOpen = (state: ProblemReportState) => state === 'new' || state === 'in_progress';

function KindCell(props: { kind: ReportListRow['kind']; state: ProblemReportState }): JSX.Element {
  if (props.kind !== 'safety') return <span safe>{KIND_LABELS[props.kind]}</span>;
  return <strong class={isOpen(props.state) ? 'badge badge--alert' : 'badge'}>Safety</strong>;
}

function StateFilter(props: { state: ProblemReportState | null }): JSX.Element {
  return (
    <form method="get" action={QUEUE_PATH} class="filters">
      <div class="field">
        <label for="field-state">State</label>
        <select id="field-state" name="state">
          <option value="">Every state</option>
          {REPORT_STATES.map((s) => (
            <option value={s} selected={props.state === s} safe>
              {STATE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button button--secondary">
        Show
      </button>
    </form>
  );
}

export function ReportsPage(props: {
  ctx: PageContext;
  state: ProblemReportState | null;
  items: ReportListRow[];
  pagination: Pagination;
}): JSX.Element {
  const { state, pagination } = props;
  const count = pagination.total === 1 ? '1 report' : `${pagination.total.toLocaleString('en-GB')} reports`;
  return (
    <NewsroomLayout ctx={props.ctx} title="Reports of a problem">
      <header class="page-header">
        <h1>Reports of a problem</h1>
        <p class="page-header__description">
          What readers told us is wrong with an article or a person’s page: mistakes, personal information, safety and copyright. Open
          safety reports come first; the mentors are emailed about each one as it arrives.
        </p>
      </header>
      <StateFilter state={state} />
      <p class="muted" safe>
        {state ? `${count} ${STATE_LABELS[state].toLowerCase()}.` : `${count} in all.`}
      </p>
      {props.items.length === 0 ? (
        state ? (
          <p class="empty">
            <span safe>{`No report is ${STATE_LABELS[state].toLowerCase()}.`}</span> <a href={QUEUE_PATH}>Show every report</a>
          </p>
        ) : (
          <p class="empty">No reader has reported a problem yet.</p>
        )
      ) : (
        <DataTable columns={['Kind', 'Page', 'State', 'Received', 'Report']} caption="Reports of a problem">
          {props.items.map((r) => (
            <tr>
              <td>
                <KindCell kind={r.kind} state={r.state} />
              </td>
              <td safe>{`${r.subject_type === 'article' ? 'Article' : 'Person'}: ${r.subject_title}`}</td>
              <td safe>{STATE_LABELS[r.state]}</td>
              <td>
                <time datetime={r.created_at} safe>
                  {formatShortInZone(r.created_at, ZONE)}
                </time>
              </td>
              <td>
                <a href={`${QUEUE_PATH}/${r.id}`}>
                  Open<span class="visually-hidden" safe>{` the report about ${r.subject_title}`}</span>
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <PaginationNav
        pagination={pagination}
        basePath={QUEUE_PATH}
        query={{ state: state ?? '' }}
        label="Pages of reports"
        previous="← Previous"
        next="Next →"
      />
    </NewsroomLayout>
  );
}

export function ReportPage(props: {
  ctx: PageContext;
  csrf: string;
  detail: ReportDetail;
  note: string;
  noteError?: string | undefined;
  stateError?: string | undefined;
  notice?: string | undefined;
}): JSX.Element {
  const { report, page, notes } = props.detail;
  const base = `${QUEUE_PATH}/${report.id}`;
  const safety = report.kind === 'safety';
  return (
    <NewsroomLayout ctx={props.ctx} title={`Report: ${report.subject_title}`}>
      <header class="page-header">
        <p class="eyebrow">
          <a href={QUEUE_PATH}>Reports of a problem</a>
        </p>
        <h1 safe>{`${KIND_LABELS[report.kind]}: ${report.subject_title}`}</h1>
        {safety ? (
          <p class="notice notice--error">
            <strong>Safety report.</strong> Someone may be at risk: decide what to do before anything else.
          </p>
        ) : (
          ''
        )}
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <ErrorSummary
        errors={{ state: props.stateError, note: props.noteError }}
        idFor={(name) => (name === 'state' ? 'field-state' : 'field-note')}
      />
      <dl class="facts">
        <dt>Page reported</dt>
        <dd>
          {page.path ? (
            <a href={page.path} safe>
              {page.title}
            </a>
          ) : (
            <span safe>{`${page.title} (no longer public)`}</span>
          )}
          {page.title !== report.subject_title ? <span class="muted" safe>{` — reported as “${report.subject_title}”`}</span> : ''}
        </dd>
        <dt>Kind</dt>
        <dd safe>{KIND_LABELS[report.kind]}</dd>
        <dt>Received</dt>
        <dd>
          <time datetime={report.created_at} safe>
            {formatShortInZone(report.created_at, ZONE)}
          </time>
        </dd>
        <dt>State</dt>
        <dd safe>{STATE_LABELS[report.state]}</dd>
        <dt>Reporter’s email</dt>
        <dd>
          {report.reporter_email ? (
            <a href={`mailto:${report.reporter_email}`} safe>
              {report.reporter_email}
            </a>
          ) : (
            'None given'
          )}
        </dd>
      </dl>
      <section aria-labelledby="details-heading" class="desk-section">
        <h2 id="details-heading">What the reader wrote</h2>
        <div class="prose">
          {report.details.split(/\n{2,}/).map((paragraph) => (
            <p class="report-text" safe>
              {paragraph}
            </p>
          ))}
        </div>
      </section>
      <section aria-labelledby="state-heading" class="form-card">
        <h2 id="state-heading">Change the state</h2>
        <form method="post" action={`${base}/state`}>
          <CsrfField token={props.csrf} />
          <div class={props.stateError ? 'field has-error' : 'field'}>
            <label for="field-state">State</label>
            <select id="field-state" name="state">
              {REPORT_STATES.map((s) => (
                <option value={s} selected={report.state === s} safe>
                  {STATE_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            Change the state
          </button>
        </form>
      </section>
      <section aria-labelledby="notes-heading" class="desk-section">
        <h2 id="notes-heading">Internal notes</h2>
        {notes.length === 0 ? (
          <p class="empty">No notes yet.</p>
        ) : (
          <ol class="plain-list">
            {notes.map((n) => (
              <li>
                <p class="muted">
                  <span safe>{n.author_name}</span>,{' '}
                  <time datetime={n.created_at} safe>
                    {formatShortInZone(n.created_at, ZONE)}
                  </time>
                </p>
                <p class="report-text" safe>
                  {n.body}
                </p>
              </li>
            ))}
          </ol>
        )}
        <form method="post" action={`${base}/notes`} novalidate>
          <CsrfField token={props.csrf} />
          <TextAreaField
            label="Add a note"
            name="note"
            value={props.note}
            error={props.noteError}
            hint="Seen only by those who handle reports; the reader does not see it."
            rows={4}
            maxlength={MAX_NOTE}
            required
          />
          <button type="submit" class="button button--secondary">
            Add the note
          </button>
        </form>
      </section>
    </NewsroomLayout>
  );
}
