import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import { CSRF_SLOT } from '../../../web/slots.js';
import { FormPage } from '../../../web/form-page.js';
import type { SessionEntry } from '../accounts.service.js';
import type { TwoFactorState } from '../two-factor.service.js';
import { SessionsSection, TwoFactorSection } from './two-factor-pages.js';

export interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}

export const emptyForm: FormState = { values: {}, errors: {} };

function Continuation(props: { next: string; bookmark?: string | undefined }): JSX.Element {
  return (
    <>
      <input type="hidden" name="next" value={props.next} />
      {props.bookmark ? <input type="hidden" name="bookmark" value={props.bookmark} /> : ''}
    </>
  );
}

const withNext = (path: string, next: string, bookmark?: string) => {
  const params = new URLSearchParams();
  if (next !== '/') params.set('next', next);
  if (bookmark) params.set('bookmark', bookmark);
  const q = params.toString();
  return q ? `${path}?${q}` : path;
};

/** The sign-up fields, shared by the sign-up page and the registration wall. */
export function SignUpFields(props: {
  form: FormState;
  csrf: string | null;
  next: string;
  bookmark?: string | undefined;
  idPrefix?: string;
}): JSX.Element {
  const { values, errors } = props.form;
  const p = props.idPrefix ?? '';
  return (
    <>
      {props.csrf === null ? CSRF_SLOT : <CsrfField token={props.csrf} />}
      <Continuation next={props.next} bookmark={props.bookmark} />
      <Field
        id={`${p}field-displayName`}
        label="Your name"
        name="displayName"
        value={values.displayName}
        error={errors.displayName}
        autocomplete="nickname"
        required
        maxlength={60}
        hint="Shown only to you; your comments later use it."
      />
      <Field
        id={`${p}field-email`}
        label="Email"
        name="email"
        type="email"
        value={values.email}
        error={errors.email}
        autocomplete="email"
        required
      />
      <Field
        id={`${p}field-password`}
        label="Password"
        name="password"
        type="password"
        error={errors.password}
        autocomplete="new-password"
        required
        hint="At least 10 characters."
      />
      <Field
        id={`${p}field-birthYear`}
        label="Year of birth"
        name="birthYear"
        type="text"
        inputmode="numeric"
        autocomplete="bday-year"
        value={values.birthYear}
        error={errors.birthYear}
        required
        maxlength={4}
        hint="We never show it to anyone: it is how we keep the magazine for readers aged 13 and over."
      />
    </>
  );
}

export function SignUpPage(props: {
  ctx: PageContext;
  form: FormState;
  csrf: string;
  next: string;
  bookmark?: string | undefined;
}): JSX.Element {
  return (
    <FormPage
      ctx={props.ctx}
      title="Create your free account"
      lead="Read every article, bookmark your favourites, enter the Harbinger Prize and get the Weekly Brief."
    >
      <ErrorSummary errors={props.form.errors} message={props.form.message} />
      <form method="post" action="/account/sign-up" novalidate>
        <SignUpFields form={props.form} csrf={props.csrf} next={props.next} bookmark={props.bookmark} />
        <button type="submit" class="button">
          Create account
        </button>
      </form>
      <p>
        Already have an account? <a href={withNext('/account/sign-in', props.next, props.bookmark)}>Sign in</a>
      </p>
    </FormPage>
  );
}

export function CheckEmailPage(props: { ctx: PageContext; email: string; purpose: 'verify' | 'link' | 'reset' | 'change' }): JSX.Element {
  const what = {
    verify: 'To finish creating your account, follow the link in the email we have just sent to',
    link: 'If an account uses this address, we have just sent a sign-in link to',
    reset: 'If an account uses this address, we have just sent a link to choose a new password to',
    change: 'To confirm your new address, follow the link in the email we have just sent to',
  }[props.purpose];
  return (
    <FormPage ctx={props.ctx} title="Check your email">
      <div role="status" aria-live="polite">
        <p>
          <span safe>{what}</span> <strong safe>{props.email}</strong>.
        </p>
      </div>
      <p>The email can take a minute to arrive. Look in your spam folder too. The link works once.</p>
    </FormPage>
  );
}

