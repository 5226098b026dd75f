// The reader-facing newsletter pages: the list of newsletters, a newsletter's
// page with its archive, an archived issue, and the pages behind the links in
// our emails (confirm, unsubscribe, preferences), plus the account's own list.
import type { SubscriptionStatus } from '../../../db/schema.js';
import { formatLongDate } from '../../../lib/dates.js';
import { CsrfField, ErrorSummary, Notice } from '../../../web/forms.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import { groupBySection, type IssueItem } from '../issue-email.js';
import { newsletterPaths } from '../links.js';
import { NewsletterSignupForm, type SignupSource } from '../../../web/ui/newsletter-signup.js';
import { FormPage } from '../../../web/form-page.js';

export interface NewsletterSummary {
  slug: string;
  name: string;
  description: string;
}

export interface SignupState {
  /** The newsletter whose form the error belongs to. */
  slug: string;
  email: string;
  error: string;
}

export function NewslettersPage(props: {
  ctx: PageContext;
  newsletters: (NewsletterSummary & { status?: SubscriptionStatus | null })[];
  csrf: string | undefined;
  form?: SignupState | undefined;
}): JSX.Element {
  const { ctx } = props;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: 'Newsletters',
        description: `The newsletters of ${ctx.config.siteName}: the week’s best stories in your inbox.`,
        canonicalPath: '/newsletters',
      }}
    >
      <div class="wrap narrow">
        <header class="page-header">
          <h1>Newsletters</h1>
          <p class="page-header__description">Our stories in your inbox, chosen by the editors. Free, and you can leave with one click.</p>
        </header>
        {props.form ? <ErrorSummary errors={{ [`${props.form.slug}-newsletter-email`]: props.form.error }} idFor={(name) => name} /> : ''}
        <ul class="plain-list">
          {props.newsletters.map((n) => (
            <li>
              <section aria-labelledby={`${n.slug}-heading`}>
                <h2 id={`${n.slug}-heading`}>
                  <a href={newsletterPaths.newsletter(n.slug)} safe>
                    {n.name}
                  </a>
                </h2>
                <p safe>{n.description}</p>
                <NewsletterSignupForm
                  viewer={ctx.viewer}
                  source="newsletters"
                  idPrefix={`${n.slug}-`}
                  newsletter={n}
                  csrf={props.csrf}
                  status={n.status ?? null}
                  email={props.form?.slug === n.slug ? props.form.email : undefined}
                  error={props.form?.slug === n.slug ? props.form.error : undefined}
                  next="/newsletters"
                />
                <p>
                  <a href={newsletterPaths.newsletter(n.slug)}>
                    Past issues of the <span safe>{n.name}</span>
                  </a>
                </p>
              </section>
            </li>
          ))}
        </ul>
      </div>
    </Layout>
  );
}

