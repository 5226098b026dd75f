import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendHtml, wantsJson } from '../../web/http.js';
import { AppError } from '../../web/errors.js';
import { isId } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import { RateLimitedError } from '../../web/key-limit.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { clearSessionCookie, csrfToken, setSessionCookie, SESSION_COOKIE, viewerKind } from '../../web/viewer.js';
import { readerOf, requireReader } from '../access/index.js';
import { safeNext, TokenError, type AccountsService, type Continuation } from './accounts.service.js';
import { PENDING_COOKIE, pendingCookieOptions, twoFactorRoutes } from './two-factor.routes.js';
import {
  changeEmailSchema,
  changePasswordSchema,
  deleteAccountSchema,
  linkTokenSchema,
  rememberSchema,
  emailOnlySchema,
  fieldErrors,
  newPasswordSchema,
  profileSchema,
  signInSchema,
  signUpSchema,
} from './accounts.schemas.js';
import {
  AccountPage,
  CheckEmailPage,
  ConfirmLinkPage,
  ConfirmVerifyPage,
  DeleteAccountPage,
  EmailOnlyPage,
  MessagePage,
  NewPasswordPage,
  SignInPage,
  SignUpPage,
  emptyForm,
  type FormState,
} from './views/account-pages.js';

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
  secureCookies: boolean | 'auto';
  /** Runs after every sign-in, e.g. to save the bookmark a visitor asked for before signing up. */
  afterSignIn?: (userId: string, continuation: Continuation) => Promise<string | void>;
  /** Extra data for the export (bookmarks...), from other modules. */
  exportExtra?: (userId: string) => Promise<Record<string, unknown>>;
}

/** A form's fields as the route's schema let them through: text, or absent. */
type Body = Record<string, string | undefined>;

const limit = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 minute' } } });

// What each route takes. The fields stay optional text here: the forms' own rules
// (accounts.schemas.ts) check them in the handler, so a refused form comes back
// with every message beside its field and what was typed kept.
const text = z.string().optional();
const continuationFields = { next: text, bookmark: text };
const continuationQuery = z.object(continuationFields);
const tokenQuery = z.object({ token: text });
const noticeQuery = z.object({ notice: z.string().default('') });
const signUpBody = z.object({ ...continuationFields, displayName: text, email: text, password: text, birthYear: text });
const signInBody = z.object({ ...continuationFields, email: text, password: text, remember: text });
const emailBody = z.object({ ...continuationFields, email: text });
const newPasswordBody = z.object({ token: text, password: text });
const profileBody = z.object({ displayName: text });
const changePasswordBody = z.object({ current: text, password: text });
const changeEmailBody = z.object({ email: text, password: text });
const deleteBody = z.object({ password: text, confirm: text });

/** The token of an email link; a missing or malformed one is "not valid" (400). */
function tokenFrom(source: { token?: string | undefined }): string {
  const result = linkTokenSchema.safeParse(source);
  if (!result.success) throw new TokenError('invalid');
  return result.data.token;
}

function continuationFrom(source: { next?: string | undefined; bookmark?: string | undefined }): Continuation {
  const { bookmark } = source;
  return { next: safeNext(source.next), bookmark: bookmark !== undefined && isId(bookmark) ? bookmark : undefined };
}

function values(body: Body, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, (body[k] ?? '').slice(0, 300)]));
}

/**
 * Checks a body against the route's schema. A form gets its errors back to
 * show beside the fields (422 with the typed values); a JSON client gets an
 * RFC 9457 problem (422) that lists them.
 */
function parse<T extends z.ZodTypeAny>(
  request: FastifyRequest,
  schema: T,
  body: Body,
): { ok: true; data: z.infer<T> } | { ok: false; errors: Record<string, string> } {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const errors = fieldErrors(result.error);
  if (wantsJson(request)) throw new AppError(422, 'invalid_input', Object.values(errors).join(' '), 'Some values are not valid');
  return { ok: false, errors };
}

