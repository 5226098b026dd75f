// The jurors' pages. Built only from blind data (judging.service.ts): they have
// no way to show who wrote an entry.
import type { PropsWithChildren } from '@kitajs/html';
import type { AwardKind } from '../../../db/schema.js';
import { CsrfField, describedBy, ErrorSummary, Notice, type FieldErrors } from '../../../web/forms.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import { PictureTag } from '../../media/index.js';
import type { Criterion, Prize, PrizeCategory } from '../competitions.service.js';
import { AWARD_LABELS } from '../judging.js';
import type { BlindEntry, MyScore, RankingRow, SeatView } from '../judging.service.js';
import { KIND_LABELS } from './prize-pages.js';
import { DataTable } from '../../../web/ui/data-table.js';

export function JudgingLayout(props: PropsWithChildren<{ ctx: PageContext; title: string }>): JSX.Element {
  return (
    <Layout ctx={props.ctx} meta={{ title: props.title, description: props.title, noIndex: true }}>
      <div class="wrap judging">
        <nav class="newsroom-nav" aria-label="Judging">
          <ul>
            <li>
              <a href="/judging" aria-current={props.ctx.path === '/judging' ? 'page' : undefined}>
                Your juries
              </a>
            </li>
          </ul>
        </nav>
        {props.children}
      </div>
    </Layout>
  );
}

