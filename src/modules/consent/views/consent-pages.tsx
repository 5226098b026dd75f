// The consent module's pages: a writer's consent page in the people desk, the
// guardian's pages behind the email's links (each a page with a button: mail
// scanners open links), the editor-in-chief's list, the ages settings, and the
// page the newsroom shows when a publication is refused.
import { PaginationNav } from '../../../web/components.js';
import { formatLongDate } from '../../../lib/dates.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import { FormPage } from '../../../web/form-page.js';
import type { Pagination } from '../../../web/http.js';
import type { PageContext } from '../../../web/page-context.js';
import { DataTable } from '../../../web/ui/data-table.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import type { ConsentRow } from '../consent.repository.js';
import type { RefusedWriter, WriterConsent } from '../consent.service.js';
import { countryName, ELSEWHERE, MAX_CONSENT_AGE, MIN_CONSENT_AGE } from '../countries.js';

export const CONSENT_LIST = '/newsroom/consent';
export const CONSENT_AGES = '/newsroom/consent/ages';

const STATUS_WORDS: Record<ConsentRow['status'], string> = {
  waiting: 'Waiting for the guardian',
  given: 'Given',
  revoked: 'Revoked',
  replaced: 'Replaced by a newer request',
};

function where(country: string): string {
  return country === ELSEWHERE ? 'their country' : countryName(country);
}

/** One sentence on where a writer stands today. */
export function standing(c: WriterConsent): string {
  const state =
    c.state === 'given'
      ? `Their guardian gave consent on ${formatLongDate(c.givenAt!)}.`
      : c.state === 'revoked'
        ? `Their guardian withdrew consent on ${formatLongDate(c.revokedAt!)}: nothing new of theirs can be published or scheduled.`
        : c.state === 'waiting'
          ? 'The request is waiting for the guardian’s click.'
          : 'There is no guardian’s consent on record.';
  const age =
    c.age === null
      ? 'Their date of birth is not on file, so the newsroom cannot tell whether they need a guardian’s consent.'
      : c.needed
        ? `They are ${c.age}, under the age of digital consent in ${where(c.country)} (${c.consentAge}): their articles need a guardian’s consent.`
        : `They are ${c.age}, at or over the age of digital consent in ${where(c.country)} (${c.consentAge}).`;
  return `${age} ${state}`;
}

export interface ConsentFormValues {
  guardianName: string;
  guardianEmail: string;
  confirmReplace: boolean;
}

