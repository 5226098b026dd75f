import { Layout } from '../../../web/layout.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { PictureTag } from '../../media/index.js';
import type { BirthParts, EntryForm } from '../competitions.schemas.js';
import { DECLARATION_FIELDS } from '../competitions.schemas.js';
import { PHOTO_LIMITS_TEXT, STATEMENT_WORD_LIMIT, type EntryDesk, type PrizeCategory } from '../competitions.service.js';
import { prizeTime } from '../deadlines.js';
import { countWords } from '../../../lib/words.js';
import { declarationTexts, requiredDeclarations } from '../eligibility.js';
import { eligibilityLine, KIND_LABELS, PrizeEyebrow } from './prize-pages.js';

function FieldError(props: { id: string; error: string | undefined }): JSX.Element {
  return props.error ? (
    <p class="field__error" id={`${props.id}-error`} safe>
      {props.error}
    </p>
  ) : (
    ''
  );
}

function Checkbox(props: { name: string; label: string; checked: boolean; error: string | undefined }): JSX.Element {
  const id = `field-${props.name}`;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <FieldError id={id} error={props.error} />
      <div class="field--checkbox">
        <input
          id={id}
          name={props.name}
          type="checkbox"
          value="1"
          checked={props.checked}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
        />
        <label for={id} safe>
          {props.label}
        </label>
      </div>
    </div>
  );
}

/**
 * Day, month and year as three numeric fields (a memorable date is quicker to
 * type than to pick, and the hint shows the order the fields are in). The day
 * field carries the id the error summary links to.
 */
function DateOfBirth(props: { parts: BirthParts; error: string | undefined; hint: string }): JSX.Element {
  const id = 'field-birthDate';
  const described = `${id}-hint${props.error ? ` ${id}-error` : ''}`;
  const part = (name: 'day' | 'month' | 'year', label: string, fieldName: string, autocomplete: string, size: string) => {
    const partId = name === 'day' ? id : `${id}-${name}`;
    return (
      <div class={`date-input__item date-input__item--${name}`}>
        <label for={partId} safe>
          {label}
        </label>
        <input
          id={partId}
          name={fieldName}
          type="text"
          inputmode="numeric"
          maxlength={name === 'year' ? '4' : '2'}
          size={size}
          value={props.parts[name]}
          autocomplete={autocomplete}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described}
        />
      </div>
    );
  };
  return (
    <fieldset class={props.error ? 'field has-error date-input' : 'field date-input'} role="group" aria-describedby={described}>
      <legend>Date of birth</legend>
      <p class="field__hint" id={`${id}-hint`} safe>
        {props.hint}
      </p>
      <FieldError id={id} error={props.error} />
      <div class="date-input__fields">
        {part('day', 'Day', 'birthDay', 'bday-day', '2')}
        {part('month', 'Month', 'birthMonth', 'bday-month', '2')}
        {part('year', 'Year', 'birthYear', 'bday-year', '4')}
      </div>
    </fieldset>
  );
}

function wordCountText(words: number, limit: number | null): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  if (limit === null) return `${n(words)} ${words === 1 ? 'word' : 'words'}`;
  if (words > limit) return `${n(words)} words: ${n(words - limit)} over the limit of ${n(limit)}`;
  return `${n(words)} of ${n(limit)} words`;
}

