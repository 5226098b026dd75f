import type { ArticleStatus, AuditLogTable, RoleName } from '../../../db/schema.js';
import { ROLE_NAMES, roleTitle } from '../../people/index.js';
import { formatLongDate, formatShortInZone } from '../../../lib/dates.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import type { PageContext } from '../../../web/page-context.js';
import { STATUS_LABELS } from '../newsroom.service.js';
import { DataTable } from '../../../web/ui/data-table.js';
import { ChoiceField } from '../../../web/ui/choice-field.js';

export interface DeskRow {
  id: string;
  title: string;
  status: ArticleStatus;
  updated_at: string;
  published_at: string | null;
  scheduled_at: string | null;
  section_name: string;
}

export function StatusBadge(props: { status: ArticleStatus }): JSX.Element {
  return (
    <span class={`status status--${props.status}`} safe>
      {STATUS_LABELS[props.status]}
    </span>
  );
}

export function DeskTable(props: { rows: DeskRow[]; empty: string; caption: string }): JSX.Element {
  if (props.rows.length === 0) {
    return (
      <p class="empty" safe>
        {props.empty}
      </p>
    );
  }
  return (
    <DataTable columns={['Title', 'Section', 'Status', 'Last change']} caption={props.caption}>
      {props.rows.map((a) => (
        <tr>
          <td>
            <a href={`/newsroom/articles/${a.id}`} safe>
              {a.title || 'Untitled'}
            </a>
          </td>
          <td safe>{a.section_name}</td>
          <td>
            <StatusBadge status={a.status} />
            {a.status === 'scheduled' && a.scheduled_at ? (
              <>
                {' '}
                <time datetime={a.scheduled_at} safe>
                  {formatShortInZone(a.scheduled_at, 'Europe/London')}
                </time>
              </>
            ) : (
              ''
            )}
          </td>
          <td>
            <time datetime={a.updated_at} safe>
              {formatLongDate(a.updated_at)}
            </time>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export interface Dashboard {
  myDrafts: DeskRow[];
  changesRequested: DeskRow[];
  waiting: DeskRow[];
  /** Only for those who may publish. */
  approved?: DeskRow[];
  scheduled: DeskRow[];
  recentlyPublished: DeskRow[];
}

export function DashboardPage(props: { ctx: PageContext; name: string; data: Dashboard }): JSX.Element {
  const { data } = props;
  const section = (id: string, title: string, rows: DeskRow[], empty: string) => (
    <section aria-labelledby={id} class="desk-section">
      <h2 id={id} safe>
        {title}
      </h2>
      <DeskTable rows={rows} empty={empty} caption={title} />
    </section>
  );
  return (
    <NewsroomLayout ctx={props.ctx} title="Newsroom">
      <header class="page-header">
        <p class="eyebrow">Newsroom</p>
        <h1 safe>{`Hello, ${props.name.split(' ')[0]}`}</h1>
        <p>
          <a class="button" href="/newsroom/articles/new">
            Start a new article
          </a>
        </p>
      </header>
      {section('changes-heading', 'Changes requested from you', data.changesRequested, 'Nothing is waiting for your changes.')}
      {section('drafts-heading', 'Your drafts', data.myDrafts, 'You have no drafts.')}
      {section('review-heading', 'Waiting for your review', data.waiting, 'Nothing is waiting for your review.')}
      {data.approved
        ? section('approved-heading', 'Approved, ready to publish', data.approved, 'Nothing approved is waiting to be published.')
        : ''}
      {section('scheduled-heading', 'Scheduled', data.scheduled, 'Nothing is scheduled.')}
      {section('published-heading', 'Recently published', data.recentlyPublished, 'Nothing published yet.')}
    </NewsroomLayout>
  );
}

/** The Author filter as typed, and what the server made of it. */
export interface AuthorFilter {
  text: string;
  error?: string;
  /** The people whose names hold the text, when it is more than one. */
  choices: { id: string; name: string }[];
  /** More people match than are offered. */
  moreChoices: boolean;
}

export function ArticleListPage(props: {
  ctx: PageContext;
  rows: DeskRow[];
  filter: { status?: string; sectionId?: string; authorId?: string; q?: string };
  author: AuthorFilter;
  sections: { id: string; name: string }[];
  page: number;
  more: boolean;
}): JSX.Element {
  const f = props.filter;
  const a = props.author;
  const statusChoices = (Object.keys(STATUS_LABELS) as ArticleStatus[]).map((s) => ({ value: s, label: STATUS_LABELS[s] }));
  const sectionChoices = props.sections.map((s) => ({ value: s.id, label: s.name }));
  const params = (page: number, authorId = f.authorId) => {
    const p = new URLSearchParams(
      Object.entries({ status: f.status ?? '', section: f.sectionId ?? '', author: authorId ?? '', q: f.q ?? '' }).filter(
        ([, v]) => v !== '',
      ),
    );
    if (page > 1) p.set('page', String(page));
    const s = p.toString();
    return s ? `/newsroom/articles?${s}` : '/newsroom/articles';
  };
  const described = a.error ? 'filter-author-hint filter-author-error' : 'filter-author-hint';
  return (
    <NewsroomLayout ctx={props.ctx} title="All articles">
      <header class="page-header">
        <h1>Articles</h1>
      </header>
      <form method="get" action="/newsroom/articles" class="filters" role="search">
        <div class="field">
          <label for="filter-q">Title contains</label>
          <input id="filter-q" name="q" type="search" value={f.q ?? ''} />
        </div>
        <ChoiceField id="filter-status" name="status" label="Status" blank="Any" choices={statusChoices} selected={f.status} />
        <ChoiceField id="filter-section" name="section" label="Section" blank="Any" choices={sectionChoices} selected={f.sectionId} />
        <div class={a.error ? 'field has-error' : 'field'}>
          <label for="filter-author">Author</label>
          <p class="field__hint" id="filter-author-hint">
            A name or part of one; empty for anyone.
          </p>
          {a.error ? (
            <p class="field__error" id="filter-author-error" safe>
              {a.error}
            </p>
          ) : (
            ''
          )}
          <input
            id="filter-author"
            name="by"
            type="text"
            value={a.text}
            autocomplete="off"
            maxlength={100}
            aria-describedby={described}
            aria-invalid={a.error ? 'true' : undefined}
          />
        </div>
        <button type="submit" class="button button--secondary">
          Filter
        </button>
      </form>
      {a.choices.length > 0 ? (
        <section class="author-choices" aria-labelledby="author-choices-title">
          <h2 id="author-choices-title" safe>
            {`${a.moreChoices ? 'More than ' : ''}${a.choices.length} people’s names contain “${a.text}”: whose articles?`}
          </h2>
          <ul>
            {a.choices.map((person) => (
              <li>
                <a href={params(1, person.id)} safe>
                  {person.name}
                </a>
              </li>
            ))}
          </ul>
          {a.moreChoices ? <p>Type more of the name to see the others.</p> : ''}
        </section>
      ) : (
        <DeskTable rows={props.rows} empty="No article matches these filters." caption="Articles" />
      )}
      <nav class="pagination" aria-label="Article pages">
        {props.page > 1 ? <a href={params(props.page - 1)}>← Previous</a> : <span />}
        <span>Page {props.page}</span>
        {props.more ? <a href={params(props.page + 1)}>Next →</a> : <span />}
      </nav>
    </NewsroomLayout>
  );
}

export function NewArticlePage(props: {
  ctx: PageContext;
  csrf: string;
  sections: { id: string; name: string }[];
  values: Record<string, string>;
  errors: FieldErrors;
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="New article">
      <div class="form-card">
        <h1>Start a new article</h1>
        <ErrorSummary errors={props.errors} />
        <form method="post" action="/newsroom/articles" novalidate>
          <CsrfField token={props.csrf} />
          <Field label="Working headline" name="title" value={props.values.title} error={props.errors.title} required maxlength={200} />
          <div class={props.errors.sectionId ? 'field has-error' : 'field'}>
            <label for="field-sectionId">Section</label>
            {props.errors.sectionId ? (
              <p class="field__error" id="field-sectionId-error" safe>
                {props.errors.sectionId}
              </p>
            ) : (
              ''
            )}
            <select id="field-sectionId" name="sectionId" required>
              <option value="">Choose a section</option>
              {props.sections.map((s) => (
                <option value={s.id} selected={props.values.sectionId === s.id} safe>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            Create the draft
          </button>
        </form>
      </div>
    </NewsroomLayout>
  );
}

/** An audit log entry as it is stored (details are JSON). */
export type AuditRow = AuditLogTable;

/** Names the audit page links to: people by id, and the person each account belongs to. */
export interface AuditNames {
  people: Map<string, string>;
  byUser: Map<string, { personId: string; name: string }>;
}

const ACTIONS: Record<string, string> = {
  'article.published': 'Published',
  'article.unpublished': 'Unpublished',
  'article.scheduled': 'Scheduled',
  'article.editors_pick': 'Made the editor’s pick',
  'article.edited_live': 'Edited while published',
  'article.restored': 'Restored a revision',
  'comment.added': 'Commented',
  'media.uploaded': 'Uploaded a picture',
  'person.created': 'Added a person',
  'person.updated': 'Changed a profile',
  'role.added': 'Gave a role',
  'role.updated': 'Changed a role’s dates',
  'role.ended': 'Ended a role',
  'role.deleted': 'Deleted a role entered by mistake',
  'newsroom.member_added': 'Added to a newsroom',
  'newsroom.member_ended': 'Ended a newsroom membership',
  'user.linked': 'Linked an account',
  'user.unlinked': 'Unlinked the account',
  'user.invited': 'Invited by email',
  'user.created': 'Created an account',
  'user.deleted': 'Deleted an account',
  'redirect.create': 'Added a redirect',
  'redirect.update': 'Changed a redirect',
  'redirect.delete': 'Deleted a redirect',
  'page.published': 'Published a page',
  'page.unpublished': 'Unpublished a page',
  'page.edited_live': 'Edited a page while published',
  'page.deleted': 'Deleted a page',
  'problem_report.state': 'Changed the state of a report',
  'problem_report.note': 'Added a note to a report',
  'problem_report.viewed': 'Read a report about personal information',
};

/**
 * What a record's details say, in words. Only the fields named here are shown:
 * whatever else an older record carries (an address, say) stays in the database.
 */
export function auditDetails(action: string, json: string): string {
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return '';
  }
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const role = (ROLE_NAMES as string[]).includes(text(d.role))
    ? roleTitle({ role: text(d.role) as RoleName, sectionName: null, newsroomName: null })
    : text(d.role);
  const span = (from: unknown, to: unknown) => `${text(from)} – ${text(to) || 'present'}`;
  switch (action) {
    case 'person.updated':
      return Array.isArray(d.changed) ? `Changed: ${d.changed.map(text).join(', ')}` : '';
    case 'role.added':
      return `${role} from ${text(d.startsOn)}${d.promotion ? ', as a promotion' : ''}`;
    case 'role.updated':
    case 'role.ended':
      return role ? `${role}, ${span(d.startsOn, d.endsOn)}` : span(d.startsOn, d.endsOn);
    case 'role.deleted':
      return `${role}, ${span(d.startsOn, d.endsOn)}`;
    case 'article.published':
    case 'article.unpublished':
      return [
        d.from ? `from ${text(d.from).replace(/_/g, ' ')}` : '',
        d.scheduled ? 'as scheduled' : '',
        d.agesRecomputed ? 'byline ages recomputed' : '',
      ]
        .filter(Boolean)
        .join(', ');
    case 'article.scheduled':
      return d.at ? `for ${formatShortInZone(text(d.at), 'Europe/London')}` : '';
    case 'article.edited_live':
      return d.version ? `version ${text(d.version)}` : '';
    case 'article.restored':
      return d.revision ? `revision ${text(d.revision)}` : '';
    case 'comment.added':
      return d.reply ? 'a reply' : '';
    case 'redirect.create':
    case 'redirect.delete':
      return `${text(d.from)} → ${text(d.to)} (${text(d.status)})`;
    case 'redirect.update': {
      const after = (d.after ?? {}) as Record<string, unknown>;
      return `${text(after.from)} → ${text(after.to)} (${text(after.status)})`;
    }
    case 'page.published':
    case 'page.unpublished':
    case 'page.edited_live':
    case 'page.deleted':
      return `/${text(d.slug)}`;
    case 'problem_report.state':
      return `${text(d.from).replace(/_/g, ' ')} → ${text(d.to).replace(/_/g, ' ')}`;
    case 'media.uploaded':
      return d.alt ? `“${text(d.alt)}”${d.already ? ' (already in the library)' : ''}` : '';
    default:
      return '';
  }
}

function AuditSubject(props: { row: AuditRow; names: AuditNames }): JSX.Element {
  const { row, names } = props;
  const details = (() => {
    try {
      return JSON.parse(row.details) as { title?: string; name?: string };
    } catch {
      return {};
    }
  })();
  if (row.subject_type === 'article') {
    return (
      <a href={`/newsroom/articles/${row.subject_id}`} safe>
        {details.title || 'an article'}
      </a>
    );
  }
  if (row.subject_type === 'person') {
    const name = names.people.get(row.subject_id);
    return name ? (
      <a href={`/newsroom/people/${row.subject_id}`} safe>
        {name}
      </a>
    ) : (
      <span safe>{details.name ?? 'a person no longer listed'}</span>
    );
  }
  if (row.subject_type === 'user') {
    const person = names.byUser.get(row.subject_id);
    return person ? (
      <a href={`/newsroom/people/${person.personId}`} safe>
        {`the account of ${person.name}`}
      </a>
    ) : (
      <span>an account</span>
    );
  }
  if (row.subject_type === 'media') return <a href="/newsroom/media">a picture</a>;
  if (row.subject_type === 'page') {
    // A deleted page has no editor to link to: its title stays in the record.
    if (row.action === 'page.deleted') return details.title ? <span safe>{`“${details.title}”`}</span> : <span>a page</span>;
    return (
      <a href={`/newsroom/pages/${row.subject_id}`} safe>
        {details.title || 'a page'}
      </a>
    );
  }
  if (row.subject_type === 'redirect') return <a href={`/newsroom/redirects/${row.subject_id}`}>a redirect</a>;
  if (row.subject_type === 'problem_report') return <a href={`/newsroom/reports/${row.subject_id}`}>a report of a problem</a>;
  return <span safe>{row.subject_type}</span>;
}

export function AuditPage(props: { ctx: PageContext; rows: AuditRow[]; names: AuditNames; page: number; pages: number }): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Audit log">
      <header class="page-header">
        <h1>Audit log</h1>
        <p>
          Who published, edited, restored, commented on and scheduled what, uploads, and changes to people, roles and accounts. Private
          values, such as dates of birth, are never recorded: only which fields changed.
        </p>
      </header>
      {props.rows.length === 0 ? (
        <p class="empty">Nothing has been recorded yet.</p>
      ) : (
        <DataTable columns={['When', 'Who', 'What', 'On', 'Details']}>
          {props.rows.map((r) => {
            const actor = r.user_id ? props.names.byUser.get(r.user_id) : undefined;
            return (
              <tr>
                <td>
                  <time datetime={r.created_at} safe>
                    {formatShortInZone(r.created_at, 'UTC')}
                  </time>
                </td>
                <td>
                  {actor ? (
                    <a href={`/newsroom/people/${actor.personId}`} safe>
                      {actor.name}
                    </a>
                  ) : (
                    <span safe>{r.actor_name}</span>
                  )}
                </td>
                <td safe>{ACTIONS[r.action] ?? r.action}</td>
                <td>
                  <AuditSubject row={r} names={props.names} />
                </td>
                <td safe>{auditDetails(r.action, r.details)}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <nav class="pagination" aria-label="Audit pages">
        {props.page > 1 ? <a href={`/newsroom/audit?page=${props.page - 1}`}>← Newer</a> : <span />}
        <span>
          Page {props.page} of {props.pages}
        </span>
        {props.page < props.pages ? <a href={`/newsroom/audit?page=${props.page + 1}`}>Older →</a> : <span />}
      </nav>
    </NewsroomLayout>
  );
}

export { Notice };