export function SignInPage(props: {
  ctx: PageContext;
  form: FormState;
  csrf: string;
  next: string;
  bookmark?: string | undefined;
}): JSX.Element {
  const { values, errors } = props.form;
  return (
    <FormPage ctx={props.ctx} title="Sign in">
      <ErrorSummary errors={errors} message={props.form.message} />
      <form method="post" action="/account/sign-in" novalidate>
        <CsrfField token={props.csrf} />
        <Continuation next={props.next} bookmark={props.bookmark} />
        <Field label="Email" name="email" type="email" value={values.email} error={errors.email} autocomplete="email" required />
        <Field label="Password" name="password" type="password" error={errors.password} autocomplete="current-password" required />
        <div class="field field--checkbox">
          <input type="checkbox" id="field-remember" name="remember" value="1" checked={values.remember === '1'} />
          <label for="field-remember">Keep me signed in for 30 days</label>
        </div>
        <button type="submit" class="button">
          Sign in
        </button>
      </form>
      <p>
        <a href={withNext('/account/sign-in/link', props.next, props.bookmark)}>Email me a sign-in link instead</a> ·{' '}
        <a href="/account/reset">Forgot your password?</a>
      </p>
      <p>
        New here? <a href={withNext('/account/sign-up', props.next, props.bookmark)}>Create a free account</a>
      </p>
    </FormPage>
  );
}

export function EmailOnlyPage(props: {
  ctx: PageContext;
  form: FormState;
  csrf: string;
  title: string;
  lead: string;
  action: string;
  button: string;
  next?: string;
  bookmark?: string | undefined;
}): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title={props.title} lead={props.lead}>
      <ErrorSummary errors={props.form.errors} message={props.form.message} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrf} />
        {props.next ? <Continuation next={props.next} bookmark={props.bookmark} /> : ''}
        <Field
          label="Email"
          name="email"
          type="email"
          value={props.form.values.email}
          error={props.form.errors.email}
          autocomplete="email"
          required
        />
        <button type="submit" class="button" safe>
          {props.button}
        </button>
      </form>
    </FormPage>
  );
}

export function ConfirmLinkPage(props: { ctx: PageContext; csrf: string; token: string }): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title="Sign in" lead="You followed a sign-in link from your email.">
      <form method="post" action="/account/link">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="button">
          Sign in now
        </button>
      </form>
    </FormPage>
  );
}

/**
 * Opening a verification link shows this; only the button confirms. It names the
 * address, so nobody is signed in to an account that is not theirs unawares.
 */
export function ConfirmVerifyPage(props: {
  ctx: PageContext;
  csrf: string;
  token: string;
  email: string;
  signedInAs: string | null;
}): JSX.Element {
  return (
    <FormPage
      ctx={props.ctx}
      title="Confirm your email address"
      lead="You followed the link in the email that finishes creating an account."
    >
      <p>
        The account&#39;s address: <strong safe>{props.email}</strong>
      </p>
      {props.signedInAs ? (
        <p>
          You are signed in as <strong safe>{props.signedInAs}</strong>. Confirming this address does not change that: you stay signed in to
          your account.
        </p>
      ) : (
        ''
      )}
      <form method="post" action="/account/verify">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="button">
          {props.signedInAs ? 'Confirm the address' : 'Confirm and sign in'}
        </button>
      </form>
    </FormPage>
  );
}

export function NewPasswordPage(props: { ctx: PageContext; form: FormState; csrf: string; token: string }): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title="Choose a new password">
      <ErrorSummary errors={props.form.errors} message={props.form.message} />
      <form method="post" action="/account/reset/new" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <Field
          label="New password"
          name="password"
          type="password"
          error={props.form.errors.password}
          autocomplete="new-password"
          required
          hint="At least 10 characters."
        />
        <button type="submit" class="button">
          Save the new password
        </button>
      </form>
    </FormPage>
  );
}

export function MessagePage(props: { ctx: PageContext; title: string; text: string; link?: { href: string; label: string } }): JSX.Element {
  return (
    <FormPage ctx={props.ctx} title={props.title}>
      <Notice kind="info" text={props.text} />
      {props.link ? (
        <p>
          <a href={props.link.href} safe>
            {props.link.label}
          </a>
        </p>
      ) : (
        ''
      )}
    </FormPage>
  );
}

export interface AccountView {
  email: string;
  displayName: string;
  hasPassword: boolean;
  /** The newsroom profile linked to the account, if any: the person chooses there how the public sees them. */
  staffProfile: { personId: string; slug: string; name: string } | null;
}