export function NewsletterPage(props: {
  ctx: PageContext;
  newsletter: NewsletterSummary;
  issues: { number: number; subject: string; sentAt: string }[];
  csrf: string | undefined;
  status: SubscriptionStatus | null;
  form?: SignupState | undefined;
  source?: SignupSource;
}): JSX.Element {
  const { ctx, newsletter } = props;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: newsletter.name,
        description: newsletter.description || newsletter.name,
        canonicalPath: newsletterPaths.newsletter(newsletter.slug),
      }}
    >
      <div class="wrap narrow">
        <header class="page-header">
          <p class="eyebrow">
            <a href="/newsletters">Newsletters</a>
          </p>
          <h1 safe>{newsletter.name}</h1>
          <p class="page-header__description" safe>
            {newsletter.description}
          </p>
        </header>
        {props.form ? <ErrorSummary errors={{ [`${newsletter.slug}-newsletter-email`]: props.form.error }} idFor={(name) => name} /> : ''}
        <NewsletterSignupForm
          viewer={ctx.viewer}
          source={props.source ?? 'newsletter'}
          idPrefix={`${newsletter.slug}-`}
          newsletter={newsletter}
          csrf={props.csrf}
          status={props.status}
          email={props.form?.email}
          error={props.form?.error}
          next={newsletterPaths.newsletter(newsletter.slug)}
        />
        <section aria-labelledby="archive-heading">
          <h2 id="archive-heading" class="section-label">
            Past issues
          </h2>
          {props.issues.length === 0 ? (
            <p class="empty">No issue has been sent yet: the first one is on its way.</p>
          ) : (
            <ol class="plain-list" role="list">
              {props.issues.map((i) => (
                <li>
                  <a href={newsletterPaths.issue(newsletter.slug, i.number)}>
                    No. <span safe>{String(i.number)}</span>: <span safe>{i.subject}</span>
                  </a>{' '}
                  <time class="muted" datetime={i.sentAt} safe>
                    {formatLongDate(i.sentAt)}
                  </time>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </Layout>
  );
}

/** An issue as a web page: the archive, and the newsroom's preview. */
export function IssueView(props: {
  ctx: PageContext;
  newsletter: NewsletterSummary;
  number: number | null;
  subject: string;
  date: string;
  safeIntroHtml: string;
  items: IssueItem[];
  /** Rendered markup shown above the issue (the newsroom's preview banner). */
  safeBanner?: JSX.Element;
  noIndex?: boolean;
}): JSX.Element {
  const { ctx, newsletter } = props;
  const groups = groupBySection(props.items);
  const safeBanner = props.safeBanner ?? '';
  const safeIntroHtml = props.safeIntroHtml;
  const title = props.number ? `${newsletter.name} No. ${props.number}: ${props.subject}` : props.subject;
  return (
    <Layout ctx={ctx} meta={{ title, description: props.subject, ...(props.noIndex ? { noIndex: true } : {}) }}>
      <div class="wrap narrow">
        {safeBanner}
        <article class="newsletter-issue">
          <header class="page-header">
            <p class="eyebrow">
              <a href={newsletterPaths.newsletter(newsletter.slug)} safe>
                {newsletter.name}
              </a>
              {props.number ? <span safe>{` · No. ${props.number}`}</span> : ''}
            </p>
            <h1 safe>{props.subject}</h1>
            <p class="muted">
              <time datetime={props.date} safe>
                {formatLongDate(props.date)}
              </time>
            </p>
          </header>
          {safeIntroHtml ? <div class="prose">{safeIntroHtml}</div> : ''}
          {groups.map((g) => (
            <section aria-label={g.section?.name ?? 'Stories'}>
              {g.section ? (
                <h2 class="section-label">
                  <a href={`/sections/${g.section.slug}`} safe>
                    {g.section.name}
                  </a>
                </h2>
              ) : (
                ''
              )}
              <ol class="teaser-list" role="list">
                {g.items.map((item) => (
                  <li>
                    <article class="teaser">
                      {item.picture ? (
                        <a class="teaser__picture" href={`/articles/${item.slug}`} tabindex="-1" aria-hidden="true">
                          <img
                            src={item.picture.src}
                            width={String(item.picture.width)}
                            height={String(item.picture.height)}
                            alt=""
                            loading="lazy"
                            decoding="async"
                          />
                        </a>
                      ) : (
                        ''
                      )}
                      <div class="teaser__text">
                        <h3 class="teaser__title">
                          <a href={`/articles/${item.slug}`} safe>
                            {item.title}
                          </a>
                        </h3>
                        <p class="teaser__dek" safe>
                          {item.dek}
                        </p>
                        <p class="byline" safe>
                          {item.byline}
                        </p>
                      </div>
                    </article>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </article>
        <section aria-labelledby="issue-signup-heading" class="join">
          <h2 id="issue-signup-heading" class="section-label">
            Get the next one
          </h2>
          <NewsletterSignupForm viewer={ctx.viewer} source="newsletter" idPrefix="issue-" newsletter={newsletter} csrf={undefined} />
        </section>
      </div>
    </Layout>
  );
}

export function CheckEmailPage(props: { ctx: PageContext; email: string; newsletterName: string }): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title="Check your email">
      <div role="status" aria-live="polite">
        <p>
          We have sent a message to <strong safe>{props.email}</strong> about the <span safe>{props.newsletterName}</span>. To subscribe,
          follow the link in it.
        </p>
      </div>
      <p>
        The email can take a minute to arrive: look in your spam folder too. The link works for 48 hours. If you asked a moment ago, the
        first message is on its way.
      </p>
    </FormPage>
  );
}

export function ConfirmPage(props: { ctx: PageContext; csrf: string; token: string; newsletterName: string }): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title={`Confirm your subscription`} lead={`One more click and you will get the ${props.newsletterName}.`}>
      <form method="post" action="/newsletters/confirm">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="button">
          Yes, subscribe me
        </button>
      </form>
    </FormPage>
  );
}

export function MessagePage(props: {
  ctx: PageContext;
  title: string;
  text: string;
  kind?: 'success' | 'info';
  links?: { href: string; label: string }[];
}): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title={props.title}>
      <Notice kind={props.kind ?? 'info'} text={props.text} />
      {(props.links ?? []).map((l) => (
        <p>
          <a href={l.href} safe>
            {l.label}
          </a>
        </p>
      ))}
    </FormPage>
  );
}

export function UnsubscribePage(props: {
  ctx: PageContext;
  token: string;
  newsletterName: string;
  subscribed: boolean;
  preferencesUrl: string;
}): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title={`Unsubscribe from the ${props.newsletterName}`}>
      {props.subscribed ? (
        <form method="post" action={`/newsletters/unsubscribe/${props.token}`}>
          <button type="submit" class="button button--danger">
            Unsubscribe
          </button>
        </form>
      ) : (
        <Notice kind="info" text={`This address does not get the ${props.newsletterName}.`} />
      )}
      <p>
        <a href={props.preferencesUrl}>Choose your newsletters instead</a>
      </p>
    </FormPage>
  );
}

export function PreferencesPage(props: {
  ctx: PageContext;
  csrf: string;
  token: string;
  email: string;
  newsletters: (NewsletterSummary & { subscribed: boolean })[];
  notice?: string | undefined;
}): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title="Your newsletters">
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <p>
        Choose what <strong safe>{props.email}</strong> receives from <span safe>{props.ctx.config.siteName}</span>.
      </p>
      <form method="post" action={newsletterPaths.preferences(props.token)}>
        <CsrfField token={props.csrf} />
        <fieldset>
          <legend>Newsletters</legend>
          {props.newsletters.map((n) => (
            <div class="field field--checkbox">
              <input type="checkbox" id={`pref-${n.slug}`} name="newsletters" value={n.slug} checked={n.subscribed} />
              <label for={`pref-${n.slug}`}>
                <strong safe>{n.name}</strong>{' '}
                <span class="muted" safe>
                  {n.description}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button" name="action" value="save">
          Save my choices
        </button>{' '}
        <button type="submit" class="button button--secondary" name="action" value="leave_all">
          Leave every newsletter
        </button>
      </form>
    </FormPage>
  );
}

export function AccountNewslettersPage(props: {
  ctx: PageContext;
  csrf: string;
  email: string;
  newsletters: (NewsletterSummary & { status: SubscriptionStatus | null })[];
  notice?: string | undefined;
}): JSX.Element {
  return (
    <Layout ctx={props.ctx} meta={{ title: 'Your newsletters', description: 'Your newsletters', noIndex: true }}>
      <div class="wrap narrow account">
        <p class="eyebrow">
          <a href="/account">Your account</a>
        </p>
        <h1>Your newsletters</h1>
        {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
        <p>
          Newsletters go to <strong safe>{props.email}</strong>, the address of your account.
        </p>
        <ul class="plain-list">
          {props.newsletters.map((n) => {
            const subscribed = n.status === 'confirmed';
            return (
              <li>
                <section aria-labelledby={`acct-${n.slug}`}>
                  <h2 id={`acct-${n.slug}`} safe>
                    {n.name}
                  </h2>
                  <p safe>{n.description}</p>
                  <p>
                    <strong>
                      {subscribed
                        ? 'You get it.'
                        : n.status === 'pending'
                          ? 'Waiting for you to confirm (see your email).'
                          : 'You do not get it.'}
                    </strong>
                  </p>
                  <form method="post" action="/account/newsletters" class="inline-form">
                    <CsrfField token={props.csrf} />
                    <input type="hidden" name="newsletter" value={n.slug} />
                    <input type="hidden" name="action" value={subscribed ? 'unsubscribe' : 'subscribe'} />
                    <button type="submit" class={subscribed ? 'button button--secondary' : 'button'}>
                      {subscribed ? 'Unsubscribe' : 'Subscribe'}
                      <span class="visually-hidden">
                        {' '}
                        <span safe>{subscribed ? `from the ${n.name}` : `to the ${n.name}`}</span>
                      </span>
                    </button>
                  </form>
                  <p>
                    <a href={newsletterPaths.newsletter(n.slug)}>Past issues</a>
                  </p>
                </section>
              </li>
            );
          })}
        </ul>
      </div>
    </Layout>
  );
}
