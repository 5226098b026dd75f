// The public "Report a problem" form and the page that thanks the reporter.
import { FormPage } from '../../../web/form-page.js';
import { CsrfField, ErrorSummary, Field, TextAreaField, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { KIND_HINTS, KIND_LABELS, MAX_DETAILS, REPORT_KINDS } from '../report-input.js';
import type { ReportSubject } from '../reports.service.js';

export interface ReportFormValues {
  kind: string;
  details: string;
  email: string;
}

function about(subject: ReportSubject): string {
  return subject.type === 'article' ? `the article “${subject.title}”` : `the page about ${subject.title}`;
}

/** The kinds of problem as radio buttons; the first one carries the id the error summary links to. */
function KindChoice(props: { value: string; error: string | undefined }): JSX.Element {
  return (
    <fieldset class={props.error ? 'field has-error' : 'field'} aria-describedby={props.error ? 'field-kind-error' : undefined}>
      <legend>What kind of problem is it?</legend>
      {props.error ? (
        <p class="field__error" id="field-kind-error" safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      {REPORT_KINDS.map((kind, i) => {
        const id = i === 0 ? 'field-kind' : `field-kind-${kind}`;
        return (
          <div class="field field--checkbox">
            <input id={id} type="radio" name="kind" value={kind} checked={props.value === kind} aria-describedby={`${id}-hint`} />
            <div>
              <label for={id} safe>
                {KIND_LABELS[kind]}
              </label>
              <p class="field__hint" id={`${id}-hint`} safe>
                {KIND_HINTS[kind]}
              </p>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}

export function ReportFormPage(props: {
  ctx: PageContext;
  csrf: string;
  subject: ReportSubject;
  values: ReportFormValues;
  errors: FieldErrors;
  message?: string | undefined;
}): JSX.Element {
  const { subject, values, errors } = props;
  const action = `${subject.path}/report`;
  return (
    <FormPage ctx={props.ctx} title="Report a problem" lead={`Tell the newsroom what is wrong with ${about(subject)}.`}>
      <ErrorSummary errors={errors} message={props.message} />
      <form method="post" action={action} novalidate>
        <CsrfField token={props.csrf} />
        <KindChoice value={values.kind} error={errors.kind} />
        <TextAreaField
          label="What is the problem?"
          name="details"
          value={values.details}
          error={errors.details}
          hint="Say what is wrong and, if you can, what would put it right. Please do not include anyone’s private details we do not need."
          rows={8}
          maxlength={MAX_DETAILS}
          required
        />
        <Field
          label="Your email address (optional)"
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          autocomplete="email"
          maxlength={254}
          hint="Only if you would like an answer. Only the editors who read reports see it; it is never published."
        />
        <button type="submit" class="button">
          Send the report
        </button>
      </form>
      <p>
        <a href={subject.path} safe>
          {`Back to ${about(subject)}`}
        </a>
      </p>
    </FormPage>
  );
}

/** The same page whether an address was given or not: it says nothing about an email. */
export function ReportSentPage(props: { ctx: PageContext; subject: ReportSubject }): JSX.Element {
  const { subject } = props;
  return (
    <FormPage ctx={props.ctx} title="Thank you for your report">
      <div class="notice notice--success" role="status" aria-live="polite">
        <p safe>{`Your report about ${about(subject)} has reached the newsroom. An editor will read it.`}</p>
      </div>
      <p>
        <a href={subject.path} safe>
          {`Back to ${about(subject)}`}
        </a>
      </p>
    </FormPage>
  );
}
