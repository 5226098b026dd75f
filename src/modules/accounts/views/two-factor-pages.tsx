// Two-factor sign-in's pages (the code step, set-up, recovery codes shown once)
// and the account page's sections for it and for the list of sessions.
import { formatShortInZone } from '../../../lib/dates.js';
import { CsrfField, ErrorSummary, Field, Notice } from '../../../web/forms.js';
import { FormPage } from '../../../web/form-page.js';
import type { PageContext } from '../../../web/page-context.js';
import type { SessionEntry } from '../accounts.service.js';
import type { TwoFactorState } from '../two-factor.service.js';
import type { FormState } from './account-pages.js';

const ZONE = 'Europe/London';
const when = (iso: string) => `${formatShortInZone(iso, ZONE)} (UK time)`;

function CodeField(props: { form: FormState; id?: string; recovery?: boolean }): JSX.Element {
  return (
    <Field
      id={props.id ?? 'field-code'}
      label={props.recovery ? 'Code' : 'Six-digit code'}
      name="code"
      value={props.form.values.code}
      error={props.form.errors.code}
      autocomplete="one-time-code"
      inputmode={props.recovery ? 'text' : 'numeric'}
      maxlength={40}
      required
      hint={
        props.recovery
          ? 'The six-digit code your authenticator app shows now, or one of your recovery codes.'
          : 'The code your authenticator app shows now.'
      }
    />
  );
}

/** The second step of signing in. */
export function TwoFactorCodePage(props: { ctx: PageContext; form: FormState; csrf: string }): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title="Enter your code" lead="Your account uses two-factor sign-in. Open your authenticator app.">
      <ErrorSummary errors={props.form.errors} message={props.form.message} />
      <form method="post" action="/account/two-factor" novalidate>
        <CsrfField token={props.csrf} />
        <CodeField form={props.form} recovery />
        <button type="submit" class="button">
          Sign in
        </button>
      </form>
      <p class="field__hint">
        Lost your phone? Type one of the recovery codes you kept when you set two-factor sign-in up: each works once.
      </p>
    </FormPage>
  );
}

