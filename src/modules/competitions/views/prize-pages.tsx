import type { PropsWithChildren } from '@kitajs/html';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import { emptyForm, SignUpFields } from '../../accounts/index.js';
import { PictureTag } from '../../media/index.js';
import type { Prize, PrizeCategory, PublicAwardee, PublicResults, SubmittedEntry } from '../competitions.service.js';
import { countdownText, type Countdown } from '../countdown.js';
import { prizeTime, STATE_LABELS, type PrizeState } from '../deadlines.js';

export const KIND_LABELS = { essay: 'Essay', photo: 'Photograph', video: 'Video essay' } as const;

function PrizeLayout(
  props: PropsWithChildren<{ ctx: PageContext; title: string; description: string; script?: string | undefined; noIndex?: boolean }>,
): JSX.Element {
  const safeHead = props.script ? `<script src="${props.script}" defer></script>` : '';
  return (
    <Layout
      ctx={props.ctx}
      meta={{ title: props.title, description: props.description, head: safeHead, ...(props.noIndex ? { noIndex: true } : {}) }}
    >
      <div class="wrap narrow prize">{props.children}</div>
    </Layout>
  );
}

/** A time in the official zone, with its UTC instant for machines and the script. */
function ZonedTime(props: { iso: string; zone: string }): JSX.Element {
  return (
    <time datetime={props.iso} safe>
      {prizeTime(props.iso, props.zone)}
    </time>
  );
}

function utcClock(iso: string): string {
  return `${new Date(iso).toISOString().slice(11, 16)} UTC`;
}

/** The prize's name above a page's heading, linking back to the prize page. */
export function PrizeEyebrow(props: { slug: string; name: string }): JSX.Element {
  return (
    <p class="eyebrow">
      <a href={`/prizes/${props.slug}`} safe>
        {props.name}
      </a>
    </p>
  );
}

export function eligibilityLine(prize: Prize): string {
  const parts = [
    `Open to students aged ${prize.minAge} to ${prize.maxAge} on the deadline date`,
    prize.requireFullTime ? 'in full-time pre-university education' : '',
  ].filter(Boolean);
  const entries = prize.entriesPerPerson === 1 ? 'One entry per person' : `Up to ${prize.entriesPerPerson} entries per person`;
  return `${parts.join(', ')}. Free to enter. ${entries}, by a single author, in ${prize.language}. Entries are final once submitted.`;
}

function CategoryList(props: { categories: PrizeCategory[] }): JSX.Element {
  if (props.categories.length === 0) return <p class="empty">The categories will be announced soon.</p>;
  return (
    <ul class="plain-list prize-categories">
      {props.categories.map((c) => (
        <li>
          <h3 safe>{c.name}</h3>
          <p class="muted" safe>
            {`${KIND_LABELS[c.kind]}${c.wordLimit ? `, up to ${c.wordLimit.toLocaleString('en-GB')} words` : ''}`}
          </p>
          {c.prompt ? (
            <blockquote>
              <p safe>{c.prompt}</p>
            </blockquote>
          ) : (
            ''
          )}
          {c.description ? <p safe>{c.description}</p> : ''}
        </li>
      ))}
    </ul>
  );
}

