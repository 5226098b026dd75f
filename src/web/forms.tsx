// Form building blocks: labelled fields with hints and errors wired up for
// screen readers, the CSRF field, and a summary of errors at the top.
import { escapeHtml } from '../lib/rich-text.js';

export type FieldErrors = Partial<Record<string, string>>;

/** The ids of a field's hint and error, for its aria-describedby. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** A field's label, hint and error message, wired to the control with the given id. */
export function FieldLabel(props: { id: string; label: string; hint?: string | undefined; error?: string | undefined }): JSX.Element {
  const { id } = props;
  return (
    <>
      <label for={id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <p class="field__hint" id={`${id}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {props.error ? (
        <p class="field__error" id={`${id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

export function CsrfField(props: { token: string }): JSX.Element {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export function Field(props: {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'url' | 'search';
  value?: string;
  error?: string | undefined;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'email' | 'text';
  min?: string;
  max?: string;
  maxlength?: number;
  id?: string;
  disabled?: boolean;
}): JSX.Element {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <FieldLabel id={id} label={props.label} hint={props.hint} error={props.error} />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        // Escaped here: the JSX runtime escapes an attribute's quotes but not its ampersands, so "&quot;" typed would come back as a quote.
        value={props.type === 'password' || props.value === undefined ? undefined : escapeHtml(props.value)}
        autocomplete={props.autocomplete}
        required={props.required}
        inputmode={props.inputmode}
        min={props.min}
        max={props.max}
        maxlength={props.maxlength === undefined ? undefined : String(props.maxlength)}
        disabled={props.disabled}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
    </div>
  );
}

/** A labelled text area, as Field is for one line: hint and error wired for screen readers, the typed text kept. */
export function TextAreaField(props: {
  label: string;
  name: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  rows?: number;
  maxlength?: number;
  required?: boolean;
  id?: string;
}): JSX.Element {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <FieldLabel id={id} label={props.label} hint={props.hint} error={props.error} />
      <textarea
        id={id}
        name={props.name}
        rows={String(props.rows ?? 5)}
        maxlength={props.maxlength === undefined ? undefined : String(props.maxlength)}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        safe
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

/**
 * Errors at the top of a form, each linking to its field (ids are `field-<name>`
 * unless `idFor` says otherwise). The reader script focuses it on load
 * (`data-error-summary`), and the layout starts the page title with "Error:".
 */
export function ErrorSummary(props: { errors: FieldErrors; message?: string | undefined; idFor?: (name: string) => string }): JSX.Element {
  const entries = Object.entries(props.errors).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (entries.length === 0 && !props.message) return '';
  return (
    <div class="notice notice--error" role="alert" tabindex="-1" data-error-summary>
      <p safe>{props.message ?? 'Please correct the following:'}</p>
      {entries.length > 0 ? (
        <ul>
          {entries.map(([name, text]) => (
            <li>
              <a href={`#${props.idFor ? props.idFor(name) : `field-${name}`}`} safe>
                {text}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </div>
  );
}

export function Notice(props: { kind: 'success' | 'info'; text: string }): JSX.Element {
  return (
    <div class={`notice notice--${props.kind}`} role="status" aria-live="polite">
      <p safe>{props.text}</p>
    </div>
  );
}
