import type { ArticleStatus, ArticleRow, EditorialCommentTable, WorkflowEventTable } from '../../../db/schema.js';
import { formatLongDate, formatShortInZone, utcToZonedInput } from '../../../lib/dates.js';
import { escapeHtml } from '../../../lib/rich-text.js';
import { CsrfField, describedBy, ErrorSummary, Field, FieldLabel, Notice, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { STATUS_LABELS } from '../newsroom.service.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import { EditorForm, RichTextBodyField } from '../../../web/ui/rich-text-field.js';
import { StatusBadge } from './desk-pages.js';

export const SITE_ZONE = 'Europe/London';

const MOVE_LABELS: Partial<Record<ArticleStatus, string>> = {
  submitted: 'Submit for review',
  in_review: 'Start reviewing',
  changes_requested: 'Request changes',
  approved: 'Approve',
  scheduled: 'Schedule',
  published: 'Publish now',
  unpublished: 'Unpublish',
  draft: 'Back to draft',
};

export interface EditorData {
  row: ArticleRow;
  values: Record<string, string | string[]>;
  errors: FieldErrors;
  message?: string | undefined;
  notice?: string | undefined;
  conflict?: boolean;
  sections: { id: string; name: string }[];
  newsrooms: { id: string; name: string }[];
  people: { id: string; name: string }[];
  heroThumb: string | null;
  canEdit: boolean;
  canEditCredits: boolean;
  canPick?: boolean;
  moves: ArticleStatus[];
  events: Selectable<WorkflowEventTable>[];
  comments: Selectable<EditorialCommentTable>[];
  revisionsCount: number;
  wordCount: number;
  /** The person looking at the page. */
  selfId: string;
  /** Whether taking herself off the authors would lock this person out of the article. */
  selfLockout: boolean;
  /** The fewest words an article needs before it can be submitted. */
  minSubmitWords: number;
  canSetWritingRules?: boolean;
  /** The body as readers will see it (rendered and sanitized at save time). */
  safeBodyHtml: string;
  /** Authors whose frozen byline age differs from what their corrected birth date gives. */
  ageCorrections?: { name: string; frozen: number; current: number | null }[];
  canRecomputeAges?: boolean;
}

type Selectable<T> = { [K in keyof T]: T[K] };

function str(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function TextInput(props: {
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  disabled: boolean;
  maxlength?: number;
}): JSX.Element {
  return <Field {...props} />;
}

function Select(props: {
  name: string;
  label: string;
  options: { id: string; name: string }[];
  selected: string[];
  multiple?: boolean;
  disabled: boolean;
  error?: string | undefined;
  hint?: string;
  empty?: string;
}): JSX.Element {
  const id = `field-${props.name}`;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <FieldLabel id={id} label={props.label} hint={props.hint} error={props.error} />
      <select
        id={id}
        name={props.name}
        multiple={props.multiple ? '' : undefined}
        disabled={props.disabled}
        size={props.multiple ? '5' : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.empty !== undefined ? (
          <option value="" safe>
            {props.empty}
          </option>
        ) : (
          ''
        )}
        {props.options.map((o) => (
          <option value={o.id} selected={props.selected.includes(o.id)} safe>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Chooses people in order (the byline order for authors). Without JavaScript:
 * a checkbox per chosen person (untick to take them off) and a list to add one
 * more, both applied when the form is saved. The editor script turns it into
 * chips with remove buttons and an "Add" button, announcing each change.
 */
function PeoplePicker(props: {
  name: 'authorIds' | 'editorIds';
  addName: 'addAuthorId' | 'addEditorId';
  label: string;
  singular: string;
  options: { id: string; name: string }[];
  selected: string[];
  disabled: boolean;
  error?: string | undefined;
  hint: string;
  selfId?: string;
  selfConfirm?: { visible: boolean; checked: boolean };
}): JSX.Element {
  const id = `field-${props.name}`;
  const nameOf = new Map(props.options.map((o) => [o.id, o.name]));
  const chosen = props.selected.filter((p) => nameOf.has(p));
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = [props.error ? errorId : '', hintId].filter(Boolean).join(' ');
  return (
    <fieldset
      class={props.error ? 'field people-picker has-error' : 'field people-picker'}
      id={id}
      tabindex="-1"
      data-people-picker={props.disabled ? undefined : props.name}
      data-singular={props.singular}
      data-self-id={props.selfId}
      aria-describedby={described}
    >
      <legend safe>{props.label}</legend>
      {props.error ? (
        <p class="field__error" id={errorId} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      <p class="field__hint" id={hintId} safe>
        {props.hint}
      </p>
      <ul class="people-picker__chosen" role="list" data-people-chosen>
        {chosen.map((personId) => (
          <li class="people-picker__person" data-person-id={personId}>
            <input type="checkbox" id={`${id}-${personId}`} name={props.name} value={personId} checked disabled={props.disabled} />{' '}
            <label for={`${id}-${personId}`} safe>
              {nameOf.get(personId)!}
            </label>
          </li>
        ))}
      </ul>
      {chosen.length === 0 ? (
        <p class="empty" data-people-empty>
          Nobody yet.
        </p>
      ) : (
        ''
      )}
      <div class="people-picker__add">
        <label for={`${id}-add`} safe>{`Add ${props.singular}`}</label>
        <select id={`${id}-add`} name={props.addName} disabled={props.disabled} data-people-add>
          <option value="">Choose a person…</option>
          {props.options.map((o) => (
            <option value={o.id} safe>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite" data-people-status></p>
      {props.selfConfirm ? (
        <div class="notice notice--warning people-picker__confirm" data-self-confirm hidden={props.selfConfirm.visible ? undefined : true}>
          <p>If you take yourself off the authors, you will no longer be able to open or edit this draft.</p>
          <input
            type="checkbox"
            id={`${id}-confirm`}
            name="confirmRemoveSelf"
            value="yes"
            checked={props.selfConfirm.checked}
            disabled={props.selfConfirm.visible ? undefined : true}
          />{' '}
          <label for={`${id}-confirm`}>Yes, take me off this article</label>
        </div>
      ) : (
        ''
      )}
    </fieldset>
  );
}

function Comments(props: { comments: EditorData['comments']; csrf: string; articleId: string }): JSX.Element {
  const byParent = (parent: string | null) => props.comments.filter((c) => c.parent_id === parent);
  const thread = (parent: string | null, depth: number): JSX.Element => {
    const items = byParent(parent);
    if (items.length === 0) return '';
    return (
      <ol class="comments" role="list">
        {items.map((c) => (
          <li class="comment" id={`comment-${c.id}`}>
            <p class="comment__meta">
              <strong safe>{c.author_name}</strong>{' '}
              <time datetime={c.created_at} safe>
                {formatShortInZone(c.created_at, SITE_ZONE)}
              </time>
            </p>
            <p class="comment__body" safe>
              {c.body}
            </p>
            {depth < 3 ? (
              <details class="comment__reply">
                <summary>Reply</summary>
                <form method="post" action={`/newsroom/articles/${props.articleId}/comments`}>
                  <CsrfField token={props.csrf} />
                  <input type="hidden" name="parentId" value={c.id} />
                  <label for={`reply-${c.id}`}>Your reply</label>
                  <textarea id={`reply-${c.id}`} name="body" rows="3" required maxlength="5000"></textarea>
                  <button type="submit" class="button button--secondary">
                    Reply
                  </button>
                </form>
              </details>
            ) : (
              ''
            )}
            {thread(c.id, depth + 1)}
          </li>
        ))}
      </ol>
    );
  };
  return (
    <section aria-labelledby="comments-heading" class="desk-section">
      <h2 id="comments-heading">Editorial comments</h2>
      <p class="field__hint">Seen only by the writers and editors of this article.</p>
      {props.comments.length === 0 ? <p class="empty">No comments yet.</p> : thread(null, 0)}
      <form method="post" action={`/newsroom/articles/${props.articleId}/comments`}>
        <CsrfField token={props.csrf} />
        <label for="new-comment">Add a comment</label>
        <textarea id="new-comment" name="body" rows="4" required maxlength="5000"></textarea>
        <button type="submit" class="button button--secondary">
          Comment
        </button>
      </form>
    </section>
  );
}

export function EditorPage(props: { ctx: PageContext; csrf: string; data: EditorData }): JSX.Element {
  const { data, csrf } = props;
  const { row, values, errors } = data;
  const disabled = !data.canEdit;
  const selected = (name: string) => {
    const v = values[name];
    return Array.isArray(v) ? v : v ? [v] : [];
  };
  const minutes = Math.max(1, Math.ceil(data.wordCount / 230));
  // Rendered by the rich-text renderer (the sanitizer) when the article was saved.
  const safeBodyHtml = data.safeBodyHtml;
  return (
    <NewsroomLayout
      ctx={props.ctx}
      title={`Edit: ${row.title || 'Untitled'}`}
      head={data.canEdit ? <script src={props.ctx.assets.editorJs} defer></script> : ''}
    >
      <header class="page-header editor-header">
        <p class="eyebrow">
          <StatusBadge status={row.status} /> Version {row.version}
        </p>
        <h1 safe>{row.title || 'Untitled'}</h1>
        <p>
          <a href={`/newsroom/articles/${row.id}/preview?as=anonymous`}>Preview as a visitor</a> ·{' '}
          <a href={`/newsroom/articles/${row.id}/preview?as=reader`}>Preview as a signed-in reader</a> ·{' '}
          <a href={`/newsroom/articles/${row.id}/revisions`}>Revisions ({data.revisionsCount})</a>
          {row.status === 'published' ? (
            <>
              {' '}
              · <a href={`/articles/${row.slug}`}>View on the site</a>
            </>
          ) : (
            ''
          )}
        </p>
      </header>
      {data.notice ? <Notice kind="success" text={data.notice} /> : ''}
      <ErrorSummary errors={errors} message={data.message} />
      {disabled ? (
        <p class="notice notice--info">You can read this article and comment on it, but not edit it in its current state.</p>
      ) : (
        ''
      )}
      <div class="editor-grid">
        <EditorForm
          action={`/newsroom/articles/${row.id}`}
          autosaveUrl={`/newsroom/articles/${row.id}/autosave`}
          version={row.version}
          conflict={data.conflict}
          canEdit={data.canEdit}
          csrf={csrf}
        >
          <input type="hidden" name="version" value={str(values.version) || String(row.version)} />
          <TextInput
            name="title"
            label="Headline"
            value={str(values.title)}
            error={errors.title}
            required
            disabled={disabled}
            maxlength={200}
          />
          <TextInput
            name="dek"
            label="Standfirst"
            value={str(values.dek)}
            error={errors.dek}
            disabled={disabled}
            hint="One or two sentences under the headline; also the summary in lists and feeds."
          />
          <TextInput
            name="bylinePhrase"
            label="Byline phrase"
            value={str(values.bylinePhrase)}
            error={errors.bylinePhrase}
            disabled={disabled}
            hint="After the names, verb included: “reports on …” (one author) or “report on …” (two)."
          />
          <div class="field-row">
            <Select
              name="sectionId"
              label="Section"
              options={data.sections}
              selected={selected('sectionId')}
              disabled={disabled}
              error={errors.sectionId}
            />
            <Select
              name="newsroomId"
              label="Newsroom"
              options={data.newsrooms}
              selected={selected('newsroomId')}
              disabled={disabled}
              empty="None"
            />
          </div>
          <TextInput name="tags" label="Tags" value={str(values.tags)} disabled={disabled} hint="Separated by commas." />
          <div class="field-row">
            <PeoplePicker
              name="authorIds"
              addName="addAuthorId"
              label="Authors"
              singular="an author"
              options={data.people}
              selected={selected('authorIds')}
              disabled={disabled}
              error={errors.authorIds}
              hint="In byline order. Untick a name to take it off; a person chosen under “Add an author” joins when you save."
              selfId={data.selfId}
              {...(data.selfLockout
                ? {
                    selfConfirm: {
                      visible: !selected('authorIds').includes(data.selfId),
                      checked: str(values.confirmRemoveSelf) === 'yes',
                    },
                  }
                : {})}
            />
            <PeoplePicker
              name="editorIds"
              addName="addEditorId"
              label="Edited by"
              singular="an editor"
              options={data.people}
              selected={selected('editorIds')}
              disabled={disabled || !data.canEditCredits}
              hint={
                data.canEditCredits ? 'Filled from the reviewers; you may adjust it.' : 'Filled from the people who review and approve.'
              }
            />
          </div>
          <fieldset class="hero-fields">
            <legend>Picture</legend>
            <input type="hidden" name="heroMediaId" value={str(values.heroMediaId)} />
            <img data-hero-preview src={data.heroThumb ?? ''} alt="" hidden={data.heroThumb ? undefined : true} width="240" />
            <p>
              <button type="button" class="button button--secondary" data-pick-hero disabled={disabled} hidden>
                Choose from the media library
              </button>{' '}
              <a href="/newsroom/media">Upload a picture</a>
            </p>
            <TextInput
              name="heroAlt"
              label="Alt text"
              value={str(values.heroAlt)}
              error={errors.heroAlt}
              disabled={disabled}
              hint="What the picture shows, for readers who cannot see it. Required with a picture."
            />
            <TextInput name="heroCaption" label="Caption" value={str(values.heroCaption)} disabled={disabled} hint="What, where, when." />
            <div class="field-row">
              <TextInput name="heroCreditCreator" label="Picture by" value={str(values.heroCreditCreator)} disabled={disabled} />
              <TextInput name="heroCreditSource" label="Source or agency" value={str(values.heroCreditSource)} disabled={disabled} />
            </div>
          </fieldset>
          <div class="field-row">
            <div class="field">
              <label for="field-access">Access</label>
              <select id="field-access" name="access" disabled={disabled}>
                <option value="free" selected={str(values.access) !== 'registered'}>
                  Free to everyone
                </option>
                <option value="registered" selected={str(values.access) === 'registered'}>
                  Free account needed (registration wall)
                </option>
              </select>
            </div>
            <div class="field">
              <label for="field-previewParagraphs">Paragraphs before the wall</label>
              <input
                id="field-previewParagraphs"
                name="previewParagraphs"
                type="number"
                min="0"
                max="50"
                value={str(values.previewParagraphs)}
                disabled={disabled}
                aria-describedby="preview-hint"
              />
              <p class="field__hint" id="preview-hint">
                Empty: the site default.
              </p>
            </div>
          </div>
          <RichTextBodyField
            disabled={disabled}
            safeBodyHtml={safeBodyHtml}
            initialDoc={str(values.bodyJson)}
            text={str(values.bodyText)}
            error={errors.body}
          />
          <p data-word-count aria-live="polite">
            <span safe>{`${data.wordCount.toLocaleString('en-GB')} words · ${minutes} min read`}</span>
          </p>
          <p data-save-status role="status" aria-live="polite"></p>
          {data.canEdit ? (
            <div class="editor-actions">
              <button type="submit" class="button" name="intent" value="save">
                Save
              </button>
              {data.moves.includes('submitted') ? (
                <div class="editor-submit">
                  <div class="field">
                    <label for="note-submitted">Note with “Submit for review” (optional)</label>
                    <textarea id="note-submitted" name="submitNote" rows="2" maxlength="2000">
                      {escapeHtml(str(values.submitNote))}
                    </textarea>
                  </div>
                  <p class="field__hint" id="submit-hint" safe>
                    {`Submitting saves your latest changes first. Articles need at least ${data.minSubmitWords.toLocaleString('en-GB')} ${data.minSubmitWords === 1 ? 'word' : 'words'} to be submitted.`}
                  </p>
                  {data.canSetWritingRules ? (
                    <p class="field__hint">
                      <a href="/newsroom/writing-rules">Change the minimum</a>
                    </p>
                  ) : (
                    ''
                  )}
                  <button type="submit" class="button" name="intent" value="submit" aria-describedby="submit-hint">
                    Submit for review
                  </button>
                </div>
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
            {data.ageCorrections?.length ? (
              <div class="notice notice--info" id="age-corrections">
                <p>The ages on the byline were frozen when the article was first published. A corrected date of birth would change them:</p>
                <ul>
                  {data.ageCorrections.map((c) => (
                    <li
                      safe
                    >{`${c.name}: ${c.frozen} on the byline, ${c.current === null ? 'no age' : c.current} from the date of birth now on file`}</li>
                  ))}
                </ul>
                <p>
                  {data.canRecomputeAges
                    ? 'Publishing keeps the frozen ages unless you tick “Recompute ages from corrected birth dates”.'
                    : 'Publishing keeps the frozen ages; only the editor-in-chief can recompute them.'}
                </p>
              </div>
            ) : (
              ''
            )}
            {data.moves.length === 0 ? <p safe>{`No move is open to you from “${STATUS_LABELS[row.status]}”.`}</p> : ''}
            {data.moves.includes('submitted') && data.canEdit ? (
              <p>“Submit for review” is under the article: it saves your changes first.</p>
            ) : (
              ''
            )}
            {data.canEdit && data.moves.some((to) => to !== 'submitted') ? (
              <p class="field__hint" data-move-hint>
                These buttons move the article as last saved: save your changes first.
              </p>
            ) : (
              ''
            )}
            {data.moves
              .filter((to) => !(to === 'submitted' && data.canEdit))
              .map((to) => (
                <form method="post" action={`/newsroom/articles/${row.id}/move`} class="move-form">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="to" value={to} />
                  {to === 'scheduled' ? (
                    <div class="field">
                      <label for="field-scheduledAt">Publish at (London time)</label>
                      <input
                        id="field-scheduledAt"
                        name="scheduledAt"
                        type="datetime-local"
                        required
                        value={row.scheduled_at ? utcToZonedInput(row.scheduled_at, SITE_ZONE) : ''}
                      />
                    </div>
                  ) : (
                    ''
                  )}
                  {to === 'published' && data.canRecomputeAges && data.ageCorrections?.length ? (
                    <div class="field field--checkbox">
                      <input type="checkbox" id="field-recomputeAges" name="recomputeAges" value="1" aria-describedby="age-corrections" />
                      <label for="field-recomputeAges">Recompute ages from corrected birth dates</label>
                    </div>
                  ) : (
                    ''
                  )}
                  {to === 'changes_requested' || to === 'submitted' || to === 'approved' ? (
                    <div class="field">
                      <label for={`note-${to}`} safe>{`Note with “${MOVE_LABELS[to] ?? STATUS_LABELS[to]}” (optional)`}</label>
                      <textarea id={`note-${to}`} name="note" rows="2" maxlength="2000"></textarea>
                    </div>
                  ) : (
                    ''
                  )}
                  <button type="submit" class={to === 'unpublished' ? 'button button--danger' : 'button'} safe>
                    {MOVE_LABELS[to] ?? STATUS_LABELS[to]}
                  </button>
                </form>
              ))}
          </section>
          {data.canPick ? (
            <form method="post" action={`/newsroom/articles/${row.id}/pick`} class="move-form">
              <CsrfField token={csrf} />
              <button type="submit" class="button button--secondary">
                Make it the editor’s pick
              </button>
            </form>
          ) : (
            ''
          )}
          <section aria-labelledby="timeline-heading" class="desk-section">
            <h2 id="timeline-heading">Timeline</h2>
            {data.events.length === 0 ? <p class="empty">No moves yet.</p> : ''}
            <ol class="timeline">
              {data.events.map((e) => (
                <li class="timeline__item">
                  <span
                    class="timeline__title"
                    safe
                  >{`${e.actor_name}: ${STATUS_LABELS[e.from_status as ArticleStatus] ?? e.from_status} → ${STATUS_LABELS[e.to_status as ArticleStatus] ?? e.to_status}`}</span>
                  <span class="timeline__dates">
                    <time datetime={e.created_at} safe>
                      {formatLongDate(e.created_at)}
                    </time>
                  </span>
                  {e.note ? (
                    <span class="timeline__note" safe>
                      {e.note}
                    </span>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ol>
          </section>
          <Comments comments={data.comments} csrf={csrf} articleId={row.id} />
        </aside>
      </div>
    </NewsroomLayout>
  );
}
