// The page where a prize winner sees the offer of a place on the magazine and
// accepts it (a button: a form POST with its CSRF token). Until they do, no
// profile, role or article exists for them.
import { Layout } from '../../../web/layout.js';
import { CsrfField, ErrorSummary, Notice } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import type { PlaceOffer } from '../results.service.js';
import { PrizeEyebrow } from './prize-pages.js';

export function PlaceOfferPage(props: {
  ctx: PageContext;
  csrf: string;
  offer: PlaceOffer;
  action: string;
  notice?: string | undefined;
  error?: string | undefined;
}): JSX.Element {
  const { offer } = props;
  const title =
    offer.state === 'accepted' ? 'Welcome to the magazine' : offer.state === 'open' ? 'A place on the magazine' : 'No open offer';
  return (
    <Layout ctx={props.ctx} meta={{ title, description: `Your place on the magazine, as a winner of ${offer.prizeName}.`, noIndex: true }}>
      <div class="wrap narrow prize">
        <header class="page-header">
          <PrizeEyebrow slug={offer.prizeSlug} name={offer.prizeName} />
          <h1>{title}</h1>
        </header>
        {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
        {props.error ? <ErrorSummary errors={{}} message={props.error} /> : ''}
        <p safe>{`Your entry ${offer.reference}, “${offer.title}”${offer.category ? `, in ${offer.category}` : ''}.`}</p>
        {offer.state === 'open' ? (
          <>
            <p>As a winner, you are offered a place on the magazine as a contributor. If you accept:</p>
            <ul>
              <li>
                you get a page on the magazine with your name, your country and a line about your prize (never your date of birth, your
                email or your school);
              </li>
              <li>you become a contributor from today, and can sign in to the newsroom;</li>
              <li>your winning piece becomes a draft in the newsroom, where an editor prepares it for publication with you.</li>
            </ul>
            <p>Nothing is published until you accept. You can take your time, and ask a parent or a teacher.</p>
            <form method="post" action={props.action}>
              <CsrfField token={props.csrf} />
              <button type="submit" class="button">
                Accept the place
              </button>
            </form>
          </>
        ) : offer.state === 'accepted' ? (
          <>
            <p>You accepted your place: you are a contributor, and your winning piece is waiting as a draft in the newsroom.</p>
            {offer.articleId ? (
              <p>
                <a class="button" href={`/newsroom/articles/${offer.articleId}`}>
                  Open your draft in the newsroom
                </a>
              </p>
            ) : (
              ''
            )}
          </>
        ) : (
          <p>There is no open offer of a place for this entry: it may have been withdrawn when the results changed.</p>
        )}
      </div>
    </Layout>
  );
}
