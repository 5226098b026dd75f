// The newsroom's pages desk: the list, a new page, the editor (the article
// editor's rich text and its plain-text fallback), the delete confirmation and
// the footer menu's order.
import type { PageStatus } from '../../../db/schema.js';
import { formatShortInZone } from '../../../lib/dates.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { DataTable } from '../../../web/ui/data-table.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import { EditorForm, RichTextBodyField } from '../../../web/ui/rich-text-field.js';
import type { PageRecord } from '../pages.repository.js';
import { PAGE_STATUS_LABELS } from '../pages.service.js';

const ZONE = 'Europe/London';

const MOVE_LABELS: Record<PageStatus, string> = {
  submitted: 'Submit for publication',
  published: 'Publish',
  unpublished: 'Unpublish',
  draft: 'Back to draft',
};

export function PageStatusBadge(props: { status: PageStatus }): JSX.Element {
  return (
    <span class={`status status--${props.status}`} safe>
      {PAGE_STATUS_LABELS[props.status]}
    </span>
  );
}

/** Pages submitted for publication, named first so the editor-in-chief sees what waits for them. */
function WaitingPages(props: { pages: PageRecord[] }): JSX.Element {
  if (props.pages.length === 0) return '';
  return (
    <div class="notice notice--info">
      <p safe>{props.pages.length === 1 ? 'One page waits for publication:' : `${props.pages.length} pages wait for publication:`}</p>
      <ul>
        {props.pages.map((p) => (
          <li>
            <a href={`/newsroom/pages/${p.id}`} safe>
              {p.title}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PagesListPage(props: {
  ctx: PageContext;
  pages: PageRecord[];
  canOrderMenu: boolean;
  notice?: string | undefined;
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Pages">
      <header class="page-header">
        <h1>Pages</h1>
        <p>
          The magazine’s own pages (About, Join the team, Code of conduct…), served at their own address. The editor-in-chief publishes them
          and orders the footer menu.
        </p>
        <p>
          <a class="button" href="/newsroom/pages/new">
            New page
          </a>
          {props.canOrderMenu ? (
            <>
              {' '}
              <a class="button button--secondary" href="/newsroom/pages/menu">
                Order the footer menu
              </a>
            </>
          ) : (
            ''
          )}
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <WaitingPages pages={props.pages.filter((p) => p.status === 'submitted')} />
      {props.pages.length === 0 ? (
        <p class="empty">No pages yet.</p>
      ) : (
        <DataTable columns={['Title', 'Address', 'Status', 'In the menu', 'Updated']} caption="Pages">
          {props.pages.map((p) => (
            <tr>
              <td>
                <a href={`/newsroom/pages/${p.id}`} safe>
                  {p.title}
                </a>
              </td>
              <td>
                <code safe>{`/${p.slug}`}</code>
              </td>
              <td>
                <PageStatusBadge status={p.status} />
              </td>
              <td safe>{p.menu_position === null ? 'No' : `Yes (${p.menu_position + 1})`}</td>
              <td>
                <time datetime={p.updated_at} safe>
                  {formatShortInZone(p.updated_at, ZONE)}
                </time>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </NewsroomLayout>
  );
}

const SLUG_HINT = 'The page’s address after the site’s name, e.g. “join-the-team”: lower-case letters, digits and hyphens.';

export function NewPagePage(props: { ctx: PageContext; csrf: string; values: Record<string, string>; errors: FieldErrors }): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="New page">
      <div class="form-card">
        <h1>Start a new page</h1>
        <ErrorSummary errors={props.errors} message="The page was not created. Please correct the following:" />
        <form method="post" action="/newsroom/pages" novalidate>
          <CsrfField token={props.csrf} />
          <Field label="Title" name="title" value={props.values.title ?? ''} error={props.errors.title} required maxlength={200} />
          <Field
            label="Address (optional)"
            name="slug"
            value={props.values.slug ?? ''}
            error={props.errors.slug}
            hint={`${SLUG_HINT} Left empty, it is made from the title.`}
            maxlength={80}
          />
          <button type="submit" class="button">
            Create the draft
          </button>
        </form>
      </div>
    </NewsroomLayout>
  );
}

export interface PageEditorData {
  page: PageRecord;
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string | undefined;
  notice?: string | undefined;
  conflict?: boolean;
  canEdit: boolean;
  canDelete: boolean;
  moves: PageStatus[];
}

export function PageEditorPage(props: { ctx: PageContext; csrf: string; data: PageEditorData }): JSX.Element {
  const { data, csrf } = props;
  const { page, values, errors } = data;
  const disabled = !data.canEdit;
  const safeBodyHtml = page.body_html;
  return (
    <NewsroomLayout
      ctx={props.ctx}
      title={`Edit page: ${page.title}`}
      head={data.canEdit ? <script src={props.ctx.assets.editorJs} defer></script> : ''}
    >
      <header class="page-header editor-header">
        <p class="eyebrow">
          <PageStatusBadge status={page.status} /> Version {page.version}
        </p>
        <h1 safe>{page.title}</h1>
        <p>
          <a href={`/newsroom/pages/${page.id}/preview`}>Preview</a>
          {page.status === 'published' ? (
            <>
              {' '}
              · <a href={`/${page.slug}`}>View on the site</a>
            </>
          ) : (
            ''
          )}{' '}
          · <a href="/newsroom/pages">All pages</a>
        </p>
      </header>
      {data.notice ? <Notice kind="success" text={data.notice} /> : ''}
      <ErrorSummary errors={errors} message={data.message} />
      {disabled ? (
        <p class="notice notice--info">
          This page is published: only the editor-in-chief changes it now. You can read it here and ask them for a change.
        </p>
      ) : (
        ''
      )}
      <div class="editor-grid">
        <EditorForm
          action={`/newsroom/pages/${page.id}`}
          autosaveUrl={`/newsroom/pages/${page.id}/autosave`}
          version={page.version}
          conflict={data.conflict}
          canEdit={data.canEdit}
          csrf={csrf}
        >
          <input type="hidden" name="version" value={values.version || String(page.version)} />
          <Field name="title" label="Title" value={values.title ?? ''} error={errors.title} required disabled={disabled} maxlength={200} />
          <Field
            name="slug"
            label="Address"
            value={values.slug ?? ''}
            error={errors.slug}
            hint={SLUG_HINT}
            disabled={disabled}
            maxlength={80}
          />
          <Field
            name="dek"
            label="Summary"
            value={values.dek ?? ''}
            error={errors.dek}
            disabled={disabled}
            hint="One or two sentences under the title; also what search engines and shared links show."
          />
          <RichTextBodyField
            disabled={disabled}
            safeBodyHtml={safeBodyHtml}
            initialDoc={values.bodyJson ?? ''}
            text={values.bodyText ?? ''}
            error={errors.body}
          />
          <p data-word-count aria-live="polite"></p>
          <p data-save-status role="status" aria-live="polite"></p>
          {data.canEdit ? (
            <div class="editor-actions">
              <button type="submit" class="button" name="intent" value="save">
                Save
              </button>
              {data.moves.includes('submitted') ? (
                <button type="submit" class="button button--secondary" name="intent" value="submit">
                  Save and submit for publication
                </button>
              ) : (
                ''
              )}
            </div>
          ) : (
            ''
          )}
        </EditorForm>
        <aside class="editor-side">
          <section aria-labelledby="workflow-heading" class="desk-section">
            <h2 id="workflow-heading">Workflow</h2>
            <p
              safe
            >{`This page is ${PAGE_STATUS_LABELS[page.status].toLowerCase()}.${page.status === 'published' ? ` Readers find it at /${page.slug}.` : ' Readers cannot see it.'}`}</p>
            {data.moves.filter((to) => to !== 'submitted' || !data.canEdit).length === 0 ? (
              <p>No other move is open to you from here. The editor-in-chief publishes pages.</p>
            ) : (
              <p class="field__hint" data-move-hint>
                These buttons move the page as last saved: save your changes first.
              </p>
            )}
            {data.moves
              .filter((to) => to !== 'submitted' || !data.canEdit)
              .map((to) => (
                <form method="post" action={`/newsroom/pages/${page.id}/move`} class="move-form">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="to" value={to} />
                  <button type="submit" class={to === 'unpublished' ? 'button button--danger' : 'button'} safe>
                    {MOVE_LABELS[to]}
                  </button>
                </form>
              ))}
          </section>
          <section aria-labelledby="menu-heading" class="desk-section">
            <h2 id="menu-heading">Footer menu</h2>
            <p safe>
              {page.menu_position === null
                ? 'Not in the footer menu.'
                : `In the footer menu, place ${page.menu_position + 1}${page.status === 'published' ? '' : ' (shown once published)'}.`}
            </p>
            {data.canDelete ? <a href="/newsroom/pages/menu">Order the footer menu</a> : ''}
          </section>
          {data.canDelete ? (
            <section aria-labelledby="delete-heading" class="desk-section">
              <h2 id="delete-heading">Delete</h2>
              <p>
                <a class="button button--danger" href={`/newsroom/pages/${page.id}/delete`}>
                  Delete this page…
                </a>
              </p>
            </section>
          ) : (
            ''
          )}
        </aside>
      </div>
    </NewsroomLayout>
  );
}

export function DeletePagePage(props: { ctx: PageContext; csrf: string; page: PageRecord; error?: string }): JSX.Element {
  const { page } = props;
  return (
    <NewsroomLayout ctx={props.ctx} title={`Delete the page “${page.title}”`}>
      <div class="form-card">
        <h1 safe>{`Delete the page “${page.title}”?`}</h1>
        {props.error ? <ErrorSummary errors={{ confirm: props.error }} idFor={() => 'field-confirm'} /> : ''}
        {page.status === 'published' ? (
          <p>
            It is published: <code safe>{`/${page.slug}`}</code> stops answering at once and leaves the footer menu. This cannot be undone;
            the audit log keeps a record.
          </p>
        ) : (
          <p>Its text is gone for good. This cannot be undone; the audit log keeps a record.</p>
        )}
        {page.status === 'published' ? <p>To take it off the site for a while, unpublish it instead.</p> : ''}
        <form method="post" action={`/newsroom/pages/${page.id}/delete`}>
          <CsrfField token={props.csrf} />
          <div class={props.error ? 'field field--checkbox has-error' : 'field field--checkbox'}>
            <input type="checkbox" id="field-confirm" name="confirm" value="yes" required aria-invalid={props.error ? 'true' : undefined} />{' '}
            <label for="field-confirm">Yes, delete this page</label>
          </div>
          <button type="submit" class="button button--danger">
            Delete the page
          </button>{' '}
          <a href={`/newsroom/pages/${page.id}`}>Keep it</a>
        </form>
      </div>
    </NewsroomLayout>
  );
}

/** A button of the menu's order: its visible word, then (for screen readers) the page it moves. */
function MenuButton(props: {
  csrf: string;
  id: string;
  change: 'up' | 'down' | 'remove' | 'add';
  label: string;
  title: string;
}): JSX.Element {
  return (
    <form method="post" action="/newsroom/pages/menu" class="inline-form">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="pageId" value={props.id} />
      <input type="hidden" name="change" value={props.change} />
      <button type="submit" class={props.change === 'remove' ? 'button button--secondary' : 'button'}>
        <span safe>{props.label}</span>
        <span class="visually-hidden" safe>{`: ${props.title}`}</span>
      </button>
    </form>
  );
}

export function MenuPage(props: {
  ctx: PageContext;
  csrf: string;
  menu: PageRecord[];
  others: PageRecord[];
  notice?: string | undefined;
}): JSX.Element {
  const { menu, csrf } = props;
  return (
    <NewsroomLayout ctx={props.ctx} title="Footer menu">
      <header class="page-header">
        <h1>Footer menu</h1>
        <p>
          The pages listed at the foot of every page of the site, in this order. Pages that are not published are left out until they are.
        </p>
        <p>
          <a href="/newsroom/pages">All pages</a>
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <section aria-labelledby="in-menu-heading" class="desk-section">
        <h2 id="in-menu-heading">In the menu</h2>
        {menu.length === 0 ? (
          <p class="empty">The menu is empty.</p>
        ) : (
          <ol class="menu-order" data-menu-order>
            {menu.map((p, i) => (
              <li>
                <span safe>{p.title}</span> <PageStatusBadge status={p.status} />{' '}
                {i > 0 ? <MenuButton csrf={csrf} id={p.id} change="up" label="Up" title={p.title} /> : ''}
                {i < menu.length - 1 ? <MenuButton csrf={csrf} id={p.id} change="down" label="Down" title={p.title} /> : ''}
                <MenuButton csrf={csrf} id={p.id} change="remove" label="Remove" title={p.title} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="others-heading" class="desk-section">
        <h2 id="others-heading">Other pages</h2>
        {props.others.length === 0 ? (
          <p class="empty">Every page is in the menu.</p>
        ) : (
          <ul>
            {props.others.map((p) => (
              <li>
                <span safe>{p.title}</span> <PageStatusBadge status={p.status} />{' '}
                <MenuButton csrf={csrf} id={p.id} change="add" label="Add to the menu" title={p.title} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </NewsroomLayout>
  );
}
