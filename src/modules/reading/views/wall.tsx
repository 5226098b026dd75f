import { emptyForm, SignUpFields } from '../../accounts/index.js';
import { NewsletterBox } from '../../../web/ui/newsletter-signup.js';

/** The class of the element that stands where the gated text would be (for paywalled-content structured data). */
export const GATED_CLASS = 'article__gated';

/** "Create an account to continue reading": what a free account gives, an inline sign-up form, a sign-in link. */
export function RegistrationWall(props: { slug: string; articleId: string; siteName: string }): JSX.Element {
  const next = `/articles/${props.slug}`;
  return (
    <section class={`wall ${GATED_CLASS}`} aria-labelledby="wall-heading">
      <h2 id="wall-heading">Create an account to continue reading</h2>
      <p>A free account lets you:</p>
      <ul>
        <li>bookmark your favourite articles,</li>
        <li>submit an entry to the Harbinger Prize,</li>
        <li>
          and sign up for the Weekly Brief, our newsletter from <span safe>{props.siteName}</span>.
        </li>
      </ul>
      <form method="post" action="/account/sign-up" class="wall__form" novalidate>
        <SignUpFields form={emptyForm} csrf={null} next={next} idPrefix="wall-" />
        <button type="submit" class="button">
          Create a free account
        </button>
      </form>
      <p>
        Already have an account? <a href={`/account/sign-in?next=${encodeURIComponent(next)}`}>Sign in</a> to keep reading.
      </p>
      <NewsletterBox viewer="anonymous" source="wall" idPrefix="wall-" headingLevel={3} />
    </section>
  );
}
