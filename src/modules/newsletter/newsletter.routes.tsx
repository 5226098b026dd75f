// The newsletter's reader-facing routes: the newsletters and their archive, the
// visitors' sign-up, the pages behind the links in our emails (confirm,
// unsubscribe, preferences) and an account's own subscriptions.
//
// Two routes take no CSRF token, on purpose:
// - POST /newsletters/subscribe only ever sends a confirmation email (double
//   opt-in), never reads the session, and answers the same whatever the address;
//   a forged post can do no more than the attacker could by filling the form
//   themselves. Dropping the token keeps the forms on anonymous pages cacheable.
//   Cross-site posts are still refused by their Origin header, and the route is
//   rate limited per client and per address (one confirmation every few minutes).
// - POST /newsletters/unsubscribe/:token is RFC 8058's one-click unsubscribe:
//   mail providers post to it without cookies, so the signed token in the URL is
//   its only (and sufficient) authentication. It accepts any body.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendHtml } from '../../web/http.js';
import { field, list, NOT_FOUND } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken, viewerKind } from '../../web/viewer.js';
import { ForbiddenError, NotFoundError } from '../../web/errors.js';
import { RateLimitedError } from '../../web/key-limit.js';
import { readerOf, requireReader } from '../access/index.js';
import { safeNext } from '../accounts/index.js';
import { isEmailAddress, normaliseEmail } from '../../lib/email.js';
import { newsletterPaths } from './links.js';
import type { SubscriptionStatus } from '../../db/schema.js';
import { SOURCES, type NewsletterService, type Source } from './newsletter.service.js';
import {
  AccountNewslettersPage,
  CheckEmailPage,
  ConfirmPage,
  IssueView,
  MessagePage,
  NewsletterPage,
  NewslettersPage,
  PreferencesPage,
  UnsubscribePage,
} from './views/public-pages.js';

export interface NewsletterRoutesOptions {
  newsletters: NewsletterService;
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>;
  siteUrl: string;
}

const limit = (max: number, listFields: string[] = []) => ({ config: { rateLimit: { max, timeWindow: '1 minute' }, listFields } });
const SLUG_RE = /^[a-z0-9-]{1,80}$/;
const TOKEN_RE = /^[0-9a-f-]{36}\.[A-Za-z0-9_-]{32}$/;

const slugParams = z.object({ slug: z.string().regex(SLUG_RE, NOT_FOUND) });
const issueParams = slugParams.extend({
  number: z
    .string()
    .regex(/^[1-9][0-9]{0,6}$/, NOT_FOUND)
    .transform(Number),
});
/** A link's token; one that cannot be ours is null, and the page says the link is not valid. */
const tokenParams = z.object({ token: z.string().regex(TOKEN_RE).nullable().catch(null) });
/** Where a sign-up came from; an unknown place counts as the page's own. */
const source = (fallback: Source) => z.enum(SOURCES).catch(fallback);

const subscribeBody = z.object({ newsletter: field, email: field, source: source('newsletters'), website: field });
const tokenForm = z.object({ token: field });
const preferencesBody = z.object({ action: field, newsletters: list });
const accountBody = z.object({ next: field, newsletter: field, source: source('account'), action: field });

const emailSchema = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  // Internationalised addresses (josé@exämple.org, 用户@例子.广告) are welcome: see isEmailAddress.
  .transform((value, ctx) =>
    isEmailAddress(value)
      ? normaliseEmail(value)
      : (ctx.addIssue({ code: 'custom', message: 'Enter an email address like name@example.com.' }), z.NEVER),
  );

/** A post from another site's page (its browser says so) is refused; requests without the header (older browsers, tests, curl) pass. */
function assertSameSite(request: FastifyRequest, siteUrl: string): void {
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') throw new ForbiddenError('Sign up on our own pages, please.');
  if (typeof origin === 'string' && origin !== 'null') {
    const host = request.headers.host;
    const ok = origin === new URL(siteUrl).origin || (host !== undefined && new URL(origin).host === host);
    if (!ok) throw new ForbiddenError('Sign up on our own pages, please.');
  }
}

