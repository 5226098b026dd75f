// The organisers' pages in the newsroom: setting a prize up (times in its named
// zone), its categories, rubric and juries; the results desk; statistics.
import type { PropsWithChildren } from '@kitajs/html';
import { CsrfField, describedBy, ErrorSummary, FieldLabel, Notice, TextAreaField, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import type { Criterion, Prize, PrizeCategory } from '../competitions.service.js';
import { prizeTime, STATE_LABELS, type PrizeState } from '../deadlines.js';
import type { RankingRow } from '../judging.service.js';
import { ProgressTable, RankingTable } from './judging-pages.js';
import { KIND_LABELS } from './prize-pages.js';
import { DataTable } from '../../../web/ui/data-table.js';

export interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
}

export const blankForm: FormState = { values: {}, errors: {} };

function Input(props: {
  form: FormState;
  name: string;
  label: string;
  type?: string;
  hint?: string;
  prefix?: string;
  maxlength?: number;
  numeric?: boolean;
}): JSX.Element {
  const id = `${props.prefix ?? 'field'}-${props.name}`;
  const error = props.form.errors[props.name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <FieldLabel id={id} label={props.label} hint={props.hint} error={error} />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.form.values[props.name] ?? ''}
        maxlength={props.maxlength === undefined ? undefined : String(props.maxlength)}
        inputmode={props.numeric ? 'numeric' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      />
    </div>
  );
}

function TextArea(props: { form: FormState; name: string; label: string; hint?: string; rows?: number; prefix?: string }): JSX.Element {
  return (
    <TextAreaField
      id={`${props.prefix ?? 'field'}-${props.name}`}
      name={props.name}
      label={props.label}
      hint={props.hint}
      rows={props.rows ?? 5}
      value={props.form.values[props.name]}
      error={props.form.errors[props.name]}
    />
  );
}

function Select(props: {
  form: FormState;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  prefix?: string;
  hint?: string;
}): JSX.Element {
  const id = `${props.prefix ?? 'field'}-${props.name}`;
  const error = props.form.errors[props.name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <FieldLabel id={id} label={props.label} hint={props.hint} error={error} />
      <select id={id} name={props.name} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, props.hint, error)}>
        {props.options.map((o) => (
          <option value={o.value} selected={props.form.values[props.name] === o.value} safe>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A card that adds one thing to the prize (a category, a criterion, a juror); its errors link to the fields `<prefix>-<name>`. */
function AddCard(
  props: PropsWithChildren<{ title: string; form: FormState; prefix: string; action: string; csrf: string; submit: string }>,
): JSX.Element {
  return (
    <div class="form-card">
      <h3 safe>{props.title}</h3>
      <ErrorSummary errors={props.form.errors} idFor={(name) => `${props.prefix}-${name}`} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrf} />
        {props.children}
        <button type="submit" class="button" safe>
          {props.submit}
        </button>
      </form>
    </div>
  );
}

/** The small "Remove" button beside a listed criterion or juror; the label names what goes. */
function RemoveButton(props: { action: string; csrf: string; label: string }): JSX.Element {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.csrf} />
      <button type="submit" class="button button--secondary" aria-label={props.label}>
        Remove
      </button>
    </form>
  );
}

/** Publishes the shortlist or the winners, once: the button says so and is disabled after. */
function PublishForm(props: { action: string; csrf: string; what: 'shortlist' | 'winners'; done: boolean }): JSX.Element {
  const label = props.done ? `${props.what === 'shortlist' ? 'Shortlist' : 'Winners'} published` : `Publish the ${props.what}`;
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="what" value={props.what} />
      <button type="submit" class={props.what === 'shortlist' ? 'button button--secondary' : 'button'} disabled={props.done} safe>
        {label}
      </button>
    </form>
  );
}

