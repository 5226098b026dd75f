// Two-factor sign-in's routes: the code step of a sign-in, setting it up (during
// a sign-in, for the roles that require it, or from the account page), renewing
// the recovery codes, turning it off, and signing out one of the account's sessions.
// Every form is a plain POST that works without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PageContext } from '../../web/page-context.js';
import { csrfToken, clearSessionCookie } from '../../web/viewer.js';
import { zodRoutes } from '../../web/zod.js';
import { readerOf } from '../access/index.js';
import { safeNext, TokenError, type AccountsService, type Continuation, type PendingSignIn } from './accounts.service.js';
import { emptyForm, MessagePage, type FormState } from './views/account-pages.js';
import { RecoveryCodesPage, TwoFactorCodePage, TwoFactorSetupPage } from './views/two-factor-pages.js';

/** The pending sign-in's token: only the two-factor pages read it, and it lasts ten minutes. */
export const PENDING_COOKIE = 'hb_2fa';

export function pendingCookieOptions(secure: boolean | 'auto') {
  return { path: '/account', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: 10 * 60 };
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

export interface TwoFactorRoutesOptions {
  accounts: AccountsService;
  secureCookies: boolean | 'auto';
  render: (
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    page: (ctx: PageContext) => JSX.Element,
    status?: number,
  ) => Promise<FastifyReply>;
  signedIn: Guard;
  startSession: (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    persistent: boolean,
    continuation: Continuation,
  ) => Promise<string>;
  accountPage: (request: FastifyRequest, reply: FastifyReply, form: FormState, status: number) => Promise<FastifyReply>;
}

const text = z.string().optional();
const codeBody = z.object({ code: text, next: text });
const confirmBody = z.object({ password: text, code: text });
const nextQuery = z.object({ next: text });
const sessionParams = z.object({ id: z.string().min(1).max(100) });
const limit = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 minute' } } });

const WRONG_CODE = 'That code is not right. Type the code your app shows now (each code works once), or a recovery code.';
const WRONG_SETUP_CODE = 'That code is not right. Check that the app has the key above and type the code it shows now.';

export async function twoFactorRoutes(fastify: FastifyInstance, opts: TwoFactorRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { accounts, render, signedIn } = opts;
  const csrf = { preValidation: app.csrfProtection };

  /** The sign-in waiting for its second step, or null when the browser has none (or it ran out). */
  async function pendingOf(request: FastifyRequest): Promise<PendingSignIn | null> {
    try {
      return await accounts.pendingSignIn(request.cookies[PENDING_COOKIE]);
    } catch (err) {
      if (err instanceof TokenError) return null;
      throw err;
    }
  }

  const timedOut = (request: FastifyRequest, reply: FastifyReply) => {
    reply.clearCookie(PENDING_COOKIE, pendingCookieOptions(opts.secureCookies));
    return render(
      request,
      reply,
      '/account/two-factor',
      (ctx) =>
        MessagePage({
          ctx,
          title: 'Sign in again',
          text: 'This sign-in is no longer waiting for a code: it took over ten minutes, or it was finished already. Sign in again to continue.',
          link: { href: '/account/sign-in', label: 'Sign in' },
        }),
      400,
    );
  };

  /** The pending token is used up and the session starts: where to go next. */
  async function finish(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const done = await accounts.finishSecondStep(request.cookies[PENDING_COOKIE] ?? '');
    reply.clearCookie(PENDING_COOKIE, pendingCookieOptions(opts.secureCookies));
    return opts.startSession(request, reply, done.userId, done.persistent, done.continuation);
  }

  // --- the code step of a sign-in ---
  const codePage = (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) =>
    render(request, reply, '/account/two-factor', (ctx) => TwoFactorCodePage({ ctx, form, csrf: csrfToken(reply) }), status);

  app.get('/account/two-factor', async (request, reply) => {
    const pending = await pendingOf(request);
    if (!pending) return request.viewer ? reply.redirect('/account', 303) : timedOut(request, reply);
    if (pending.step === 'setup') return reply.redirect('/account/two-factor/setup', 303);
    return codePage(request, reply, emptyForm);
  });

  app.post('/account/two-factor', { schema: { body: codeBody }, ...csrf, ...limit(10) }, async (request, reply) => {
    const pending = await pendingOf(request);
    if (!pending) return timedOut(request, reply);
    if (pending.step === 'setup') return reply.redirect('/account/two-factor/setup', 303);
    const code = (request.body.code ?? '').slice(0, 40);
    if (!code.trim()) return codePage(request, reply, { values: {}, errors: { code: 'Type the code your app shows.' } }, 422);
    if (!(await accounts.twoFactor.verify(pending.userId, code)))
      return codePage(request, reply, { values: { code }, errors: { code: WRONG_CODE } }, 422);
    return reply.redirect(await finish(request, reply), 303);
  });

  // --- setting it up: during a sign-in that requires it, or from the account page ---
  /** Whose set-up this is: the pending sign-in's, or the signed-in viewer's. */
  async function setupOf(request: FastifyRequest): Promise<{ userId: string; pending: boolean; required: boolean } | null> {
    const pending = await pendingOf(request);
    if (pending?.step === 'setup') return { userId: pending.userId, pending: true, required: true };
    if (request.viewer)
      return { userId: request.viewer.userId, pending: false, required: await accounts.twoFactor.requiredFor(request.viewer.userId) };
    return null;
  }

  const setupPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    who: { userId: string; required: boolean },
    form: FormState,
    next: string | undefined,
    status = 200,
  ) => {
    const { secret, uri } = await accounts.twoFactor.setupSecret(who.userId);
    return render(
      request,
      reply,
      '/account/two-factor/setup',
      (ctx) => TwoFactorSetupPage({ ctx, form, csrf: csrfToken(reply), secret, uri, required: who.required, next }),
      status,
    );
  };

  app.get('/account/two-factor/setup', { schema: { querystring: nextQuery } }, async (request, reply) => {
    const who = await setupOf(request);
    if (!who) return timedOut(request, reply);
    if (await accounts.twoFactor.isEnabled(who.userId)) return reply.redirect(who.pending ? '/account/two-factor' : '/account', 303);
    const next = request.query.next === undefined ? undefined : safeNext(request.query.next, '/account');
    return setupPage(request, reply, who, emptyForm, next);
  });

  app.post('/account/two-factor/setup', { schema: { body: codeBody }, ...csrf, ...limit(10) }, async (request, reply) => {
    const who = await setupOf(request);
    if (!who) return timedOut(request, reply);
    if (await accounts.twoFactor.isEnabled(who.userId)) return reply.redirect(who.pending ? '/account/two-factor' : '/account', 303);
    const code = (request.body.code ?? '').slice(0, 40);
    const next = request.body.next === undefined ? undefined : safeNext(request.body.next, '/account');
    const codes = await accounts.enableTwoFactor(who.userId, code, who.pending ? undefined : request.viewer?.sessionId);
    if (!codes) {
      const error = code.trim() ? WRONG_SETUP_CODE : 'Type the code your app shows.';
      return setupPage(request, reply, who, { values: { code }, errors: { code: error } }, next, 422);
    }
    const then = who.pending ? await finish(request, reply) : (next ?? '/account');
    return render(request, reply, '/account/two-factor/setup', (ctx) => RecoveryCodesPage({ ctx, codes, next: then, renewed: false }));
  });

  // --- from the account page ---
  app.post(
    '/account/two-factor/recovery-codes',
    { schema: { body: confirmBody }, ...csrf, ...limit(10), onRequest: signedIn },
    async (request, reply) => {
      const viewer = readerOf(request);
      if (!(await accounts.confirmIdentity(viewer.userId, request.body))) {
        const errors = request.body.password !== undefined ? { password: 'That is not your password.' } : { code: WRONG_CODE };
        return opts.accountPage(request, reply, { values: {}, errors }, 422);
      }
      const codes = await accounts.twoFactor.regenerateRecoveryCodes(viewer.userId, viewer.displayName);
      return render(request, reply, '/account/two-factor/recovery-codes', (ctx) =>
        RecoveryCodesPage({ ctx, codes, next: '/account', renewed: true }),
      );
    },
  );

  app.post(
    '/account/two-factor/disable',
    { schema: { body: confirmBody }, ...csrf, ...limit(10), onRequest: signedIn },
    async (request, reply) => {
      const viewer = readerOf(request);
      if (await accounts.twoFactor.requiredFor(viewer.userId)) {
        const message = 'Your role in the newsroom requires two-factor sign-in, so it stays on.';
        return opts.accountPage(request, reply, { values: {}, errors: {}, message }, 403);
      }
      if (!(await accounts.confirmIdentity(viewer.userId, request.body))) {
        const errors = request.body.password !== undefined ? { password: 'That is not your password.' } : { code: WRONG_CODE };
        return opts.accountPage(request, reply, { values: {}, errors }, 422);
      }
      await accounts.twoFactor.disable(viewer.userId, viewer.displayName);
      return reply.redirect('/account?notice=two-factor-off', 303);
    },
  );

  // --- one session ---
  app.post(
    '/account/sessions/:id/sign-out',
    { schema: { params: sessionParams }, ...csrf, onRequest: signedIn },
    async (request, reply) => {
      const viewer = readerOf(request);
      await accounts.signOutSession(viewer.userId, request.params.id);
      if (request.params.id === viewer.sessionId) {
        clearSessionCookie(reply, opts.secureCookies);
        return reply.redirect('/', 303);
      }
      return reply.redirect('/account?notice=session', 303);
    },
  );
}
