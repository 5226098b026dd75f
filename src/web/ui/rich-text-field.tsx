import type { PropsWithChildren } from '@kitajs/html';
import { escapeHtml } from '../../lib/rich-text.js';
import { CsrfField } from '../forms.js';

/**
 * The form of a newsroom editor (articles, static pages), with what the editor
 * script reads from it: whether the page may be edited, the version it was
 * loaded at, where to autosave and where to find pictures. A conflict (someone
 * saved in between) marks it for the styles.
 */
export function EditorForm(
  props: PropsWithChildren<{
    action: string;
    autosaveUrl: string;
    version: number;
    conflict?: boolean | undefined;
    canEdit: boolean;
    csrf: string;
  }>,
): JSX.Element {
  return (
    <form
      id="article-form"
      method="post"
      action={props.action}
      class={props.conflict ? 'article-form is-conflict' : 'article-form'}
      data-article-form={props.canEdit ? '' : undefined}
      data-version={String(props.version)}
      data-autosave-url={props.autosaveUrl}
      data-media-url="/newsroom/media.json"
      novalidate
    >
      <CsrfField token={props.csrf} />
      {props.children}
    </form>
  );
}

// The body of a rich-text document on a newsroom form (articles, static pages).
// While the form may be edited: the editor's mount points, filled by the editor
// script, over a plain textarea that is what gets saved without JavaScript.
// While it may not: the body as readers will see it.
export function RichTextBodyField(props: {
  disabled: boolean;
  /** Already rendered by the allowlist renderer (`renderRichText`). */
  safeBodyHtml: string;
  /** The document as JSON, for the editor to start from ('' when there is none). */
  initialDoc: string;
  /** What the textarea shows: the text typed, or the document as plain text. */
  text: string;
  error?: string | undefined;
}): JSX.Element {
  const { error, safeBodyHtml } = props;
  if (props.disabled) {
    return (
      <section class="field" aria-labelledby="body-heading">
        <h2 id="body-heading" class="field__label">
          Body
        </h2>
        <div class="prose article__body editor-readonly">{safeBodyHtml}</div>
      </section>
    );
  }
  return (
    <div class={error ? 'editor field has-error' : 'editor field'} data-editor data-initial-doc={props.initialDoc}>
      <div class="editor__toolbar" data-editor-toolbar role="toolbar" aria-label="Formatting" hidden></div>
      <div class="editor__content" data-editor-mount hidden></div>
      <p class="field__hint" role="status" data-paste-status></p>
      <label for="field-body">Body</label>
      {error ? (
        <p class="field__error" id="field-body-error" safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <p class="field__hint" id="field-body-hint" data-editor-fallback>
        Without the rich editor: paragraphs separated by blank lines; “## ” starts a subheading, “&gt; ” a quote.
      </p>
      <textarea
        id="field-body"
        name="bodyText"
        rows="20"
        data-editor-fallback
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'field-body-error field-body-hint' : 'field-body-hint'}
      >
        {escapeHtml(props.text)}
      </textarea>
      {/* Rendered empty: only the editor script fills it, so without JavaScript the textarea is what gets saved. */}
      <input type="hidden" name="bodyJson" value="" />
    </div>
  );
}