export function JudgingHomePage(props: { ctx: PageContext; seats: SeatView[] }): JSX.Element {
  return (
    <JudgingLayout ctx={props.ctx} title="Judging">
      <header class="page-header">
        <p class="eyebrow">Judging</p>
        <h1>Your juries</h1>
        <p>Judging is blind: you see each entry’s work, category and reference, never who made it.</p>
      </header>
      {props.seats.length === 0 ? (
        <p class="empty">You are not on any jury at the moment.</p>
      ) : (
        <ul class="plain-list">
          {props.seats.map((s) => (
            <li>
              <a href={`/judging/categories/${s.categoryId}`} safe>
                {`${s.competitionName}: ${s.categoryName}`}
              </a>
              <span class="muted" safe>
                {`${KIND_LABELS[s.categoryKind]} · ${s.role === 'chair' ? 'you chair this jury' : 'jury member'}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </JudgingLayout>
  );
}

const fmt = (n: number | null) => (n === null ? '–' : n.toFixed(2));

export function AwardForm(props: { action: string; csrf: string; entryId: string; kinds: AwardKind[]; label: string }): JSX.Element {
  const id = `award-${props.entryId}`;
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="entryId" value={props.entryId} />
      <label for={`${id}-kind`} class="visually-hidden" safe>
        {`Award for ${props.label}`}
      </label>
      <select id={`${id}-kind`} name="kind">
        {props.kinds.map((k) => (
          <option value={k} safe>
            {AWARD_LABELS[k]}
          </option>
        ))}
      </select>{' '}
      <label for={`${id}-note`} class="visually-hidden" safe>
        {`Jury note for ${props.label}`}
      </label>
      <input id={`${id}-note`} name="note" type="text" maxlength="2000" placeholder="Jury note (public with the results)" />{' '}
      <button type="submit" class="button button--secondary">
        Give
      </button>
    </form>
  );
}

export function RankingTable(props: {
  rows: RankingRow[];
  csrf: string;
  awardAction: string | null;
  removeAction: (awardId: string) => string;
  kinds: AwardKind[];
  entryLink: boolean;
  names?: Map<string, string>;
}): JSX.Element {
  if (props.rows.length === 0) return <p class="empty">No entries yet.</p>;
  return (
    <DataTable columns={['Rank', 'Entry', 'Mean', 'Spread', 'Jurors', 'Awards']}>
      {props.rows.map((r, i) => (
        <tr>
          <td>{r.mean === null ? '–' : i + 1}</td>
          <td>
            {props.entryLink ? (
              <a href={`/judging/entries/${r.entryId}`} safe>
                {r.title || 'Untitled'}
              </a>
            ) : (
              <span safe>{r.title || 'Untitled'}</span>
            )}{' '}
            <span class="muted" safe>
              {r.reference}
            </span>
            {props.names?.get(r.entryId) ? (
              <span class="muted" safe>
                {` · ${props.names.get(r.entryId)}`}
              </span>
            ) : (
              ''
            )}
          </td>
          <td safe>{fmt(r.mean)}</td>
          <td safe>{fmt(r.spread)}</td>
          <td safe>{`${r.complete} of ${r.jurors}`}</td>
          <td>
            {r.awards.map((a) => (
              <form method="post" action={props.removeAction(a.id)} class="inline-form">
                <CsrfField token={props.csrf} />
                <span class="badge" safe>
                  {a.label}
                </span>{' '}
                <button type="submit" class="button button--secondary" aria-label={`Remove “${a.label}” from ${r.reference}`}>
                  Remove
                </button>
              </form>
            ))}
            {props.awardAction ? (
              <AwardForm action={props.awardAction} csrf={props.csrf} entryId={r.entryId} kinds={props.kinds} label={r.reference} />
            ) : (
              ''
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function ProgressTable(props: {
  progress: { name: string; role: 'chair' | 'member'; scored: number; assigned: number }[];
}): JSX.Element {
  if (props.progress.length === 0) return <p class="empty">No jurors yet.</p>;
  return (
    <DataTable columns={['Juror', 'Role', 'Scored']}>
      {props.progress.map((p) => (
        <tr>
          <td safe>{p.name}</td>
          <td>{p.role === 'chair' ? 'Chair' : 'Member'}</td>
          <td safe>{`${p.scored} of ${p.assigned}`}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function CategoryBoardPage(props: {
  ctx: PageContext;
  csrf: string;
  prize: Prize;
  category: PrizeCategory;
  criteria: Criterion[];
  seat: SeatView;
  entries: { id: string; reference: string; title: string; wordCount: number; scored: number }[];
  progress: { scored: number; assigned: number };
  chair: { ranking: RankingRow[]; progress: { name: string; role: 'chair' | 'member'; scored: number; assigned: number }[] } | null;
  conflictsDeclared: number;
  pastDeadline: boolean;
  winnersPublished: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}): JSX.Element {
  const { category, prize } = props;
  return (
    <JudgingLayout ctx={props.ctx} title={`${category.name}: judging`}>
      <header class="page-header">
        <p class="eyebrow" safe>
          {prize.name}
        </p>
        <h1 safe>{category.name}</h1>
        {category.prompt ? (
          <blockquote>
            <p safe>{category.prompt}</p>
          </blockquote>
        ) : (
          ''
        )}
        <p
          safe
        >{`Your progress: ${props.progress.scored} of ${props.progress.assigned} entries scored on every criterion.${props.conflictsDeclared ? ` You declared ${props.conflictsDeclared} conflict${props.conflictsDeclared === 1 ? '' : 's'}; those entries are not on your list.` : ''}`}</p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      {props.error ? <ErrorSummary errors={{}} message={props.error} /> : ''}
      <section aria-labelledby="entries-heading">
        <h2 id="entries-heading">Entries</h2>
        {props.entries.length === 0 ? (
          <p class="empty">No entries to read yet.</p>
        ) : (
          <DataTable columns={['Reference', 'Title', 'Words', 'Your scores']}>
            {props.entries.map((e) => (
              <tr>
                <td safe>{e.reference}</td>
                <td>
                  <a href={`/judging/entries/${e.id}`} safe>
                    {e.title || 'Untitled'}
                  </a>
                </td>
                <td>{e.wordCount}</td>
                <td safe>{`${e.scored} of ${props.criteria.length}`}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      {props.chair ? (
        <>
          <section aria-labelledby="ranking-heading">
            <h2 id="ranking-heading">Ranking (you chair this jury)</h2>
            <p>
              By the mean of each juror’s average score; the spread is how far apart the jurors are.{' '}
              {props.pastDeadline ? '' : 'The shortlist and places are decided after the deadline.'}
            </p>
            <RankingTable
              rows={props.chair.ranking}
              csrf={props.csrf}
              awardAction={props.pastDeadline && !props.winnersPublished ? `/judging/categories/${category.id}/awards` : null}
              removeAction={(id) => `/judging/categories/${category.id}/awards/${id}/remove`}
              kinds={['shortlist', 'first', 'second', 'third']}
              entryLink
            />
            <p class="muted" safe>{`Shortlist up to ${prize.shortlistSize} entries; places go to shortlisted entries.`}</p>
          </section>
          <section aria-labelledby="progress-heading">
            <h2 id="progress-heading">The jury’s progress</h2>
            <ProgressTable progress={props.chair.progress} />
          </section>
        </>
      ) : (
        ''
      )}
    </JudgingLayout>
  );
}

export function EntryReviewPage(props: {
  ctx: PageContext;
  csrf: string;
  category: PrizeCategory;
  criteria: Criterion[];
  entry: BlindEntry;
  scores: MyScore[];
  values?: Record<string, string>;
  errors?: FieldErrors;
  notice?: string | undefined;
}): JSX.Element {
  const { entry, category } = props;
  const safeBodyHtml = entry.safeBodyHtml;
  const errors = props.errors ?? {};
  const value = (key: string, stored: string) => props.values?.[key] ?? stored;
  return (
    <JudgingLayout ctx={props.ctx} title={`Entry ${entry.reference}`}>
      <p>
        <a href={`/judging/categories/${category.id}`} safe>
          {`← ${category.name}`}
        </a>
      </p>
      <article class="judging-entry">
        <header class="page-header">
          <p class="eyebrow" safe>
            {`${category.name} · ${entry.reference}`}
          </p>
          <h1 safe>{entry.title || 'Untitled'}</h1>
          {category.kind === 'essay' ? <p class="muted" safe>{`${entry.wordCount.toLocaleString('en-GB')} words`}</p> : ''}
        </header>
        {entry.photo ? <PictureTag picture={entry.photo} alt={entry.photo.alt} sizes="(min-width: 60em) 50rem, 100vw" /> : ''}
        {entry.videoUrl ? (
          <p>
            Video:{' '}
            <a href={entry.videoUrl} rel="noopener noreferrer nofollow" safe>
              {entry.videoUrl}
            </a>
          </p>
        ) : (
          ''
        )}
        <div class="prose">{safeBodyHtml}</div>
      </article>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <section aria-labelledby="score-heading" class="form-card">
        <h2 id="score-heading">Your scores</h2>
        <ErrorSummary errors={errors} />
        {props.criteria.length === 0 ? (
          <p class="empty">The organisers have not set the rubric yet.</p>
        ) : (
          <form method="post" action={`/judging/entries/${entry.id}/scores`} novalidate>
            <CsrfField token={props.csrf} />
            {props.criteria.map((c) => {
              const stored = props.scores.find((s) => s.criterionId === c.id);
              const scoreKey = `score-${c.id}`;
              const commentKey = `comment-${c.id}`;
              return (
                <fieldset>
                  <legend safe>{c.name}</legend>
                  {c.description ? (
                    <p class="field__hint" id={`field-${scoreKey}-hint`} safe>
                      {c.description}
                    </p>
                  ) : (
                    ''
                  )}
                  <div class={errors[scoreKey] ? 'field has-error' : 'field'}>
                    <label for={`field-${scoreKey}`} safe>
                      {`Score from ${c.scaleMin} to ${c.scaleMax}`}
                    </label>
                    {errors[scoreKey] ? (
                      <p class="field__error" id={`field-${scoreKey}-error`} safe>
                        {errors[scoreKey]}
                      </p>
                    ) : (
                      ''
                    )}
                    <input
                      id={`field-${scoreKey}`}
                      name={scoreKey}
                      type="number"
                      inputmode="numeric"
                      min={String(c.scaleMin)}
                      max={String(c.scaleMax)}
                      step="1"
                      value={value(scoreKey, stored ? String(stored.score) : '')}
                      aria-invalid={errors[scoreKey] ? 'true' : undefined}
                      aria-describedby={describedBy(`field-${scoreKey}`, c.description, errors[scoreKey])}
                    />
                  </div>
                  <div class="field">
                    <label for={`field-${commentKey}`}>Comment</label>
                    <textarea id={`field-${commentKey}`} name={commentKey} rows="3" maxlength="4000" safe>
                      {value(commentKey, stored?.comment ?? '')}
                    </textarea>
                  </div>
                </fieldset>
              );
            })}
            <button type="submit" class="button">
              Save my scores
            </button>
          </form>
        )}
      </section>
      <section aria-labelledby="conflict-heading">
        <h2 id="conflict-heading">Do you know who made this?</h2>
        <p>
          If you recognise the entry, or have any other conflict of interest, declare it: the entry leaves your list, and your scores for it
          are removed.
        </p>
        <form method="post" action={`/judging/entries/${entry.id}/conflict`}>
          <CsrfField token={props.csrf} />
          <div class="field">
            <label for="field-reason">Reason (optional, kept on record for the organisers)</label>
            <input id="field-reason" name="reason" type="text" maxlength="500" />
          </div>
          <button type="submit" class="button button--danger">
            Declare a conflict
          </button>
        </form>
      </section>
    </JudgingLayout>
  );
}