export function EntryFormPage(props: {
  ctx: PageContext;
  script: string;
  csrf: string;
  desk: EntryDesk;
  form: EntryForm;
  errors: FieldErrors;
  message?: string | undefined;
  notice?: string | undefined;
}): JSX.Element {
  const { desk, form, errors } = props;
  const { prize } = desk;
  const chosen: PrizeCategory | undefined = desk.categories.find((c) => c.id === form.categoryId);
  const kinds = new Set(desk.categories.map((c) => c.kind));
  const essayLimit = chosen ? (chosen.kind === 'essay' ? chosen.wordLimit : STATEMENT_WORD_LIMIT) : null;
  const words = countWords(form.essay);
  const declarations = declarationTexts({ requireFullTime: prize.requireFullTime, language: prize.language });
  const action = `/prizes/${prize.slug}/enter`;
  const savedLine = desk.draftSavedAt ? `Draft last saved ${prizeTime(desk.draftSavedAt, prize.timeZone)}.` : '';
  return (
    <Layout
      ctx={props.ctx}
      meta={{
        title: `Enter ${prize.name}`,
        description: `Your entry to ${prize.name}.`,
        noIndex: true,
        head: `<script src="${props.script}" defer></script>`,
      }}
    >
      <div class="wrap narrow prize">
        <header class="page-header">
          <PrizeEyebrow slug={prize.slug} name={prize.name} />
          <h1>Your entry</h1>
          <p safe>{`Deadline: ${prizeTime(prize.deadlineAt, prize.timeZone)}. ${eligibilityLine(prize)}`}</p>
          <p class="muted">
            Only you can see your draft: it is saved when you press “Save draft” (and as you type, when your browser runs scripts). Nothing
            is sent to the jury until you submit, and submitting is final.
          </p>
        </header>
        {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
        <ErrorSummary errors={errors} message={props.message} />
        <form method="post" action={action} enctype="multipart/form-data" novalidate data-entry-form data-autosave>
          <CsrfField token={props.csrf} />
          <fieldset
            class={errors.categoryId ? 'field has-error' : ''}
            aria-describedby={errors.categoryId ? 'field-categoryId-error' : undefined}
          >
            <legend>Category</legend>
            <FieldError id="field-categoryId" error={errors.categoryId} />
            {desk.categories.map((c, i) => {
              const id = i === 0 ? 'field-categoryId' : `field-categoryId-${i}`;
              return (
                <div class="field field--checkbox">
                  <input
                    id={id}
                    type="radio"
                    name="categoryId"
                    value={c.id}
                    checked={form.categoryId === c.id}
                    data-kind={c.kind}
                    data-word-limit={c.wordLimit === null ? '' : String(c.wordLimit)}
                    aria-invalid={errors.categoryId ? 'true' : undefined}
                    aria-describedby={errors.categoryId ? 'field-categoryId-error' : undefined}
                  />
                  <label for={id}>
                    <strong safe>{c.name}</strong>{' '}
                    <span class="muted" safe>
                      {`(${KIND_LABELS[c.kind]}${c.wordLimit ? `, up to ${c.wordLimit.toLocaleString('en-GB')} words` : ''})`}
                    </span>
                    {c.prompt ? (
                      <>
                        <br />
                        <span safe>{c.prompt}</span>
                      </>
                    ) : (
                      ''
                    )}
                  </label>
                </div>
              );
            })}
          </fieldset>
          <Field name="title" label="Title of your entry" value={form.title} error={errors.title} maxlength={200} />
          <div class={errors.essay ? 'field has-error' : 'field'}>
            <label for="field-essay" data-essay-label>
              {chosen && chosen.kind !== 'essay' ? 'A few words about your work (optional)' : 'Your essay'}
            </label>
            <p class="field__hint" id="field-essay-hint">
              Type or paste your text. Leave an empty line between paragraphs.
              {kinds.size > 1 ? (
                <span>{` For a photograph or a video, this box is for an optional statement of up to ${STATEMENT_WORD_LIMIT} words.`}</span>
              ) : (
                ''
              )}
            </p>
            <FieldError id="field-essay" error={errors.essay} />
            <textarea
              id="field-essay"
              name="essay"
              rows="18"
              aria-describedby={`field-essay-hint field-essay-count${errors.essay ? ' field-essay-error' : ''}`}
              aria-invalid={errors.essay ? 'true' : undefined}
              data-word-count="field-essay-count"
              safe
            >
              {form.essay}
            </textarea>
            <p
              id="field-essay-count"
              class="field__hint"
              aria-live="polite"
              data-word-limit={essayLimit === null ? '' : String(essayLimit)}
              safe
            >
              {wordCountText(words, essayLimit)}
            </p>
          </div>
          {kinds.has('photo') ? (
            <fieldset data-kind-section="photo">
              <legend>Your photograph (photo categories)</legend>
              {desk.photo ? (
                <div class="field">
                  <p>Your draft holds this photograph. Choose another file only to replace it.</p>
                  <PictureTag picture={desk.photo} alt={desk.photo.alt} sizes="20rem" />
                </div>
              ) : (
                ''
              )}
              <div class={errors.photo ? 'field has-error' : 'field'}>
                <label for="field-photo">Photograph file</label>
                <p class="field__hint" id="field-photo-hint" safe>
                  {`A JPEG, PNG, WebP or AVIF file of up to ${PHOTO_LIMITS_TEXT}. Only you, the jury and the organisers see it until the results are published.`}
                </p>
                <FieldError id="field-photo" error={errors.photo} />
                <input
                  id="field-photo"
                  name="photo"
                  type="file"
                  accept="image/jpeg,image/png,image/webp,image/avif"
                  aria-describedby={`field-photo-hint${errors.photo ? ' field-photo-error' : ''}`}
                />
              </div>
              <Field
                name="photoAlt"
                label="Describe your photograph in a sentence"
                value={form.photoAlt}
                error={errors.photoAlt}
                maxlength={1000}
                hint="For readers who cannot see it. Please do not include your name."
              />
            </fieldset>
          ) : (
            ''
          )}
          {kinds.has('video') ? (
            <fieldset data-kind-section="video">
              <legend>Your video (video categories)</legend>
              <Field
                name="videoUrl"
                type="url"
                label="Link to your video"
                value={form.videoUrl}
                error={errors.videoUrl}
                maxlength={500}
                hint="Upload it to YouTube or Vimeo (public or unlisted) and paste the https:// link."
              />
            </fieldset>
          ) : (
            ''
          )}
          <fieldset>
            <legend>About you</legend>
            <p class="field__hint">
              Private. The jury never sees these details: it judges your work alone. If you are shortlisted, we publish your name, your age
              and your country, and your school only if you tick the box below.
            </p>
            <Field
              name="entrantName"
              label="Your full name"
              value={form.entrantName}
              error={errors.entrantName}
              maxlength={120}
              autocomplete="name"
            />
            <DateOfBirth
              parts={form.birthParts}
              error={errors.birthDate}
              hint={`For example, 14 3 2009. You must be ${prize.minAge} to ${prize.maxAge} years old on the deadline date.`}
            />
            <Field name="school" label="School" value={form.school} error={errors.school} maxlength={200} autocomplete="organization" />
            <Field
              name="country"
              label="Country where you live"
              value={form.country}
              error={errors.country}
              maxlength={80}
              autocomplete="country-name"
            />
            <Field
              name="schoolYear"
              label={prize.schoolYearQuestion}
              value={form.schoolYear}
              error={errors.schoolYear}
              maxlength={80}
              hint="For example: Year 11, Grade 10, Seconde."
            />
            <Checkbox
              name="consentSchool"
              label="If I am shortlisted, you may publish the name of my school."
              checked={form.consentSchool}
              error={undefined}
            />
          </fieldset>
          <fieldset>
            <legend>Declarations</legend>
            {requiredDeclarations({ requireFullTime: prize.requireFullTime, language: prize.language }).map((name) => (
              <Checkbox
                name={DECLARATION_FIELDS[name]}
                label={declarations[name]}
                checked={form.declarations[name]}
                error={errors[DECLARATION_FIELDS[name]]}
              />
            ))}
          </fieldset>
          <p class="muted" data-autosave-status role="status" aria-live="polite" safe>
            {savedLine}
          </p>
          <button type="submit" name="action" value="save" class="button button--secondary">
            Save draft
          </button>{' '}
          <button type="submit" name="action" value="submit" class="button">
            Submit my entry
          </button>
        </form>
      </div>
    </Layout>
  );
}