/** "ABCD EFGH ...": a secret in groups of four, easier to type into an app by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function TwoFactorSetupPage(props: {
  ctx: PageContext;
  form: FormState;
  csrf: string;
  secret: string;
  uri: string;
  required: boolean;
  next?: string | undefined;
}): JSX.Element {
  return (
    <FormPage
      ctx={props.ctx}
      title="Set up two-factor sign-in"
      lead="Signing in will then take your password (or an email link) and a code from an app on your phone."
    >
      {props.required ? (
        <Notice
          kind="info"
          text="Your role in the newsroom looks after young writers’ work and data, so your account needs two-factor sign-in before you can use the newsroom."
        />
      ) : (
        ''
      )}
      <ErrorSummary errors={props.form.errors} message={props.form.message} />
      <ol class="steps">
        <li>
          <p>
            Open an authenticator app (for example Aegis, Google Authenticator, Microsoft Authenticator, 1Password or Bitwarden) and add an
            account. Type this key into it (a time-based key, 6 digits, every 30 seconds):
          </p>
          <p>
            <code class="secret" id="two-factor-key" safe>
              {grouped(props.secret)}
            </code>
          </p>
          <p>Or, if your app takes a link, use this one:</p>
          <p>
            <code class="secret secret--uri" safe>
              {props.uri}
            </code>
          </p>
        </li>
        <li>
          <p>Type the six-digit code the app now shows, to show that it has the key.</p>
          <form method="post" action="/account/two-factor/setup" novalidate>
            <CsrfField token={props.csrf} />
            {props.next ? <input type="hidden" name="next" value={props.next} /> : ''}
            <CodeField form={props.form} />
            <button type="submit" class="button">
              Turn on two-factor sign-in
            </button>
          </form>
        </li>
      </ol>
    </FormPage>
  );
}

/** Shown once, right after set-up or renewal: the codes are not kept in clear anywhere. */
export function RecoveryCodesPage(props: { ctx: PageContext; codes: string[]; next: string; renewed: boolean }): JSX.Element {
  return (
    <FormPage
      ctx={props.ctx}
      title="Your recovery codes"
      lead="If you lose your phone, each of these codes signs you in once instead of the app’s code."
    >
      <div role="status" aria-live="polite">
        <p>
          {props.renewed ? 'New recovery codes are ready: the old ones no longer work.' : 'Two-factor sign-in is on.'}{' '}
          <strong>Save these codes now</strong> (print them, or keep them in a password manager): this page is the only time they are shown.
        </p>
      </div>
      <ul class="recovery-codes">
        {props.codes.map((code) => (
          <li>
            <code safe>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href={props.next}>
          I have saved them: continue
        </a>
      </p>
    </FormPage>
  );
}

/** The account page's two-factor section. */
export function TwoFactorSection(props: { state: TwoFactorState; hasPassword: boolean; csrf: string; form: FormState }): JSX.Element {
  const { state, form } = props;
  const confirmField = (id: string) =>
    props.hasPassword ? (
      <Field
        id={`${id}-password`}
        label="Your password, to confirm"
        name="password"
        type="password"
        error={form.errors.password}
        autocomplete="current-password"
        required
      />
    ) : (
      <CodeField form={form} id={`${id}-code`} />
    );
  return (
    <section aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor sign-in</h2>
      <ErrorSummary
        errors={form.errors}
        message={form.message}
        idFor={(name) => (name === 'password' ? 'two-factor-disable-password' : 'two-factor-disable-code')}
      />
      {state.enabled ? (
        <>
          <p>
            On: signing in asks for a code from your authenticator app. Recovery codes left:{' '}
            <strong safe>{String(state.recoveryCodesLeft)}</strong> of 10.
          </p>
          {state.required ? (
            <p class="field__hint">Your role in the newsroom requires two-factor sign-in, so it cannot be turned off.</p>
          ) : (
            <form method="post" action="/account/two-factor/disable" novalidate>
              <CsrfField token={props.csrf} />
              {confirmField('two-factor-disable')}
              <button type="submit" class="button button--danger">
                Turn off two-factor sign-in
              </button>
            </form>
          )}
          <form method="post" action="/account/two-factor/recovery-codes" novalidate>
            <CsrfField token={props.csrf} />
            {props.hasPassword ? (
              <Field
                id="two-factor-renew-password"
                label="Your password, to renew the recovery codes"
                name="password"
                type="password"
                autocomplete="current-password"
                required
              />
            ) : (
              <CodeField form={{ values: {}, errors: {} }} id="two-factor-renew-code" />
            )}
            <button type="submit" class="button button--secondary">
              Make new recovery codes
            </button>
          </form>
          <p class="field__hint">New codes replace the old ones, used or not.</p>
        </>
      ) : (
        <>
          <p>
            Off.{' '}
            {state.required
              ? 'Your role in the newsroom requires it: set it up before you use the newsroom.'
              : 'With it on, signing in also takes a code from an app on your phone, so a stolen password is not enough.'}
          </p>
          <p>
            <a class="button" href="/account/two-factor/setup">
              Set up two-factor sign-in
            </a>
          </p>
        </>
      )}
    </section>
  );
}

/** The account page's list of signed-in sessions. */
export function SessionsSection(props: { sessions: SessionEntry[]; csrf: string }): JSX.Element {
  return (
    <section aria-labelledby="devices-heading">
      <h2 id="devices-heading">Where you are signed in</h2>
      {props.sessions.length === 0 ? (
        <p>No other sessions.</p>
      ) : (
        <ul class="session-list">
          {props.sessions.map((s) => (
            <li class="session-list__item">
              <p>
                <strong safe>{s.device}</strong>
                {s.current ? ' (this device)' : ''}
                {s.place ? (
                  <>
                    {' · '}
                    <span safe>{s.place}</span>
                  </>
                ) : (
                  ''
                )}
              </p>
              <p class="field__hint">
                Signed in <span safe>{when(s.createdAt)}</span>
                {s.lastSeenAt ? (
                  <>
                    {' · last seen '}
                    <span safe>{when(s.lastSeenAt)}</span>
                  </>
                ) : (
                  ''
                )}
              </p>
              {s.current ? (
                ''
              ) : (
                <form method="post" action={`/account/sessions/${s.id}/sign-out`} class="inline-form">
                  <CsrfField token={props.csrf} />
                  <button
                    type="submit"
                    class="button button--secondary"
                    aria-label={`Sign out this session: ${s.device}, ${when(s.createdAt)}`}
                  >
                    Sign out this session
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