export async function newsletterRoutes(fastify: FastifyInstance, opts: NewsletterRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { newsletters } = opts;
  const csrf = { preValidation: app.csrfProtection };
  const ctxFor = (request: FastifyRequest, path: string) => opts.pageContext(path, viewerKind(request.viewer));
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    page: (ctx: PageContext) => JSX.Element,
    status = 200,
  ) => sendHtml(reply, await page(await ctxFor(request, path)), status);

  /** The signed-in reader's state for each newsletter, when there is one. */
  async function statuses(request: FastifyRequest): Promise<Map<string, SubscriptionStatus | null>> {
    if (!request.viewer) return new Map();
    const mine = await newsletters.accountSubscriptions(request.viewer.userId);
    return new Map(mine.newsletters.map((n) => [n.slug, n.status]));
  }

  async function newslettersPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { slug: string; email: string; error: string },
    status = 200,
  ) {
    const [all, mine] = await Promise.all([newsletters.newsletters(), statuses(request)]);
    const token = request.viewer ? csrfToken(reply) : undefined;
    return render(
      request,
      reply,
      '/newsletters',
      (ctx) => NewslettersPage({ ctx, newsletters: all.map((n) => ({ ...n, status: mine.get(n.slug) ?? null })), csrf: token, form }),
      status,
    );
  }

  async function newsletterPage(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    form?: { slug: string; email: string; error: string },
    status = 200,
  ) {
    const { newsletter, issues } = await newsletters.archive(slug);
    const mine = await statuses(request);
    const token = request.viewer ? csrfToken(reply) : undefined;
    const summary = { slug: newsletter.slug, name: newsletter.name, description: newsletter.description };
    return render(
      request,
      reply,
      newsletterPaths.newsletter(slug),
      (ctx) => NewsletterPage({ ctx, newsletter: summary, issues, csrf: token, status: mine.get(slug) ?? null, form }),
      status,
    );
  }

  app.get('/newsletters', async (request, reply) => newslettersPage(request, reply));

  app.get('/newsletters/:slug', { schema: { params: slugParams } }, async (request, reply) =>
    newsletterPage(request, reply, request.params.slug),
  );

  app.get('/newsletters/:slug/issues/:number', { schema: { params: issueParams } }, async (request, reply) => {
    const { slug, number } = request.params;
    const { newsletter, content, safeIntroHtml } = await newsletters.sentIssue(slug, number);
    const ctx = await ctxFor(request, newsletterPaths.issue(slug, number));
    const html = IssueView({
      ctx,
      newsletter,
      number: content.number,
      subject: content.subject,
      date: content.date,
      safeIntroHtml,
      items: content.items,
    });
    return sendHtml(reply, html).header('cache-control', request.viewer ? 'private, no-store' : 'public, max-age=300');
  });

  // --- signing up ---
  // Generous per client (a school's pupils share one address); each address gets one confirmation every few minutes at most.
  app.post('/newsletters/subscribe', { schema: { body: subscribeBody }, ...limit(30) }, async (request, reply) => {
    assertSameSite(request, opts.siteUrl);
    const { newsletter: slug, email, source, website } = request.body;
    if (slug !== '' && !SLUG_RE.test(slug)) throw new NotFoundError('There is no newsletter with this name.');
    const newsletter = await newsletters.newsletterBySlug(slug || ((await newsletters.newsletters())[0]?.slug ?? ''));
    const typed = email.slice(0, 300);
    const parsed = emailSchema.safeParse(typed);
    if (!parsed.success) {
      const form = {
        slug: newsletter.slug,
        email: typed,
        error: parsed.error.issues[0]?.message ?? 'Enter an email address like name@example.com.',
      };
      return newsletterPage(request, reply, newsletter.slug, form, 422);
    }
    // A filled-in honeypot is a bot: it gets the same page, and nobody gets an email.
    if (website === '') {
      try {
        await newsletters.subscribe({ email: parsed.data, newsletterSlug: newsletter.slug, source });
      } catch (err) {
        if (!(err instanceof RateLimitedError)) throw err;
        reply.header('retry-after', String(err.retryAfterSeconds));
        return newsletterPage(request, reply, newsletter.slug, { slug: newsletter.slug, email: typed, error: err.message }, 429);
      }
    }
    return render(request, reply, '/newsletters/subscribe', (ctx) =>
      CheckEmailPage({ ctx, email: parsed.data, newsletterName: newsletter.name }),
    );
  });

  // --- the confirmation link: a page with a button, as mail scanners open links ---
  app.get('/newsletters/confirm', { schema: { querystring: tokenForm } }, async (request, reply) => {
    const { token } = request.query;
    const { state, newsletter } = await newsletters.confirmationState(token);
    if (state === 'ready')
      return render(request, reply, '/newsletters/confirm', (ctx) =>
        ConfirmPage({ ctx, csrf: csrfToken(reply), token, newsletterName: newsletter?.name ?? 'newsletter' }),
      );
    return confirmationOutcome(request, reply, state, newsletter?.name ?? null, newsletter?.slug ?? null);
  });

  app.post('/newsletters/confirm', { schema: { body: tokenForm }, ...csrf, ...limit(20) }, async (request, reply) => {
    const result = await newsletters.confirm(request.body.token);
    return confirmationOutcome(
      request,
      reply,
      result.state,
      result.newsletter?.name ?? null,
      result.newsletter?.slug ?? null,
      result.preferencesToken,
    );
  });

  async function confirmationOutcome(
    request: FastifyRequest,
    reply: FastifyReply,
    state: 'confirmed' | 'expired' | 'invalid',
    name: string | null,
    slug: string | null,
    preferencesToken?: string | null,
  ) {
    if (state === 'confirmed') {
      return render(request, reply, '/newsletters/confirm', (ctx) =>
        MessagePage({
          ctx,
          title: 'You are subscribed',
          kind: 'success',
          text: `Thank you! The ${name ?? 'newsletter'} will come to your inbox from the next issue.`,
          links: [
            ...(slug ? [{ href: newsletterPaths.newsletter(slug), label: 'Read past issues' }] : []),
            ...(preferencesToken ? [{ href: newsletterPaths.preferences(preferencesToken), label: 'Choose your newsletters' }] : []),
          ],
        }),
      );
    }
    const expired = state === 'expired';
    return render(
      request,
      reply,
      '/newsletters/confirm',
      (ctx) =>
        MessagePage({
          ctx,
          title: expired ? 'Link expired' : 'Link not valid',
          text: expired
            ? 'This confirmation link has expired: links in our emails work for 48 hours. Sign up again and we will send a new one.'
            : 'This confirmation link is not valid. It may have been copied incompletely, or replaced by a newer one: use the latest email, or sign up again.',
          links: [{ href: slug ? newsletterPaths.newsletter(slug) : '/newsletters', label: 'Sign up again' }],
        }),
      expired ? 410 : 400,
    );
  }

  // --- unsubscribing: a page that asks, and the one-click POST (RFC 8058) ---
  const invalidLink = (request: FastifyRequest, reply: FastifyReply, path: string) =>
    render(
      request,
      reply,
      path,
      (ctx) =>
        MessagePage({
          ctx,
          title: 'Link not valid',
          text: 'This link is not valid: it may have been copied incompletely, or the subscription was removed. Sign in to manage your newsletters, or write to us.',
          links: [{ href: '/account/newsletters', label: 'Manage your newsletters' }],
        }),
      404,
    );

  app.get('/newsletters/unsubscribe/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const { token } = request.params;
    const target = token ? await newsletters.unsubscribeTarget(token) : null;
    if (!token || !target) return invalidLink(request, reply, '/newsletters/unsubscribe');
    return render(request, reply, '/newsletters/unsubscribe', (ctx) =>
      UnsubscribePage({
        ctx,
        token,
        newsletterName: target.newsletter.name,
        subscribed: target.subscribed,
        preferencesUrl: newsletterPaths.preferences(target.preferencesToken),
      }),
    );
  });

  await app.register(async (scope) => {
    const oneClick = zodRoutes(scope);
    // Whatever the body (RFC 8058 says urlencoded or multipart "List-Unsubscribe=One-Click"), it is not needed.
    oneClick.removeAllContentTypeParsers();
    oneClick.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (_request, _body, done) => done(null, {}));
    // Mail providers post for many readers from a few addresses: a high limit. The 192-bit signature is what keeps guessing out.
    oneClick.post('/newsletters/unsubscribe/:token', { schema: { params: tokenParams }, ...limit(1000) }, async (request, reply) => {
      const { token } = request.params;
      const done = token ? await newsletters.unsubscribe(token) : null;
      if (!done) return invalidLink(request, reply, '/newsletters/unsubscribe');
      return render(request, reply, '/newsletters/unsubscribe', (ctx) =>
        MessagePage({
          ctx,
          title: 'You are unsubscribed',
          kind: 'success',
          text: `You will not get the ${done.newsletter.name} any more. Sorry to see you go!`,
          links: [{ href: newsletterPaths.preferences(done.preferencesToken), label: 'Changed your mind? Choose your newsletters' }],
        }),
      );
    });
  });

  // --- preferences, by signed link ---
  const savedQuery = z.object({ saved: field });
  app.get('/newsletters/preferences/:token', { schema: { params: tokenParams, querystring: savedQuery } }, async (request, reply) => {
    const { token } = request.params;
    const prefs = token ? await newsletters.preferences(token) : null;
    if (!token || !prefs) return invalidLink(request, reply, '/newsletters/preferences');
    const notice = request.query.saved === '1' ? 'Your choices are saved.' : undefined;
    return render(request, reply, '/newsletters/preferences', (ctx) =>
      PreferencesPage({ ctx, csrf: csrfToken(reply), token, email: prefs.email, newsletters: prefs.newsletters, notice }),
    );
  });

  const preferencesRoute = { schema: { params: tokenParams, body: preferencesBody }, ...csrf, ...limit(20, ['newsletters']) };
  app.post('/newsletters/preferences/:token', preferencesRoute, async (request, reply) => {
    const { token } = request.params;
    const chosen = request.body.action === 'leave_all' ? [] : request.body.newsletters.filter((s) => SLUG_RE.test(s));
    if (!token || !(await newsletters.savePreferences(token, chosen))) return invalidLink(request, reply, '/newsletters/preferences');
    return reply.redirect(`${newsletterPaths.preferences(token)}?saved=1`, 303);
  });

  // --- an account's subscriptions ---
  const notices: Record<string, string> = {
    subscribed: 'You are subscribed. The next issue is yours.',
    pending: 'We have sent you an email: follow its link to confirm your subscription.',
    unsubscribed: 'You are unsubscribed.',
  };

  // A reader's newsletters: visitors sign in and come back here (or, from a form, to the page it was on).
  const toAccountPage = requireReader({ next: () => '/account/newsletters' });
  const fromForm = requireReader({
    next: (request) => safeNext((request.body as { next?: string } | undefined)?.next, '/account/newsletters'),
  });

  app.get(
    '/account/newsletters',
    { schema: { querystring: z.object({ done: field }) }, onRequest: toAccountPage },
    async (request, reply) => {
      const mine = await newsletters.accountSubscriptions(readerOf(request).userId);
      return render(request, reply, '/account/newsletters', (ctx) =>
        AccountNewslettersPage({
          ctx,
          csrf: csrfToken(reply),
          email: mine.email,
          newsletters: mine.newsletters,
          notice: notices[request.query.done],
        }),
      );
    },
  );

  app.post(
    '/account/newsletters',
    { schema: { body: accountBody }, ...csrf, ...limit(30), preHandler: fromForm },
    async (request, reply) => {
      const { newsletter: slug, source, action } = request.body;
      const { userId } = readerOf(request);
      if (!SLUG_RE.test(slug)) throw new NotFoundError('There is no newsletter with this name.');
      if (action === 'unsubscribe') {
        await newsletters.unsubscribeAccount(userId, slug);
        return reply.redirect('/account/newsletters?done=unsubscribed', 303);
      }
      const state = await newsletters.subscribeAccount(userId, slug, source);
      return reply.redirect(`/account/newsletters?done=${state === 'confirmed' ? 'subscribed' : 'pending'}`, 303);
    },
  );
}
