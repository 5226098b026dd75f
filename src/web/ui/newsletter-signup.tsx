// The sign-up form that sits on the home page, the wall, the footer and the
// newsletter pages. Visitors give an email address (double opt-in follows);
// signed-in readers subscribe with one click. The visitors' form carries no
// CSRF token on purpose: it only ever sends a confirmation email, it ignores the
// session, and leaving the token out keeps every anonymous page cacheable. The
// signed-in button is a CSRF-protected form (or a slot filled per request on
// cached pages).
import type { SubscriptionStatus } from '../../db/schema.js';
import { CsrfField } from '../forms.js';
import type { ViewerKind } from '../page-context.js';
import { CSRF_SLOT, newsletterSlot } from '../slots.js';
import { htmlOf } from '../view.js';

/** The newsletter the site's own forms sign up for. */
export const DEFAULT_NEWSLETTER = { slug: 'weekly-brief', name: 'Weekly Brief' };

export type SignupSource = 'home' | 'wall' | 'footer' | 'newsletters' | 'newsletter';

export interface SignupFormProps {
  viewer: ViewerKind;
  source: SignupSource;
  /** Makes the ids unique when several forms share a page. */
  idPrefix: string;
  newsletter?: { slug: string; name: string };
  /**
   * For signed-in readers: a CSRF token, null for a slot (pages served from the
   * render cache), or undefined where neither works (a link to the account's
   * newsletters page instead).
   */
  csrf?: string | null | undefined;
  /** The signed-in reader's state for this newsletter, when the page knows it. */
  status?: SubscriptionStatus | null;
  email?: string;
  error?: string | undefined;
  /** Where the one-click form returns to. */
  next?: string;
}

export function NewsletterSignupForm(props: SignupFormProps): JSX.Element {
  const newsletter = props.newsletter ?? DEFAULT_NEWSLETTER;
  const id = `${props.idPrefix}newsletter-email`;
  if (props.viewer === 'anonymous') {
    return (
      <form method="post" action="/newsletters/subscribe" class="newsletter-form" novalidate>
        <input type="hidden" name="newsletter" value={newsletter.slug} />
        <input type="hidden" name="source" value={props.source} />
        <div class={props.error ? 'field has-error' : 'field'}>
          <label for={id}>
            Your email for the <span safe>{newsletter.name}</span>
          </label>
          {props.error ? (
            <p class="field__error" id={`${id}-error`} safe>
              {props.error}
            </p>
          ) : (
            ''
          )}
          <input
            id={id}
            name="email"
            type="email"
            autocomplete="email"
            required
            maxlength="254"
            value={props.email}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? `${id}-error` : undefined}
          />
        </div>
        <div hidden>
          <label for={`${props.idPrefix}newsletter-website`}>Leave this empty</label>
          <input id={`${props.idPrefix}newsletter-website`} name="website" type="text" tabindex="-1" autocomplete="off" />
        </div>
        <button type="submit" class="button">
          Subscribe
        </button>
        <p class="field__hint">We email you a link to confirm. One email a week; unsubscribe with one click.</p>
      </form>
    );
  }
  if (props.status === 'confirmed') return <SubscribedNote newsletter={newsletter} />;
  // A page that does not know the reader's state (one cached for every signed-in reader) leaves a slot,
  // filled per request with the note for a subscriber, the offer for anyone else.
  if (props.status === undefined)
    return newsletterSlot(
      newsletter.slug,
      htmlOf(<OneClick {...props} newsletter={newsletter} />),
      htmlOf(<SubscribedNote newsletter={newsletter} />),
    );
  return <OneClick {...props} newsletter={newsletter} />;
}

function SubscribedNote(props: { newsletter: { slug: string; name: string } }): JSX.Element {
  return (
    <p class="newsletter-subscribed">
      You get the <span safe>{props.newsletter.name}</span>. <a href="/account/newsletters">Manage your newsletters</a>
    </p>
  );
}

/** A signed-in reader's one-click sign-up. */
function OneClick(props: SignupFormProps & { newsletter: { slug: string; name: string } }): JSX.Element {
  const { newsletter } = props;
  if (props.csrf === undefined) {
    return (
      <p>
        <a href="/account/newsletters">
          Get the <span safe>{newsletter.name}</span> with one click
        </a>
      </p>
    );
  }
  return (
    <form method="post" action="/account/newsletters" class="newsletter-form inline-form">
      {props.csrf === null ? CSRF_SLOT : <CsrfField token={props.csrf} />}
      <input type="hidden" name="newsletter" value={newsletter.slug} />
      <input type="hidden" name="action" value="subscribe" />
      <input type="hidden" name="source" value={props.source} />
      <button type="submit" class="button">
        Get the <span safe>{newsletter.name}</span>
      </button>
    </form>
  );
}

/** The home page's and the wall's box: a heading, a line about the newsletter, the form. */
export function NewsletterBox(props: SignupFormProps & { headingLevel?: 2 | 3 }): JSX.Element {
  const newsletter = props.newsletter ?? DEFAULT_NEWSLETTER;
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  const headingId = `${props.idPrefix}newsletter-heading`;
  return (
    <section class="join newsletter-box" aria-labelledby={headingId}>
      <Heading id={headingId} class="section-label">
        The <span safe>{newsletter.name}</span>
      </Heading>
      <p>The week’s best stories, written by teenagers for teenagers, in your inbox every Friday afternoon. Prize news comes here first.</p>
      <NewsletterSignupForm {...props} />
    </section>
  );
}