export function AccountPage(props: {
  ctx: PageContext;
  account: AccountView;
  csrf: string;
  notice?: string | undefined;
  forms: Record<'profile' | 'email' | 'password' | 'twoFactor', FormState>;
  twoFactor: TwoFactorState;
  sessions: SessionEntry[];
}): JSX.Element {
  const { account, csrf, forms } = props;
  return (
    <Layout ctx={props.ctx} meta={{ title: 'Your account', description: 'Your account', noIndex: true }}>
      <div class="wrap narrow account">
        <h1>Your account</h1>
        {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
        <p>
          Signed in as <strong safe>{account.displayName}</strong> (<span safe>{account.email}</span>).
          {account.staffProfile ? (
            <>
              {' '}
              Your newsroom profile:{' '}
              <a href={`/people/${account.staffProfile.slug}`} safe>
                {account.staffProfile.name}
              </a>
              . <a href={`/newsroom/people/${account.staffProfile.personId}/byline`}>How you are shown in public</a>
            </>
          ) : (
            ''
          )}
        </p>
        <p>
          <a href="/account/bookmarks">Your bookmarks</a> · <a href="/account/newsletters">Your newsletters</a>
        </p>

        <section aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <ErrorSummary errors={forms.profile.errors} message={forms.profile.message} idFor={(name) => `profile-${name}`} />
          <form method="post" action="/account/profile" novalidate>
            <CsrfField token={csrf} />
            <Field
              id="profile-displayName"
              label="Your name"
              name="displayName"
              value={forms.profile.values.displayName ?? account.displayName}
              error={forms.profile.errors.displayName}
              autocomplete="nickname"
              required
              maxlength={60}
            />
            <button type="submit" class="button">
              Save
            </button>
          </form>
        </section>

        <section aria-labelledby="email-heading">
          <h2 id="email-heading">Email address</h2>
          <ErrorSummary errors={forms.email.errors} message={forms.email.message} idFor={(name) => `email-${name}`} />
          <form method="post" action="/account/email" novalidate>
            <CsrfField token={csrf} />
            <Field
              id="email-email"
              label="New email address"
              name="email"
              type="email"
              value={forms.email.values.email}
              error={forms.email.errors.email}
              autocomplete="email"
              required
              hint="We send a link to the new address; the change happens when you follow it."
            />
            <Field
              id="email-password"
              label="Current password"
              name="password"
              type="password"
              error={forms.email.errors.password}
              autocomplete="current-password"
              required
            />
            <button type="submit" class="button">
              Change email
            </button>
          </form>
        </section>

        <section aria-labelledby="password-heading">
          <h2 id="password-heading">Password</h2>
          <ErrorSummary
            errors={forms.password.errors}
            message={forms.password.message}
            idFor={(name) => (name === 'current' ? 'password-current' : 'password-new')}
          />
          <form method="post" action="/account/password" novalidate>
            <CsrfField token={csrf} />
            <Field
              id="password-current"
              label="Current password"
              name="current"
              type="password"
              error={forms.password.errors.current}
              autocomplete="current-password"
              required
            />
            <Field
              id="password-new"
              label="New password"
              name="password"
              type="password"
              error={forms.password.errors.password}
              autocomplete="new-password"
              required
              hint="At least 10 characters."
            />
            <button type="submit" class="button">
              Change password
            </button>
          </form>
        </section>

        <TwoFactorSection state={props.twoFactor} hasPassword={account.hasPassword} csrf={csrf} form={forms.twoFactor} />

        <SessionsSection sessions={props.sessions} csrf={csrf} />

        <section aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">Signing out</h2>
          <form method="post" action="/account/sign-out" class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="button button--secondary">
              Sign out
            </button>
          </form>
          <form method="post" action="/account/sign-out-everywhere" class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="button button--secondary">
              Sign out everywhere
            </button>
          </form>
          <p class="field__hint">“Sign out everywhere” ends every session of this account, on every device, including this one.</p>
        </section>

        <section aria-labelledby="data-heading">
          <h2 id="data-heading">Your data</h2>
          <p>
            <a href="/account/export.json" download="harbinger-account.json">
              Download everything we store about you (JSON)
            </a>
          </p>
          <p>
            <a href="/account/delete">Delete your account…</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

export function DeleteAccountPage(props: {
  ctx: PageContext;
  csrf: string;
  hasPassword: boolean;
  error?: string | undefined;
}): JSX.Element {
  return (
    <FormPage
      ctx={props.ctx}
      title="Delete your account"
      lead="This removes your account, your bookmarks, your sessions and your newsletter subscriptions. It cannot be undone."
    >
      <ErrorSummary errors={props.hasPassword ? { password: props.error } : { confirm: props.error }} />
      <form method="post" action="/account/delete" novalidate>
        <CsrfField token={props.csrf} />
        {props.hasPassword ? (
          <Field
            label="Your password, to confirm"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            error={props.error}
          />
        ) : (
          <Field label="Type DELETE to confirm" name="confirm" required error={props.error} />
        )}
        <button type="submit" class="button button--danger">
          Delete my account for good
        </button>
      </form>
      <p>
        <a href="/account">Keep my account</a>
      </p>
    </FormPage>
  );
}
