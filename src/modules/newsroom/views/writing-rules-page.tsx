import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { MAX_MIN_SUBMIT_WORDS } from '../newsroom.service.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';

/** The editor-in-chief's rules for submissions (today: the fewest words an article needs). */
export function WritingRulesPage(props: {
  ctx: PageContext;
  csrf: string;
  minWords: string;
  errors: FieldErrors;
  saved: boolean;
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Writing rules">
      <header class="page-header">
        <h1>Writing rules</h1>
        <p>What an article needs before its writer can submit it for review.</p>
      </header>
      {props.saved ? <Notice kind="success" text="Saved. The new minimum applies to the next submission." /> : ''}
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/newsroom/writing-rules" novalidate>
        <CsrfField token={props.csrf} />
        <Field
          name="minWords"
          label="Fewest words for a submission"
          type="number"
          inputmode="numeric"
          min="1"
          max={String(MAX_MIN_SUBMIT_WORDS)}
          value={props.minWords}
          error={props.errors.minWords}
          hint={`A whole number from 1 to ${MAX_MIN_SUBMIT_WORDS.toLocaleString('en-GB')}. An empty article can never be submitted.`}
          required
        />
        <button type="submit" class="button">
          Save the rules
        </button>
      </form>
    </NewsroomLayout>
  );
}