function PrizeNav(props: { prize: Prize; current: string }): JSX.Element {
  const base = `/newsroom/prizes/${props.prize.id}`;
  const link = (href: string, label: string) => (
    <li>
      <a href={href} aria-current={props.current === href ? 'page' : undefined} safe>
        {label}
      </a>
    </li>
  );
  return (
    <nav aria-label="This prize" class="prize-nav">
      <ul class="tags">
        {link(base, 'Setup')}
        {link(`${base}/results`, 'Judging and results')}
        {link(`${base}/stats`, 'Statistics')}
        <li>
          <a href={`${base}/export.csv`}>Entries (CSV)</a>
        </li>
        <li>
          <a href={`${base}/scores.csv`}>Scores (CSV)</a>
        </li>
        <li>
          <a href={`/prizes/${props.prize.slug}`}>Public page</a>
        </li>
      </ul>
    </nav>
  );
}

function Page(props: PropsWithChildren<{ ctx: PageContext; title: string; prize?: Prize; current?: string }>): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title={props.title}>
      <header class="page-header">
        <p class="eyebrow">
          <a href="/newsroom/prizes">Prizes</a>
        </p>
        <h1 safe>{props.title}</h1>
        {props.prize ? <PrizeNav prize={props.prize} current={props.current ?? ''} /> : ''}
      </header>
      {props.children}
    </NewsroomLayout>
  );
}

export function CompetitionFields(props: { form: FormState }): JSX.Element {
  const f = props.form;
  return (
    <>
      <Input form={f} name="name" label="Name" maxlength={120} hint="For example: The Harbinger Prize 2027." />
      <Input form={f} name="year" label="Year" maxlength={4} numeric hint="A whole number, like 2027." />
      <Input form={f} name="slug" label="Address" hint="The end of /prizes/…; left empty, it is made from the name." maxlength={80} />
      <Input
        form={f}
        name="timeZone"
        label="Official time zone"
        hint="Times below are in this zone, summer time included: Europe/London, America/New_York, Asia/Kolkata…"
        maxlength={64}
      />
      <Input form={f} name="opensAt" type="datetime-local" label="Entries open" />
      <Input
        form={f}
        name="deadlineAt"
        type="datetime-local"
        label="Deadline"
        hint="Entries are accepted up to this minute’s first second, and refused after it."
      />
      <Input form={f} name="announceAt" type="datetime-local" label="Results announced" />
      <Input form={f} name="minAge" label="Youngest age (on the deadline date)" maxlength={2} numeric />
      <Input form={f} name="maxAge" label="Oldest age (on the deadline date)" maxlength={2} numeric />
      <Input form={f} name="schoolYearQuestion" label="Question about the school year (required answer)" maxlength={200} />
      <div class="field field--checkbox">
        <input id="field-requireFullTime" name="requireFullTime" type="checkbox" value="1" checked={f.values.requireFullTime === '1'} />
        <label for="field-requireFullTime">Entrants declare they are in full-time pre-university education</label>
      </div>
      <Input form={f} name="entriesPerPerson" label="Entries per person" maxlength={1} numeric hint="From 1 to 5." />
      <Input form={f} name="shortlistSize" label="Shortlist size per category" maxlength={2} numeric hint="From 1 to 20." />
      <Input form={f} name="language" label="Language of entries" maxlength={40} />
      <TextArea
        form={f}
        name="description"
        label="Description"
        hint="Blank lines separate paragraphs; “## ” starts a heading; lines starting “- ” make a list."
        rows={8}
      />
      <TextArea form={f} name="terms" label="Rules and terms" hint="The same plain-text conventions." rows={12} />
    </>
  );
}