export function PrizeListPage(props: { ctx: PageContext; prizes: { prize: Prize; state: PrizeState }[] }): JSX.Element {
  return (
    <PrizeLayout
      ctx={props.ctx}
      title="The yearly prize"
      description={`${props.ctx.config.siteName}'s yearly prize for young writers, photographers and film-makers.`}
    >
      <header class="page-header">
        <p class="eyebrow">The yearly prize</p>
        <h1>Prizes</h1>
      </header>
      {props.prizes.length === 0 ? (
        <p class="empty">No prize has been announced yet.</p>
      ) : (
        <ul class="plain-list">
          {props.prizes.map(({ prize, state }) => (
            <li>
              <a href={`/prizes/${prize.slug}`} safe>
                {prize.name}
              </a>
              <span class="muted" safe>
                {`${STATE_LABELS[state]} · deadline ${prizeTime(prize.deadlineAt, prize.timeZone)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </PrizeLayout>
  );
}

function Awardee(props: { p: PublicAwardee; showCategory?: boolean; label?: string }): JSX.Element {
  const { p } = props;
  const about = [p.age !== null ? `${p.age}` : '', p.country, p.school ?? ''].filter(Boolean).join(', ');
  return (
    <li>
      {props.label ? (
        <p class="eyebrow" safe>
          {props.label}
        </p>
      ) : (
        ''
      )}
      <p>
        <strong safe>{p.name}</strong>
        {about ? <span safe>{`, ${about}`}</span> : ''}
      </p>
      <p>
        <em safe>{p.title}</em>
        {props.showCategory ? <span class="muted" safe>{` (${p.categoryName})`}</span> : ''}
      </p>
      {p.juryNote ? (
        <p class="muted" safe>
          {`The jury: ${p.juryNote}`}
        </p>
      ) : (
        ''
      )}
    </li>
  );
}

export function WinnersBlock(props: { results: PublicResults; headingLevel: 2 | 3 }): JSX.Element {
  const { results } = props;
  const H = props.headingLevel === 2 ? 'h2' : 'h3';
  const Sub = props.headingLevel === 2 ? 'h3' : 'h4';
  return (
    <>
      {results.overall ? (
        <section aria-label="Overall winner" class="notice notice--success">
          {H === 'h2' ? <h2>Overall winner</h2> : <h3>Overall winner</h3>}
          <ul class="plain-list">
            <Awardee p={results.overall} showCategory />
          </ul>
        </section>
      ) : (
        ''
      )}
      {results.winners
        .filter((w) => w.places.length > 0)
        .map((w) => (
          <section>
            {Sub === 'h3' ? <h3 safe>{w.category.name}</h3> : <h4 safe>{w.category.name}</h4>}
            <ul class="plain-list">
              {w.places.map((p) => (
                <Awardee p={p} label={p.kind === 'first' ? 'Winner' : p.label} />
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}

export function ShortlistBlock(props: { results: PublicResults; headingLevel: 3 | 4 }): JSX.Element {
  return (
    <>
      {props.results.shortlist
        .filter((s) => s.entries.length > 0)
        .map((s) => (
          <section>
            {props.headingLevel === 3 ? <h3 safe>{s.category.name}</h3> : <h4 safe>{s.category.name}</h4>}
            <ul class="plain-list">
              {s.entries.map((p) => (
                <Awardee p={p} />
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}

export function PrizePage(props: {
  ctx: PageContext;
  script: string;
  page: { prize: Prize; categories: PrizeCategory[]; state: PrizeState; now: string; countdown: Countdown; results: PublicResults | null };
}): JSX.Element {
  const { prize, categories, state, results } = props.page;
  const safeDescriptionHtml = prize.safeDescriptionHtml;
  const safeTermsHtml = prize.safeTermsHtml;
  const target = state === 'upcoming' ? prize.opensAt : prize.deadlineAt;
  const prefix = state === 'upcoming' ? 'Entries open in' : 'Entries close in';
  return (
    <PrizeLayout
      ctx={props.ctx}
      title={prize.name}
      description={`${prize.name}: categories, rules and how to enter. ${eligibilityLine(prize)}`}
      script={props.script}
    >
      <header class="page-header">
        <p class="eyebrow">The yearly prize</p>
        <h1 safe>{prize.name}</h1>
        <p>
          <span class="badge" data-prize-state={state} safe>
            {STATE_LABELS[state]}
          </span>
        </p>
      </header>

      <section aria-labelledby="dates-heading" class="prize-dates">
        <h2 id="dates-heading">Key dates</h2>
        <dl>
          <dt>Entries open</dt>
          <dd>
            <ZonedTime iso={prize.opensAt} zone={prize.timeZone} />
          </dd>
          <dt>Deadline</dt>
          <dd>
            <strong>
              <ZonedTime iso={prize.deadlineAt} zone={prize.timeZone} />
            </strong>{' '}
            <span class="muted" safe>
              {`(official time: ${prize.timeZone}; that is ${utcClock(prize.deadlineAt)})`}
            </span>
            <p class="muted prize-local" data-local-time={prize.deadlineAt} hidden></p>
          </dd>
          <dt>Results announced</dt>
          <dd>
            <ZonedTime iso={prize.announceAt} zone={prize.timeZone} />
          </dd>
        </dl>
        {state === 'upcoming' || state === 'open' ? (
          <p class="prize-countdown" data-countdown={target} data-countdown-prefix={prefix} data-server-now={props.page.now}>
            <span>{prefix}</span>{' '}
            <strong data-countdown-text aria-live="off" safe>
              {countdownText(props.page.countdown)}
            </strong>
            .
          </p>
        ) : (
          ''
        )}
        {state === 'open' ? (
          <p>
            <a class="button" href={`/prizes/${prize.slug}/enter`}>
              Enter the prize
            </a>
          </p>
        ) : state === 'upcoming' ? (
          <p
            safe
          >{`Entries open on ${prizeTime(prize.opensAt, prize.timeZone)}. You can prepare your entry now: create a free account, and the form will keep your draft.`}</p>
        ) : state === 'closed' ? (
          <p
            safe
          >{`Entries are closed: the deadline was ${prizeTime(prize.deadlineAt, prize.timeZone)}. The jury is reading every entry; the results will be announced from ${prizeTime(prize.announceAt, prize.timeZone)}.`}</p>
        ) : (
          ''
        )}
      </section>

      {results && state === 'winners' ? (
        <section aria-labelledby="winners-heading">
          <h2 id="winners-heading">The winners</h2>
          <WinnersBlock results={results} headingLevel={2} />
          <p>
            <a href={`/prizes/${prize.slug}/winners`}>All the winners</a> · <a href={`/prizes/${prize.slug}/shortlist`}>The shortlist</a>
          </p>
        </section>
      ) : (
        ''
      )}
      {results && state === 'shortlist' ? (
        <section aria-labelledby="shortlist-heading">
          <h2 id="shortlist-heading">The shortlist</h2>
          <ShortlistBlock results={results} headingLevel={3} />
          <p>The winners will be announced soon.</p>
        </section>
      ) : (
        ''
      )}

      {safeDescriptionHtml ? <div class="prose">{safeDescriptionHtml}</div> : ''}

      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Categories</h2>
        <CategoryList categories={categories} />
      </section>

      <section aria-labelledby="eligibility-heading">
        <h2 id="eligibility-heading">Who can enter</h2>
        <p safe>{eligibilityLine(prize)}</p>
        <p>Entering needs a free account: we keep your draft until you submit it, and email you a receipt with your entry’s reference.</p>
      </section>

      {safeTermsHtml ? (
        <section aria-labelledby="rules-heading">
          <h2 id="rules-heading">Rules</h2>
          <div class="prose">{safeTermsHtml}</div>
        </section>
      ) : (
        ''
      )}
    </PrizeLayout>
  );
}

/** "Entering needs an account": the wall's sign-up, coming back to the form. */
export function EntryWallPage(props: { ctx: PageContext; prize: Prize; csrf: string }): JSX.Element {
  const next = `/prizes/${props.prize.slug}/enter`;
  return (
    <PrizeLayout
      ctx={props.ctx}
      title={`Enter ${props.prize.name}`}
      description={`Create a free account to enter ${props.prize.name}.`}
      noIndex
    >
      <section class="wall" aria-labelledby="wall-heading">
        <p class="eyebrow" safe>
          {props.prize.name}
        </p>
        <h1 id="wall-heading">Create an account to enter</h1>
        <p>A free account lets you:</p>
        <ul>
          <li>submit an entry to the prize, with a draft kept safe until you are ready,</li>
          <li>bookmark your favourite articles,</li>
          <li>and sign up for the Weekly Brief, our newsletter.</li>
        </ul>
        <form method="post" action="/account/sign-up" class="wall__form" novalidate>
          <SignUpFields form={emptyForm} csrf={props.csrf} next={next} idPrefix="wall-" />
          <button type="submit" class="button">
            Create a free account
          </button>
        </form>
        <p>
          Already have an account? <a href={`/account/sign-in?next=${encodeURIComponent(next)}`}>Sign in</a> to enter.
        </p>
      </section>
    </PrizeLayout>
  );
}

export function EntryClosedPage(props: {
  ctx: PageContext;
  prize: Prize;
  state: PrizeState;
  submitted: SubmittedEntry[];
  message?: string | undefined;
  typed?: string;
}): JSX.Element {
  const { prize } = props;
  return (
    <PrizeLayout ctx={props.ctx} title={`Enter ${prize.name}`} description={`Entering ${prize.name}.`} noIndex>
      <header class="page-header">
        <p class="eyebrow" safe>
          {prize.name}
        </p>
        <h1>
          {props.state === 'upcoming' ? 'Entries are not open yet' : props.submitted.length > 0 ? 'You have entered' : 'Entries are closed'}
        </h1>
      </header>
      {props.message ? (
        <div class="notice notice--error" role="alert" tabindex="-1" data-error-summary>
          <p safe>{props.message}</p>
        </div>
      ) : (
        ''
      )}
      {props.state === 'upcoming' ? (
        <p safe>{`Entries open on ${prizeTime(prize.opensAt, prize.timeZone)}.`}</p>
      ) : props.state !== 'open' ? (
        <p
          safe
        >{`The deadline was ${prizeTime(prize.deadlineAt, prize.timeZone)}: the form is closed and no more entries can be submitted.`}</p>
      ) : (
        ''
      )}
      <SubmittedList prize={prize} submitted={props.submitted} />
      {props.typed && props.message ? (
        <div class="field">
          <label for="field-typed">The text you sent (kept for you to copy)</label>
          <textarea id="field-typed" rows="12" readonly safe>
            {props.typed}
          </textarea>
        </div>
      ) : (
        ''
      )}
      <p>
        <a href={`/prizes/${prize.slug}`}>Back to the prize</a>
      </p>
    </PrizeLayout>
  );
}

function SubmittedList(props: { prize: Prize; submitted: SubmittedEntry[] }): JSX.Element {
  if (props.submitted.length === 0) return '';
  return (
    <section aria-labelledby="yours-heading">
      <h2 id="yours-heading">Your entry</h2>
      <ul class="plain-list">
        {props.submitted.map((e) => (
          <li>
            <a href={`/prizes/${props.prize.slug}/entries/${e.reference}`} safe>
              {e.title}
            </a>
            <span class="muted" safe>
              {`${e.categoryName} · reference ${e.reference} · submitted ${prizeTime(e.submittedAt, props.prize.timeZone)}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ReceiptPage(props: {
  ctx: PageContext;
  prize: Prize;
  entry: SubmittedEntry;
  fresh: boolean;
  placeOfferPath?: string | null;
}): JSX.Element {
  const { prize, entry } = props;
  return (
    <PrizeLayout ctx={props.ctx} title={`Your entry ${entry.reference}`} description={`Your entry to ${prize.name}.`} noIndex>
      <header class="page-header">
        <p class="eyebrow" safe>
          {prize.name}
        </p>
        <h1>{props.fresh ? 'Thank you: your entry is in' : 'Your entry'}</h1>
      </header>
      <div class="notice notice--success" role="status">
        <p>
          Your entry reference is{' '}
          <strong class="prize-reference" safe>
            {entry.reference}
          </strong>
          .
        </p>
        <p>We have emailed you a receipt with this reference. Keep it: quote it if you write to us about your entry.</p>
      </div>
      {props.placeOfferPath ? (
        <p>
          <a class="button" href={props.placeOfferPath}>
            You are offered a place on the magazine: see the offer
          </a>
        </p>
      ) : (
        ''
      )}
      <dl>
        <dt>Category</dt>
        <dd safe>{entry.categoryName}</dd>
        <dt>Title</dt>
        <dd safe>{entry.title}</dd>
        {entry.kind === 'essay' ? (
          <>
            <dt>Length</dt>
            <dd safe>{`${entry.wordCount.toLocaleString('en-GB')} words`}</dd>
          </>
        ) : entry.kind === 'video' ? (
          <>
            <dt>Video</dt>
            <dd safe>{entry.videoUrl}</dd>
          </>
        ) : (
          ''
        )}
        <dt>Received</dt>
        <dd>
          <ZonedTime iso={entry.submittedAt} zone={prize.timeZone} />
        </dd>
      </dl>
      {entry.photo ? <PictureTag picture={entry.photo} alt={entry.photo.alt} sizes="(min-width: 40em) 36rem, 100vw" /> : ''}
      <p>
        As the rules say, entries are final: this one can no longer be changed. The jury reads every entry without knowing who wrote it.
      </p>
      <p safe>{`The results will be announced from ${prizeTime(prize.announceAt, prize.timeZone)}, and we will email you then.`}</p>
      <p>
        <a href={`/prizes/${prize.slug}`}>Back to the prize</a>
      </p>
    </PrizeLayout>
  );
}

export function ResultsPage(props: { ctx: PageContext; prize: Prize; results: PublicResults; what: 'shortlist' | 'winners' }): JSX.Element {
  const { prize, results } = props;
  const title = props.what === 'winners' ? `${prize.name}: the winners` : `${prize.name}: the shortlist`;
  return (
    <PrizeLayout ctx={props.ctx} title={title} description={title}>
      <header class="page-header">
        <PrizeEyebrow slug={prize.slug} name={prize.name} />
        <h1>{props.what === 'winners' ? 'The winners' : 'The shortlist'}</h1>
      </header>
      {props.what === 'winners' ? (
        <WinnersBlock results={results} headingLevel={2} />
      ) : (
        <ShortlistBlock results={results} headingLevel={3} />
      )}
      <p>
        {props.what === 'winners' ? (
          <a href={`/prizes/${prize.slug}/shortlist`}>The whole shortlist</a>
        ) : results.showWinners ? (
          <a href={`/prizes/${prize.slug}/winners`}>The winners</a>
        ) : (
          'The winners will be announced soon.'
        )}
      </p>
    </PrizeLayout>
  );
}