export function ConsentPersonPage(props: {
  ctx: PageContext;
  csrf: string;
  personId: string;
  name: string;
  consent: WriterConsent;
  history: Omit<ConsentRow, 'confirm_token_hash' | 'revoke_token_hash'>[];
  wording: { version: number; text: string };
  values: ConsentFormValues;
  errors: FieldErrors;
  notice?: string | undefined;
}): JSX.Element {
  const { consent, errors, values } = props;
  const title = `Guardian’s consent: ${props.name}`;
  return (
    <NewsroomLayout ctx={props.ctx} title={title}>
      <header class="page-header">
        <h1 safe>{title}</h1>
        <p>
          <a href={`/newsroom/people/${props.personId}`}>Back to the person’s page</a>
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <p safe>{standing(consent)}</p>

      {consent.state === 'waiting' ? (
        <form method="post" action={`/newsroom/people/${props.personId}/consent/resend`}>
          <CsrfField token={props.csrf} />
          <button type="submit" class="button button--secondary">
            Send the email again
          </button>
          <p class="field__hint">New links: those in earlier emails stop working.</p>
        </form>
      ) : (
        ''
      )}
      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">Requests</h2>
        {props.history.length === 0 ? (
          <p>No request has been sent yet.</p>
        ) : (
          <DataTable columns={['Guardian', 'Sent by', 'State', 'Text']} caption="Requests for a guardian’s consent, newest first">
            {props.history.map((r) => (
              <tr>
                <td>
                  <span safe>{r.guardian_name}</span>
                  <br />
                  <span safe>{r.guardian_email}</span>
                </td>
                <td safe>{`${r.requested_by_name}, ${formatLongDate(r.requested_at)}`}</td>
                <td safe>
                  {`${STATUS_WORDS[r.status]}${r.given_at ? `, given on ${formatLongDate(r.given_at)}` : ''}${
                    r.revoked_at ? `, withdrawn on ${formatLongDate(r.revoked_at)}` : ''
                  }`}
                </td>
                <td>
                  <details>
                    <summary safe>{`Version ${r.text_version}`}</summary>
                    <div class="consent-text" safe>
                      {r.given_text ?? r.consent_text}
                    </div>
                  </details>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="request-heading" class="form-card">
        <h2 id="request-heading">Ask a guardian for consent</h2>
        <ErrorSummary errors={errors} message={errors.form} />
        <p>
          The guardian gets an email with this text and a link to give consent. They can withdraw it at any time with the other link in the
          email.
        </p>
        <blockquote class="consent-text">
          <p class="eyebrow" safe>{`Consent text, version ${props.wording.version}`}</p>
          {props.wording.text.split('\n\n').map((p) => (
            <p safe>{p}</p>
          ))}
        </blockquote>
        <form method="post" action={`/newsroom/people/${props.personId}/consent`} novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="version" value={String(props.wording.version)} />
          <Field
            label="Guardian’s name"
            name="guardianName"
            value={values.guardianName}
            error={errors.guardianName}
            required
            maxlength={100}
            autocomplete="off"
          />
          <Field
            label="Guardian’s email address"
            name="guardianEmail"
            type="email"
            value={values.guardianEmail}
            error={errors.guardianEmail}
            required
            maxlength={254}
            autocomplete="off"
            hint="Only the newsroom’s editors see it."
          />
          {consent.state === 'given' ? (
            <div class={errors.confirmReplace ? 'field field--checkbox has-error' : 'field field--checkbox'}>
              {errors.confirmReplace ? (
                <p class="field__error" id="field-confirmReplace-error" safe>
                  {errors.confirmReplace}
                </p>
              ) : (
                ''
              )}
              <input
                type="checkbox"
                id="field-confirmReplace"
                name="confirmReplace"
                value="1"
                checked={values.confirmReplace}
                aria-describedby={errors.confirmReplace ? 'field-confirmReplace-error' : undefined}
              />
              <label for="field-confirmReplace">
                Replace the consent already given: nothing new of this writer’s is published until the guardian confirms again
              </label>
            </div>
          ) : (
            ''
          )}
          <button type="submit" class="button">
            Send the request
          </button>
        </form>
      </section>
    </NewsroomLayout>
  );
}

/** The guardian's page behind the consent link: the text, and the button that records the consent. */
export function GuardianConfirmPage(props: {
  ctx: PageContext;
  csrf: string;
  token: string;
  writerName: string;
  guardianName: string;
  version: number;
  text: string;
}): JSX.Element {
  return (
    <FormPage
      ctx={props.ctx}
      title={`Consent for ${props.writerName}`}
      lead={`Hello ${props.guardianName}. Please read this before you agree.`}
    >
      <blockquote class="consent-text">
        <p class="eyebrow" safe>{`Consent text, version ${props.version}`}</p>
        {props.text.split('\n\n').map((p) => (
          <p safe>{p}</p>
        ))}
      </blockquote>
      <form method="post" action="/consent/confirm">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="version" value={String(props.version)} />
        <button type="submit" class="button">
          I agree: give my consent
        </button>
      </form>
      <p>
        If you do not agree, you can <a href={`/consent/withdraw?token=${encodeURIComponent(props.token)}`}>refuse instead</a>, or simply
        ignore the email.
      </p>
    </FormPage>
  );
}

/** The page behind the withdrawal link: it asks before withdrawing. */
export function GuardianWithdrawPage(props: {
  ctx: PageContext;
  csrf: string;
  token: string;
  writerName: string;
  given: boolean;
}): JSX.Element {
  return (
    <FormPage
      ctx={props.ctx}
      title={props.given ? `Withdraw your consent for ${props.writerName}` : `Refuse consent for ${props.writerName}`}
      lead={
        props.given
          ? 'Once withdrawn, no new article of theirs is published, and the editor-in-chief reviews those already online.'
          : 'Nothing of theirs will be published without your consent.'
      }
    >
      <form method="post" action="/consent/withdraw">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="button button--danger">
          {props.given ? 'Withdraw my consent' : 'Refuse consent'}
        </button>
      </form>
    </FormPage>
  );
}

export function GuardianMessagePage(props: { ctx: PageContext; title: string; text: string; kind?: 'success' | 'info' }): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title={props.title}>
      <Notice kind={props.kind ?? 'info'} text={props.text} />
    </FormPage>
  );
}

export interface ListedWriter {
  writer: WriterConsent;
  published: { id: string; slug: string; title: string; published_at: string | null }[];
}

/** The editor-in-chief's list: writers whose consent was revoked or is missing, with their published articles. */
export function ConsentListPage(props: {
  ctx: PageContext;
  items: ListedWriter[];
  pagination: Pagination;
  canSetAges: boolean;
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Writers without a guardian’s consent">
      <header class="page-header">
        <h1>Writers without a guardian’s consent</h1>
        {props.canSetAges ? (
          <p>
            <a href={CONSENT_AGES}>Ages of digital consent</a>
          </p>
        ) : (
          ''
        )}
      </header>
      <p>
        Writers younger than their country’s age of digital consent need a guardian’s consent before anything of theirs is published or
        scheduled. Withdrawing consent unpublishes nothing by itself: decide here what happens to the articles already online.
      </p>
      {props.items.length === 0 ? (
        <p>Every writer who needs a guardian’s consent has it.</p>
      ) : (
        props.items.map(({ writer, published }) => (
          <section class="consent-writer" aria-labelledby={`writer-${writer.personId}`}>
            <h2 id={`writer-${writer.personId}`} safe>
              {writer.name}
            </h2>
            <p safe>{standing(writer)}</p>
            <p>
              <a href={`/newsroom/people/${writer.personId}/consent`} safe>{`Open ${writer.name}’s consent page`}</a>
            </p>
            {published.length === 0 ? (
              <p>No published article.</p>
            ) : (
              <DataTable columns={['Published article', 'Published on']} caption={`Published articles by ${writer.name}`}>
                {published.map((a) => (
                  <tr>
                    <td>
                      <a href={`/newsroom/articles/${a.id}`} safe>
                        {a.title}
                      </a>
                    </td>
                    <td>{a.published_at ? formatLongDate(a.published_at) : ''}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </section>
        ))
      )}
      <PaginationNav pagination={props.pagination} basePath={CONSENT_LIST} label="Pages of the list" previous="← Previous" next="Next →" />
    </NewsroomLayout>
  );
}

/** A country's key in the settings form's field names and ids ('elsewhere' for every other country). */
export const ageKey = (code: string) => (code === ELSEWHERE ? 'elsewhere' : code);

export interface AgesRow {
  code: string;
  name: string;
  defaultAge: number;
  age: number;
}

/** The administrators' settings: one number per country, each from 13 to 18. */
export function ConsentAgesPage(props: {
  ctx: PageContext;
  csrf: string;
  rows: AgesRow[];
  values: Record<string, string>;
  errors: FieldErrors;
  notice?: string | undefined;
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Ages of digital consent">
      <header class="page-header">
        <h1>Ages of digital consent</h1>
        <p>
          <a href={CONSENT_LIST}>Writers without a guardian’s consent</a>
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <ErrorSummary errors={props.errors} idFor={(code) => `age-${ageKey(code)}`} />
      <p>
        A writer younger than the age of their country (the country of the first place on their profile) on the day an article is published
        needs a guardian’s consent. The defaults are the ages each country chose under Article 8 of the GDPR.
      </p>
      <form method="post" action={CONSENT_AGES} novalidate>
        <CsrfField token={props.csrf} />
        <div class="consent-ages">
          {props.rows.map((r) => (
            <Field
              id={`age-${ageKey(r.code)}`}
              label={r.name}
              name={`age_${ageKey(r.code)}`}
              type="number"
              inputmode="numeric"
              min={String(MIN_CONSENT_AGE)}
              max={String(MAX_CONSENT_AGE)}
              value={props.values[r.code] ?? String(r.age)}
              error={props.errors[r.code]}
              hint={`Default ${r.defaultAge}`}
              required
            />
          ))}
        </div>
        <button type="submit" class="button">
          Save the ages
        </button>
      </form>
    </NewsroomLayout>
  );
}

/** The newsroom's answer when a publication or schedule is refused for want of a guardian's consent. */
export function ConsentRefusalPage(props: {
  ctx: PageContext;
  articleId: string;
  step: 'publish' | 'schedule';
  message: string;
  writers: RefusedWriter[];
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="A guardian’s consent is needed">
      <div class="notice notice--error" role="alert">
        <h1>
          {props.step === 'publish' ? 'Not published: a guardian’s consent is needed' : 'Not scheduled: a guardian’s consent is needed'}
        </h1>
        <p safe>{props.message}</p>
      </div>
      <ul>
        {props.writers.map((w) => (
          <li>
            <a href={w.consentPage} safe>{`Open ${w.name}’s consent page`}</a>
          </li>
        ))}
      </ul>
      <p>
        <a href={`/newsroom/articles/${props.articleId}`}>Back to the article</a>
      </p>
    </NewsroomLayout>
  );
}