export function PrizesDeskPage(props: {
  ctx: PageContext;
  csrf: string;
  prizes: { prize: Prize; state: PrizeState }[];
  form: FormState;
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Prizes">
      <header class="page-header">
        <h1>Prizes</h1>
      </header>
      {props.prizes.length === 0 ? (
        <p class="empty">No prize yet.</p>
      ) : (
        <ul class="plain-list">
          {props.prizes.map(({ prize, state }) => (
            <li>
              <a href={`/newsroom/prizes/${prize.id}`} safe>
                {prize.name}
              </a>
              <span class="muted" safe>
                {`${STATE_LABELS[state]} · deadline ${prizeTime(prize.deadlineAt, prize.timeZone)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <section class="form-card" aria-labelledby="new-prize-heading">
        <h2 id="new-prize-heading">Set up a new prize</h2>
        <ErrorSummary errors={props.form.errors} />
        <form method="post" action="/newsroom/prizes" novalidate>
          <CsrfField token={props.csrf} />
          <CompetitionFields form={props.form} />
          <button type="submit" class="button">
            Create the prize
          </button>
        </form>
      </section>
    </NewsroomLayout>
  );
}

function CategoryFields(props: { form: FormState; sections: { id: string; name: string }[]; prefix: string }): JSX.Element {
  const f = props.form;
  return (
    <>
      <Input form={f} name="name" label="Name" maxlength={80} prefix={props.prefix} />
      <Select
        form={f}
        name="kind"
        label="Kind"
        prefix={props.prefix}
        options={[
          { value: 'essay', label: 'Essay' },
          { value: 'photo', label: 'Photograph' },
          { value: 'video', label: 'Video essay (a link)' },
        ]}
      />
      <Input
        form={f}
        name="wordLimit"
        label="Word limit (essays)"
        maxlength={5}
        prefix={props.prefix}
        numeric
        hint="A whole number of words, like 800. Needed for essays."
      />
      <TextArea form={f} name="prompt" label="Prompt" rows={3} prefix={props.prefix} />
      <TextArea form={f} name="description" label="Description" rows={3} prefix={props.prefix} />
      <Select
        form={f}
        name="sectionId"
        label="Section where the winning piece is published"
        prefix={props.prefix}
        options={[{ value: '', label: 'The first section' }, ...props.sections.map((s) => ({ value: s.id, label: s.name }))]}
      />
      <Input
        form={f}
        name="position"
        label="Position in the list"
        maxlength={4}
        prefix={props.prefix}
        numeric
        hint="Optional: a whole number; lower comes first."
      />
    </>
  );
}

export function categoryValues(c: PrizeCategory): Record<string, string> {
  return {
    name: c.name,
    kind: c.kind,
    wordLimit: c.wordLimit === null ? '' : String(c.wordLimit),
    prompt: c.prompt,
    description: c.description,
    sectionId: c.sectionId ?? '',
    position: String(c.position),
  };
}

export function PrizeSetupPage(props: {
  ctx: PageContext;
  csrf: string;
  prize: Prize;
  state: PrizeState;
  categories: PrizeCategory[];
  criteria: Criterion[];
  jurors: { id: string; categoryId: string; role: 'chair' | 'member'; name: string; email: string }[];
  sections: { id: string; name: string }[];
  forms: {
    settings: FormState;
    category: FormState;
    criterion: FormState;
    juror: FormState;
    editCategory?: { id: string; form: FormState };
  };
  notice?: string | undefined;
  error?: string | undefined;
}): JSX.Element {
  const { prize } = props;
  const base = `/newsroom/prizes/${prize.id}`;
  return (
    <Page ctx={props.ctx} title={prize.name} prize={prize} current={base}>
      <p safe>{`${STATE_LABELS[props.state]}. Deadline ${prizeTime(prize.deadlineAt, prize.timeZone)}.`}</p>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      {props.error ? <ErrorSummary errors={{}} message={props.error} /> : ''}

      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Categories</h2>
        {props.categories.length === 0 ? <p class="empty">No category yet.</p> : ''}
        {props.categories.map((c) => {
          const editing = props.forms.editCategory?.id === c.id ? props.forms.editCategory.form : { values: categoryValues(c), errors: {} };
          return (
            <details class="form-card" open={props.forms.editCategory?.id === c.id}>
              <summary safe>{`${c.name} (${KIND_LABELS[c.kind]}${c.wordLimit ? `, ${c.wordLimit} words` : ''})`}</summary>
              <ErrorSummary errors={editing.errors} idFor={(name) => `cat-${c.id}-${name}`} />
              <form method="post" action={`${base}/categories/${c.id}`} novalidate>
                <CsrfField token={props.csrf} />
                <CategoryFields form={editing} sections={props.sections} prefix={`cat-${c.id}`} />
                <button type="submit" class="button button--secondary">
                  Save the category
                </button>
              </form>
              <form method="post" action={`${base}/categories/${c.id}/remove`}>
                <CsrfField token={props.csrf} />
                <button type="submit" class="button button--danger">
                  Remove the category
                </button>
              </form>
            </details>
          );
        })}
        <AddCard
          title="Add a category"
          form={props.forms.category}
          prefix="newcat"
          action={`${base}/categories`}
          csrf={props.csrf}
          submit="Add the category"
        >
          <CategoryFields form={props.forms.category} sections={props.sections} prefix="newcat" />
        </AddCard>
      </section>

      <section aria-labelledby="rubric-heading">
        <h2 id="rubric-heading">Rubric</h2>
        <p>Each juror scores every entry of their category on each criterion.</p>
        {props.criteria.length === 0 ? (
          <p class="empty">No criterion yet.</p>
        ) : (
          <ul class="plain-list">
            {props.criteria.map((c) => (
              <li>
                <strong safe>{c.name}</strong>{' '}
                <span class="muted" safe>
                  {`${c.scaleMin}–${c.scaleMax}${c.description ? ` · ${c.description}` : ''}`}
                </span>
                <RemoveButton action={`${base}/criteria/${c.id}/remove`} csrf={props.csrf} label={`Remove the criterion ${c.name}`} />
              </li>
            ))}
          </ul>
        )}
        <AddCard
          title="Add a criterion"
          form={props.forms.criterion}
          prefix="crit"
          action={`${base}/criteria`}
          csrf={props.csrf}
          submit="Add the criterion"
        >
          <Input form={props.forms.criterion} name="name" label="Criterion" prefix="crit" maxlength={80} />
          <Input form={props.forms.criterion} name="description" label="What the jurors look for" prefix="crit" maxlength={500} />
          <Input form={props.forms.criterion} name="scaleMin" label="Lowest score (default 1)" prefix="crit" maxlength={3} numeric />
          <Input form={props.forms.criterion} name="scaleMax" label="Highest score (default 10)" prefix="crit" maxlength={3} numeric />
        </AddCard>
      </section>

      <section aria-labelledby="juries-heading">
        <h2 id="juries-heading">Juries</h2>
        <p>
          A chair and members per category. Outside people get an account that can judge this prize’s categories and nothing else; each
          juror is emailed a sign-in link.
        </p>
        {props.categories.map((c) => {
          const jury = props.jurors.filter((j) => j.categoryId === c.id);
          return (
            <>
              <h3 safe>{c.name}</h3>
              {jury.length === 0 ? (
                <p class="empty">No juror yet.</p>
              ) : (
                <ul class="plain-list">
                  {jury.map((j) => (
                    <li>
                      <strong safe>{j.name}</strong>{' '}
                      <span class="muted" safe>
                        {`${j.role === 'chair' ? 'Chair' : 'Member'} · ${j.email}`}
                      </span>
                      <RemoveButton action={`${base}/jurors/${j.id}/remove`} csrf={props.csrf} label={`Remove ${j.name} from the jury`} />
                    </li>
                  ))}
                </ul>
              )}
            </>
          );
        })}
        {props.categories.length > 0 ? (
          <AddCard
            title="Add a juror"
            form={props.forms.juror}
            prefix="juror"
            action={`${base}/jurors`}
            csrf={props.csrf}
            submit="Add to the jury"
          >
            <Input form={props.forms.juror} name="name" label="Name" prefix="juror" maxlength={60} />
            <Input form={props.forms.juror} name="email" type="email" label="Email" prefix="juror" />
            <Select
              form={props.forms.juror}
              name="categoryId"
              label="Category"
              prefix="juror"
              options={props.categories.map((c) => ({ value: c.id, label: c.name }))}
            />
            <Select
              form={props.forms.juror}
              name="role"
              label="Role"
              prefix="juror"
              options={[
                { value: 'member', label: 'Member' },
                { value: 'chair', label: 'Chair' },
              ]}
            />
          </AddCard>
        ) : (
          ''
        )}
      </section>

      <section class="form-card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <ErrorSummary errors={props.forms.settings.errors} />
        <form method="post" action={base} novalidate>
          <CsrfField token={props.csrf} />
          <CompetitionFields form={props.forms.settings} />
          <button type="submit" class="button">
            Save the settings
          </button>
        </form>
      </section>
    </Page>
  );
}

export interface EntrantFacts {
  name: string;
  age: number | null;
  country: string;
  school: string;
  consentSchool: boolean;
  offeredAt: string | null;
  articleId: string | null;
}

function entrantLine(who: EntrantFacts | undefined): string {
  if (!who) return '';
  const school = who.school ? ` · ${who.school}${who.consentSchool ? '' : ' (not to be published)'}` : '';
  return `${who.name}, ${who.age ?? '?'}, ${who.country}${school}`;
}

export function ResultsDeskPage(props: {
  ctx: PageContext;
  csrf: string;
  prize: Prize;
  state: PrizeState;
  overview: {
    criteria: Criterion[];
    categories: {
      category: PrizeCategory;
      entries: number;
      ranking: RankingRow[];
      progress: { name: string; role: 'chair' | 'member'; scored: number; assigned: number }[];
    }[];
  };
  entrants: Map<string, EntrantFacts>;
  canDecide: boolean;
  canPublish: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}): JSX.Element {
  const { prize } = props;
  const base = `/newsroom/prizes/${prize.id}`;
  const placed = props.overview.categories.flatMap((c) =>
    c.ranking.filter((r) => r.awards.length > 0).map((r) => ({ ...r, category: c.category })),
  );
  const names = new Map(placed.map((r) => [r.entryId, props.entrants.get(r.entryId)?.name ?? '']));
  return (
    <Page ctx={props.ctx} title={`${prize.name}: judging and results`} prize={prize} current={`${base}/results`}>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      {props.error ? <ErrorSummary errors={{}} message={props.error} /> : ''}
      <p
        safe
      >{`${STATE_LABELS[props.state]}. ${props.overview.criteria.length} rubric criteria. Results may be published from ${prizeTime(prize.announceAt, prize.timeZone)}.`}</p>
      {props.overview.categories.map((c) => (
        <section aria-labelledby={`cat-${c.category.id}`}>
          <h2 id={`cat-${c.category.id}`} safe>
            {`${c.category.name} (${c.entries} ${c.entries === 1 ? 'entry' : 'entries'})`}
          </h2>
          <h3>Ranking</h3>
          <RankingTable
            rows={c.ranking}
            csrf={props.csrf}
            awardAction={props.canDecide ? `${base}/awards` : null}
            removeAction={(id) => `${base}/awards/${id}/remove`}
            kinds={['shortlist', 'first', 'second', 'third', 'overall']}
            entryLink={false}
            names={names}
          />
          <h3>Jury progress</h3>
          <ProgressTable progress={c.progress} />
        </section>
      ))}
      <section aria-labelledby="placed-heading">
        <h2 id="placed-heading">Shortlisted and placed</h2>
        {placed.length === 0 ? (
          <p class="empty">Nothing is shortlisted yet.</p>
        ) : (
          <DataTable columns={['Entry', 'Entrant', 'Awards', 'Place on the magazine']}>
            {placed.map((r) => {
              const who = props.entrants.get(r.entryId);
              const winner = r.awards.some((a) => a.kind === 'first' || a.kind === 'overall');
              return (
                <tr>
                  <td>
                    <span safe>{r.title}</span>{' '}
                    <span class="muted" safe>
                      {`${r.reference} · ${r.category.name}`}
                    </span>
                  </td>
                  <td safe>{entrantLine(who)}</td>
                  <td safe>{r.awards.map((a) => (a.juryNote ? `${a.label}: “${a.juryNote}”` : a.label)).join('; ')}</td>
                  <td>
                    {who?.articleId ? (
                      <a href={`/newsroom/articles/${who.articleId}`}>Accepted: open the draft article</a>
                    ) : who?.offeredAt ? (
                      <span safe>{`Offered ${prizeTime(who.offeredAt, prize.timeZone)}: waiting for the winner to accept.`}</span>
                    ) : winner ? (
                      <form method="post" action={`${base}/entries/${r.entryId}/offer`} class="inline-form">
                        <CsrfField token={props.csrf} />
                        <button type="submit" class="button">
                          Offer a place
                        </button>
                      </form>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>
      <section aria-labelledby="publish-heading">
        <h2 id="publish-heading">Publish the results</h2>
        <p>
          The shortlist and the winners become public on the prize page. Publishing the winners emails every entrant (once) and makes the
          results final.
        </p>
        {props.canPublish ? (
          <>
            <PublishForm action={`${base}/publish`} csrf={props.csrf} what="shortlist" done={prize.window.shortlistPublishedAt !== null} />
            <PublishForm action={`${base}/publish`} csrf={props.csrf} what="winners" done={prize.window.winnersPublishedAt !== null} />
          </>
        ) : (
          <p class="muted" safe>{`Available from ${prizeTime(prize.announceAt, prize.timeZone)}.`}</p>
        )}
      </section>
    </Page>
  );
}

/** Asks before a place offered to one winner is offered to another entry, naming whose offer is withdrawn. */
export function ConfirmPlaceMovePage(props: {
  ctx: PageContext;
  csrf: string;
  prize: Prize;
  message: string;
  action: string;
}): JSX.Element {
  const back = `/newsroom/prizes/${props.prize.id}/results`;
  return (
    <Page ctx={props.ctx} title="Move the place to another winner?" prize={props.prize} current={back}>
      <div class="notice notice--error" role="alert">
        <p safe>{props.message}</p>
      </div>
      <form method="post" action={props.action} class="inline-form">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" class="button button--danger">
          Withdraw that offer and offer the place
        </button>
      </form>{' '}
      <a href={back}>Cancel: keep the offer as it is</a>
    </Page>
  );
}

export function StatsPage(props: {
  ctx: PageContext;
  prize: Prize;
  stats: {
    total: number;
    drafts: number;
    byCategory: { name: string; count: number }[];
    byCountry: { country: string; count: number }[];
    byAge: { age: number | null; count: number }[];
  };
}): JSX.Element {
  const { stats, prize } = props;
  const table = (caption: string, head: string, rows: [string, number][]) => (
    <table class="table">
      <caption safe>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" safe>
            {head}
          </th>
          <th scope="col">Entries</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, n]) => (
          <tr>
            <td safe>{label}</td>
            <td>{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <Page ctx={props.ctx} title={`${prize.name}: statistics`} prize={prize} current={`/newsroom/prizes/${prize.id}/stats`}>
      <p
        safe
      >{`${stats.total} submitted ${stats.total === 1 ? 'entry' : 'entries'}; ${stats.drafts} ${stats.drafts === 1 ? 'draft' : 'drafts'} not submitted.`}</p>
      {table(
        'Per category',
        'Category',
        stats.byCategory.map((c) => [c.name, c.count]),
      )}
      {table(
        'Per country',
        'Country',
        stats.byCountry.map((c) => [c.country, c.count]),
      )}
      {table(
        'Per age on the deadline date',
        'Age',
        stats.byAge.map((a) => [a.age === null ? 'Not given' : String(a.age), a.count]),
      )}
    </Page>
  );
}
