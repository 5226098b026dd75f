// The newsroom's redirects desk: the list with its search and the form that adds
// one, the edit form, and the page that asks before a redirect is deleted.
import { PaginationNav } from '../../../web/components.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import type { Pagination } from '../../../web/http.js';
import type { PageContext } from '../../../web/page-context.js';
import { DataTable } from '../../../web/ui/data-table.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';

export const DESK = '/newsroom/redirects';

export interface RedirectFormValues {
  from: string;
  to: string;
  status: string;
}

export interface RedirectFormState {
  values: RedirectFormValues;
  errors: FieldErrors;
}

export interface RedirectItem {
  id: string;
  from: string;
  to: string;
  status: number;
  source: string;
}

const STATUS_LABELS: Record<string, string> = {
  '301': 'Permanent (301): the old address has moved for good. Search engines move its standing to the new one.',
  '302': 'Temporary (302): the old address will be back. Search engines keep the old one.',
};

/** How an address is shown: its escapes read back as letters (`/при`, not `/%D0%BF…`). */
export function readable(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function sourceLabel(source: string): string {
  return source === 'manual' ? 'Newsroom' : `Import (${source})`;
}

function RedirectFields(props: { form: RedirectFormState }): JSX.Element {
  const { values, errors } = props.form;
  return (
    <>
      <Field
        label="Old address"
        name="from"
        value={values.from}
        error={errors.from}
        maxlength={2000}
        required
        hint="The path people still follow, e.g. /2019/04/12/old-story/ or /?p=123. A full address of the old site works too; only its path is kept. A page this site still answers at that address is shown instead of the redirect."
      />
      <Field
        label="New address"
        name="to"
        value={values.to}
        error={errors.to}
        maxlength={2000}
        required
        hint="A path on this site, starting with /, e.g. /articles/new-story. Addresses on other sites are not allowed."
      />
      <fieldset class={errors.status ? 'field has-error' : ''} aria-describedby={errors.status ? 'field-status-error' : undefined}>
        <legend>Kind of redirect</legend>
        {errors.status ? (
          <p class="field__error" id="field-status-error" safe>
            {errors.status}
          </p>
        ) : (
          ''
        )}
        {['301', '302'].map((code, i) => {
          const id = i === 0 ? 'field-status' : `field-status-${code}`;
          return (
            <div class="field field--checkbox">
              <input id={id} type="radio" name="status" value={code} checked={values.status === code} />
              <label for={id} safe>
                {STATUS_LABELS[code]!}
              </label>
            </div>
          );
        })}
      </fieldset>
    </>
  );
}

function RedirectTable(props: { items: RedirectItem[] }): JSX.Element {
  return (
    <DataTable columns={['Old address', 'New address', 'Kind', 'Made by', 'Actions']} caption="Redirects">
      {props.items.map((item) => (
        <tr>
          <td>
            <code safe>{readable(item.from)}</code>
          </td>
          <td>
            <span aria-hidden="true">→ </span>
            <a href={item.to}>
              <code safe>{readable(item.to)}</code>
            </a>
          </td>
          <td safe>{item.status === 301 ? '301 permanent' : `${item.status} temporary`}</td>
          <td safe>{sourceLabel(item.source)}</td>
          <td>
            <a href={`${DESK}/${item.id}`}>
              Edit<span class="visually-hidden" safe>{` the redirect from ${readable(item.from)}`}</span>
            </a>{' '}
            <a href={`${DESK}/${item.id}/delete`}>
              Delete<span class="visually-hidden" safe>{` the redirect from ${readable(item.from)}`}</span>
            </a>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function RedirectsPage(props: {
  ctx: PageContext;
  csrf: string;
  q: string;
  pagination: Pagination;
  items: RedirectItem[];
  form: RedirectFormState;
  notice?: string | undefined;
}): JSX.Element {
  const { pagination, q } = props;
  const count = pagination.total === 1 ? '1 redirect' : `${pagination.total.toLocaleString('en-GB')} redirects`;
  return (
    <NewsroomLayout ctx={props.ctx} title="Redirects">
      <header class="page-header">
        <h1>Redirects</h1>
        <p class="page-header__description">
          Old addresses that lead to where their article or page lives now, so that links from elsewhere keep working. Imports add them; you
          can add, change and delete them here. A redirect is used only when no page on this site answers the old address.
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <section aria-labelledby="add-heading" class="form-card">
        <h2 id="add-heading">Add a redirect</h2>
        <ErrorSummary errors={props.form.errors} />
        <form method="post" action={DESK} novalidate>
          <CsrfField token={props.csrf} />
          <RedirectFields form={props.form} />
          <button type="submit" class="button">
            Add the redirect
          </button>
        </form>
      </section>
      <section aria-labelledby="list-heading" class="desk-section">
        <h2 id="list-heading">All redirects</h2>
        <form method="get" action={DESK} role="search">
          <Field label="Find an address" name="q" type="search" value={q} maxlength={200} hint="Part of the old or new address." />
          <button type="submit" class="button button--secondary">
            Find
          </button>
        </form>
        <p class="muted" safe>
          {q ? `${count} found for “${q}”.` : `${count} in all.`}
        </p>
        {props.items.length === 0 ? (
          q ? (
            <p class="empty">
              <span safe>{`No redirect has “${q}” in its addresses.`}</span> <a href={DESK}>Show every redirect</a>
            </p>
          ) : (
            <p class="empty">There are no redirects yet.</p>
          )
        ) : (
          <RedirectTable items={props.items} />
        )}
        <PaginationNav
          pagination={pagination}
          basePath={DESK}
          query={{ q }}
          label="Pages of redirects"
          previous="← Previous"
          next="Next →"
        />
      </section>
    </NewsroomLayout>
  );
}

export function EditRedirectPage(props: { ctx: PageContext; csrf: string; item: RedirectItem; form: RedirectFormState }): JSX.Element {
  const { item } = props;
  return (
    <NewsroomLayout ctx={props.ctx} title="Edit a redirect">
      <div class="form-card">
        <p class="eyebrow">
          <a href={DESK}>Redirects</a>
        </p>
        <h1 safe>{`Edit the redirect from ${readable(item.from)}`}</h1>
        {item.source === 'manual' ? (
          ''
        ) : (
          <p
            safe
          >{`An import (${item.source}) made this redirect. Once saved here it is the newsroom’s: running the import again leaves it as you set it.`}</p>
        )}
        <ErrorSummary errors={props.form.errors} />
        <form method="post" action={`${DESK}/${item.id}`} novalidate>
          <CsrfField token={props.csrf} />
          <RedirectFields form={props.form} />
          <button type="submit" class="button">
            Save the redirect
          </button>{' '}
          <a href={DESK}>Cancel</a>
        </form>
      </div>
    </NewsroomLayout>
  );
}

export function DeleteRedirectPage(props: { ctx: PageContext; csrf: string; item: RedirectItem }): JSX.Element {
  const { item } = props;
  return (
    <NewsroomLayout ctx={props.ctx} title="Delete a redirect">
      <div class="form-card">
        <h1 safe>{`Delete the redirect from ${readable(item.from)}?`}</h1>
        <p>
          <span safe>{`Visitors following ${readable(item.from)} are sent to ${readable(item.to)} now.`}</span> Once it is deleted they get
          a “page not found” instead, unless a page of this site answers that address. The audit log keeps a record.
        </p>
        <form method="post" action={`${DESK}/${item.id}/delete`}>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="button button--danger">
            Delete the redirect
          </button>{' '}
          <a href={DESK}>Keep it</a>
        </form>
      </div>
    </NewsroomLayout>
  );
}