export async function accountsRoutes(fastify: FastifyInstance, opts: AccountsRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { accounts, pageContext } = opts;
  const ctxFor = (request: FastifyRequest, path: string) => pageContext(path, viewerKind(request.viewer));
  const csrf = { preValidation: app.csrfProtection };
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    page: (ctx: PageContext) => JSX.Element,
    status = 200,
  ) => sendHtml(reply, await page(await ctxFor(request, path)), status);

  /** Makes the session (the sign-in's last step) and answers where to go next. */
  async function startSession(
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    persistent: boolean,
    continuation: Continuation,
  ): Promise<string> {
    // Where to go is settled before the session exists, so nothing after it can fail half-way.
    const redirect = safeNext((await opts.afterSignIn?.(userId, continuation)) ?? continuation.next);
    // A fresh session at every sign-in: a session id planted before it is worthless.
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await accounts.signOut(previous);
    const session = await accounts.createSession(userId, persistent, { userAgent: request.headers['user-agent'], ip: request.ip });
    setSessionCookie(reply, session.token, persistent, session.expiresAt, opts.secureCookies);
    return redirect;
  }

  /**
   * The password or email link was right. With two-factor sign-in on (or due, for
   * the roles that require it) the browser gets a short-lived pending token and
   * the second step; otherwise the session starts now.
   */
  async function signIn(request: FastifyRequest, reply: FastifyReply, userId: string, persistent: boolean, continuation: Continuation) {
    const pending = await accounts.beginSecondStep(userId, persistent, continuation);
    if (pending) {
      reply.setCookie(PENDING_COOKIE, pending.token, pendingCookieOptions(opts.secureCookies));
      return reply.redirect(pending.step === 'code' ? '/account/two-factor' : '/account/two-factor/setup', 303);
    }
    return reply.redirect(await startSession(request, reply, userId, persistent, continuation), 303);
  }

  // Per-address limits (see AccountsService): say when to come back, then let the site's handler answer.
  app.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    throw error;
  });

  // The account's own pages: visitors sign in first and come back.
  const signedIn = requireReader();

  // --- sign up and verification ---
  app.get('/account/sign-up', { schema: { querystring: continuationQuery } }, async (request, reply) => {
    const c = continuationFrom(request.query);
    if (request.viewer) return reply.redirect(c.next, 303);
    return render(request, reply, '/account/sign-up', (ctx) => SignUpPage({ ctx, form: emptyForm, csrf: csrfToken(reply), ...c }));
  });

  app.post('/account/sign-up', { schema: { body: signUpBody }, ...csrf, ...limit(10) }, async (request, reply) => {
    const c = continuationFrom(request.body);
    const parsed = parse(request, signUpSchema, request.body);
    if (!parsed.ok) {
      const form: FormState = { values: values(request.body, ['email', 'displayName', 'birthYear']), errors: parsed.errors };
      return render(request, reply, '/account/sign-up', (ctx) => SignUpPage({ ctx, form, csrf: csrfToken(reply), ...c }), 422);
    }
    await accounts.signUp(parsed.data, c);
    return render(request, reply, '/account/sign-up', (ctx) => CheckEmailPage({ ctx, email: parsed.data.email, purpose: 'verify' }));
  });

  // Opening the link only shows a button. Signing in on a plain GET would let
  // anyone who gets a browser to open their own link sign it in to their account
  // (login CSRF); and a browser signed in to another account stays in it.
  app.get('/account/verify', { schema: { querystring: tokenQuery } }, async (request, reply) => {
    const token = tokenFrom(request.query);
    const { email, userId } = await accounts.peekToken(token, 'verify_email');
    const signedInAs = request.viewer && request.viewer.userId !== userId ? request.viewer.displayName : null;
    return render(request, reply, '/account/verify', (ctx) => ConfirmVerifyPage({ ctx, csrf: csrfToken(reply), token, email, signedInAs }));
  });

  app.post('/account/verify', { schema: { body: tokenQuery }, ...csrf, ...limit(10) }, async (request, reply) => {
    const { userId, continuation } = await accounts.verifyEmail(tokenFrom(request.body));
    const viewer = request.viewer;
    if (viewer && viewer.userId !== userId) {
      return render(request, reply, '/account/verify', (ctx) =>
        MessagePage({
          ctx,
          title: 'Email address confirmed',
          text: `The address is confirmed. You are still signed in as ${viewer.displayName}: to use the account you just confirmed, sign out, then sign in with it.`,
        }),
      );
    }
    if (viewer) return reply.redirect(safeNext((await opts.afterSignIn?.(userId, continuation)) ?? continuation.next), 303);
    return signIn(request, reply, userId, false, continuation);
  });

  // --- sign in and out ---
  app.get('/account/sign-in', { schema: { querystring: continuationQuery } }, async (request, reply) => {
    const c = continuationFrom(request.query);
    if (request.viewer) return reply.redirect(c.next, 303);
    return render(request, reply, '/account/sign-in', (ctx) => SignInPage({ ctx, form: emptyForm, csrf: csrfToken(reply), ...c }));
  });

  app.post('/account/sign-in', { schema: { body: signInBody }, ...csrf, ...limit(10) }, async (request, reply) => {
    const c = continuationFrom(request.body);
    const form: FormState = { values: values(request.body, ['email', 'remember']), errors: {} };
    const parsed = parse(request, signInSchema, request.body);
    if (!parsed.ok) {
      return render(
        request,
        reply,
        '/account/sign-in',
        (ctx) => SignInPage({ ctx, form: { ...form, errors: parsed.errors }, csrf: csrfToken(reply), ...c }),
        422,
      );
    }
    const result = await accounts.checkPassword(parsed.data.email, parsed.data.password, c);
    if (result === 'unverified') {
      return render(request, reply, '/account/sign-in', (ctx) => CheckEmailPage({ ctx, email: parsed.data.email, purpose: 'verify' }));
    }
    if (result === null) {
      const message = 'That email and password do not match an account. Check them, or use a sign-in link instead.';
      return render(
        request,
        reply,
        '/account/sign-in',
        (ctx) => SignInPage({ ctx, form: { ...form, message }, csrf: csrfToken(reply), ...c }),
        401,
      );
    }
    return signIn(request, reply, result, rememberSchema.parse(request.body).remember === '1', c);
  });

  app.post('/account/sign-out', csrf, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await accounts.signOut(token);
    clearSessionCookie(reply, opts.secureCookies);
    return reply.redirect('/', 303);
  });

  app.post('/account/sign-out-everywhere', { ...csrf, onRequest: signedIn }, async (request, reply) => {
    await accounts.signOutEverywhere(readerOf(request).userId);
    clearSessionCookie(reply, opts.secureCookies);
    return render(request, reply, '/account/sign-out-everywhere', (ctx) =>
      MessagePage({
        ctx: { ...ctx, viewer: 'anonymous' },
        title: 'Signed out everywhere',
        text: 'Every session of your account has ended, on every device.',
        link: { href: '/account/sign-in', label: 'Sign in again' },
      }),
    );
  });

  // --- sign-in links ---
  app.get('/account/sign-in/link', { schema: { querystring: continuationQuery } }, async (request, reply) => {
    const c = continuationFrom(request.query);
    return render(request, reply, '/account/sign-in/link', (ctx) =>
      EmailOnlyPage({
        ctx,
        form: emptyForm,
        csrf: csrfToken(reply),
        title: 'Sign in with a link',
        lead: 'We email you a link that signs you in: no password needed.',
        action: '/account/sign-in/link',
        button: 'Email me a link',
        ...c,
      }),
    );
  });

  app.post('/account/sign-in/link', { schema: { body: emailBody }, ...csrf, ...limit(5) }, async (request, reply) => {
    const c = continuationFrom(request.body);
    const parsed = parse(request, emailOnlySchema, request.body);
    if (!parsed.ok) {
      const form = { values: values(request.body, ['email']), errors: parsed.errors };
      return render(
        request,
        reply,
        '/account/sign-in/link',
        (ctx) =>
          EmailOnlyPage({
            ctx,
            form,
            csrf: csrfToken(reply),
            title: 'Sign in with a link',
            lead: 'We email you a link that signs you in: no password needed.',
            action: '/account/sign-in/link',
            button: 'Email me a link',
            ...c,
          }),
        422,
      );
    }
    await accounts.requestMagicLink(parsed.data.email, c);
    return render(request, reply, '/account/sign-in/link', (ctx) => CheckEmailPage({ ctx, email: parsed.data.email, purpose: 'link' }));
  });

  // Opening the link shows a button: mail scanners that fetch links do not use it up.
  app.get('/account/link', { schema: { querystring: tokenQuery } }, async (request, reply) => {
    const token = tokenFrom(request.query);
    await accounts.peekToken(token, 'magic_link');
    return render(request, reply, '/account/link', (ctx) => ConfirmLinkPage({ ctx, csrf: csrfToken(reply), token }));
  });

  app.post('/account/link', { schema: { body: tokenQuery }, ...csrf, ...limit(10) }, async (request, reply) => {
    const { userId, continuation } = await accounts.consumeMagicLink(tokenFrom(request.body));
    return signIn(request, reply, userId, false, continuation);
  });

  // --- password reset ---
  const resetPage = (reply: FastifyReply, form: FormState) => (ctx: PageContext) =>
    EmailOnlyPage({
      ctx,
      form,
      csrf: csrfToken(reply),
      title: 'Forgot your password?',
      lead: 'Enter the email address of your account and we will send you a link to choose a new password.',
      action: '/account/reset',
      button: 'Send the link',
    });

  app.get('/account/reset', async (request, reply) => render(request, reply, '/account/reset', resetPage(reply, emptyForm)));

  app.post('/account/reset', { schema: { body: emailBody }, ...csrf, ...limit(5) }, async (request, reply) => {
    const parsed = parse(request, emailOnlySchema, request.body);
    if (!parsed.ok)
      return render(
        request,
        reply,
        '/account/reset',
        resetPage(reply, { values: values(request.body, ['email']), errors: parsed.errors }),
        422,
      );
    await accounts.requestPasswordReset(parsed.data.email);
    return render(request, reply, '/account/reset', (ctx) => CheckEmailPage({ ctx, email: parsed.data.email, purpose: 'reset' }));
  });

  app.get('/account/reset/new', { schema: { querystring: tokenQuery } }, async (request, reply) => {
    const token = tokenFrom(request.query);
    await accounts.peekToken(token, 'reset_password');
    return render(request, reply, '/account/reset/new', (ctx) => NewPasswordPage({ ctx, form: emptyForm, csrf: csrfToken(reply), token }));
  });

  app.post('/account/reset/new', { schema: { body: newPasswordBody }, ...csrf, ...limit(10) }, async (request, reply) => {
    const token = tokenFrom(request.body);
    const parsed = parse(request, newPasswordSchema, request.body);
    if (!parsed.ok) {
      await accounts.peekToken(token, 'reset_password');
      return render(
        request,
        reply,
        '/account/reset/new',
        (ctx) => NewPasswordPage({ ctx, form: { values: {}, errors: parsed.errors }, csrf: csrfToken(reply), token }),
        422,
      );
    }
    const userId = await accounts.resetPassword(token, parsed.data.password);
    return signIn(request, reply, userId, false, { next: '/account?notice=password' });
  });

  // --- my account ---
  const notices: Record<string, string> = {
    profile: 'Your profile is saved.',
    password: 'Your password is changed.',
    email: 'Your email address is changed.',
    'two-factor-off': 'Two-factor sign-in is off.',
    session: 'That session is signed out.',
  };

  const noticeFor = (key: string) => (Object.hasOwn(notices, key) ? notices[key] : undefined);

  const accountPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    forms: Partial<Record<'profile' | 'email' | 'password' | 'twoFactor', FormState>>,
    status = 200,
    notice?: string,
  ) => {
    const viewer = readerOf(request);
    const [account, twoFactor, sessions] = await Promise.all([
      accounts.account(viewer.userId),
      accounts.twoFactor.state(viewer.userId),
      accounts.sessionsOf(viewer.userId, viewer.sessionId),
    ]);
    return render(
      request,
      reply,
      '/account',
      (ctx) =>
        AccountPage({
          ctx,
          account: { ...account, staffProfile: viewer.staff },
          csrf: csrfToken(reply),
          notice,
          forms: { profile: emptyForm, email: emptyForm, password: emptyForm, twoFactor: emptyForm, ...forms },
          twoFactor,
          sessions,
        }),
      status,
    );
  };

  app.get('/account', { schema: { querystring: noticeQuery }, onRequest: signedIn }, async (request, reply) =>
    accountPage(request, reply, {}, 200, noticeFor(request.query.notice)),
  );

  await twoFactorRoutes(fastify, {
    accounts,
    secureCookies: opts.secureCookies,
    render,
    signedIn,
    startSession,
    accountPage: (request, reply, form, status) => accountPage(request, reply, { twoFactor: form }, status),
  });

  app.post('/account/profile', { schema: { body: profileBody }, ...csrf, onRequest: signedIn }, async (request, reply) => {
    const parsed = parse(request, profileSchema, request.body);
    if (!parsed.ok)
      return accountPage(request, reply, { profile: { values: values(request.body, ['displayName']), errors: parsed.errors } }, 422);
    await accounts.updateProfile(readerOf(request).userId, parsed.data.displayName);
    return reply.redirect('/account?notice=profile', 303);
  });

  app.post(
    '/account/password',
    { schema: { body: changePasswordBody }, ...csrf, ...limit(10), onRequest: signedIn },
    async (request, reply) => {
      const parsed = parse(request, changePasswordSchema, request.body);
      if (!parsed.ok) return accountPage(request, reply, { password: { values: {}, errors: parsed.errors } }, 422);
      if (
        !(await accounts.changePassword(readerOf(request).userId, parsed.data.current, parsed.data.password, readerOf(request).sessionId))
      ) {
        return accountPage(request, reply, { password: { values: {}, errors: { current: 'That is not your current password.' } } }, 422);
      }
      return reply.redirect('/account?notice=password', 303);
    },
  );

  app.post('/account/email', { schema: { body: changeEmailBody }, ...csrf, ...limit(5), onRequest: signedIn }, async (request, reply) => {
    const parsed = parse(request, changeEmailSchema, request.body);
    const form = { values: values(request.body, ['email']), errors: {} };
    if (!parsed.ok) return accountPage(request, reply, { email: { ...form, errors: parsed.errors } }, 422);
    if (!(await accounts.requestEmailChange(readerOf(request).userId, parsed.data.email, parsed.data.password))) {
      return accountPage(request, reply, { email: { ...form, errors: { password: 'That is not your current password.' } } }, 422);
    }
    return render(request, reply, '/account/email', (ctx) => CheckEmailPage({ ctx, email: parsed.data.email, purpose: 'change' }));
  });

  app.get('/account/email/confirm', { schema: { querystring: tokenQuery } }, async (request, reply) => {
    const userId = await accounts.confirmEmailChange(tokenFrom(request.query), request.viewer?.sessionId);
    if (request.viewer && request.viewer.userId !== userId) {
      // Another account's browser: its session was not that account's to keep.
      return render(request, reply, '/account/email/confirm', (ctx) =>
        MessagePage({
          ctx,
          title: 'Email address changed',
          text: 'That account now uses the new address. You are still signed in to your own account.',
        }),
      );
    }
    return request.viewer
      ? reply.redirect('/account?notice=email', 303)
      : render(request, reply, '/account/email/confirm', (ctx) =>
          MessagePage({
            ctx,
            title: 'Email address changed',
            text: 'Your account now uses the new address.',
            link: { href: '/account/sign-in', label: 'Sign in' },
          }),
        );
  });

  app.get('/account/export.json', { onRequest: signedIn }, async (request, reply) => {
    const userId = readerOf(request).userId;
    const data = await accounts.exportData(userId, (await opts.exportExtra?.(userId)) ?? {});
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="harbinger-account.json"')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2));
  });

  app.get('/account/delete', { onRequest: signedIn }, async (request, reply) => {
    const account = await accounts.account(readerOf(request).userId);
    return render(request, reply, '/account/delete', (ctx) =>
      DeleteAccountPage({ ctx, csrf: csrfToken(reply), hasPassword: account.hasPassword }),
    );
  });

  app.post('/account/delete', { schema: { body: deleteBody }, ...csrf, ...limit(10), onRequest: signedIn }, async (request, reply) => {
    const userId = readerOf(request).userId;
    const account = await accounts.account(userId);
    const parsed = parse(request, deleteAccountSchema, request.body);
    const fields = parsed.ok ? parsed.data : {};
    const confirmed = account.hasPassword
      ? await accounts.checkPasswordOf(userId, fields.password ?? '')
      : (fields.confirm ?? '').trim().toUpperCase() === 'DELETE';
    if (!confirmed) {
      const error = parsed.ok
        ? account.hasPassword
          ? 'That is not your password.'
          : 'Type DELETE to confirm.'
        : Object.values(parsed.errors)[0];
      return render(
        request,
        reply,
        '/account/delete',
        (ctx) => DeleteAccountPage({ ctx, csrf: csrfToken(reply), hasPassword: account.hasPassword, error }),
        422,
      );
    }
    await accounts.deleteAccount(userId);
    clearSessionCookie(reply, opts.secureCookies);
    return render(request, reply, '/account/delete', (ctx) =>
      MessagePage({
        ctx: { ...ctx, viewer: 'anonymous' },
        title: 'Your account is deleted',
        text: 'Your account and everything stored with it are gone. Thank you for reading.',
      }),
    );
  });
}
