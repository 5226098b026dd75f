// The newsletter's rules: double opt-in subscriptions that never reveal whether
// an address is on a list, signed unsubscribe and preferences links, an
// account's own subscriptions, composing and scheduling issues, the subscriber
// list with its CSV import and export, and the newsletters themselves. Sending
// lives in sending.ts. Staff actions check canRunNewsletter first.
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/database.js';
import type { Database, SubscriptionStatus } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { slugify } from '../../lib/slug.js';
import { parseDoc, renderRichText, type RichNode } from '../../lib/rich-text.js';
import type { Mailer } from '../../mail/mailer.js';
import { renderEmail, type SiteIdentity } from '../../mail/layout.js';
import { cancel, enqueue, jobsByKind } from '../../jobs/index.js';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../../web/errors.js';
import { KeyLimiter } from '../../web/key-limit.js';
import { bylineText, type ArticlesService, type Teaser } from '../articles/index.js';
import { pictureUrl } from '../media/index.js';
import type { AccountsService } from '../accounts/index.js';
import { toCsv } from '../../lib/csv.js';
import { normaliseEmail } from '../../lib/email.js';
import { checkImport } from './csv.js';
import { renderIssueEmail, type IssueItem, type RenderedIssue } from './issue-email.js';
import { confirmationToken, hashToken, newsletterPaths, signSubscription, verifySubscriptionToken } from './links.js';
import * as repo from './newsletter.repository.js';
import { canCreateNewsletter, canRunNewsletter, type Actor } from '../access/index.js';
import { nextSendTime } from './schedule.js';
import {
  DELIVERY_LEASE_MS,
  fromOf,
  HEARTBEAT_MS,
  issueContent,
  parseItems,
  sendJobKey,
  type NewsletterMessage,
  type NewsletterTransport,
  type SendPayload,
} from './sending.js';
import { randomBytes } from 'node:crypto';

const HOUR = 3600_000;
/** How long a confirmation link works. */
export const CONFIRM_LIFETIME_MS = 48 * HOUR;
/** At most one confirmation email per address in this time, however often the form is sent. */
export const CONFIRM_RESEND_MS = 5 * 60_000;
/** At most one "you are already subscribed" email per address in this time. */
export const NOTICE_RESEND_MS = 24 * HOUR;
/** The job that sends an editor's test of an issue. */
export const NEWSLETTER_TEST_JOB = 'newsletter_test';
/** Articles offered in the first issue of a newsletter, when there is no previous issue to count from. */
const FIRST_ISSUE_ITEMS = 12;
const MAX_ITEMS = 40;

export const SOURCES = ['home', 'wall', 'footer', 'newsletters', 'newsletter', 'account', 'import', 'preferences', 'newsroom'] as const;
export type Source = (typeof SOURCES)[number];

export type MailPayload = { kind: 'confirm' | 'already_subscribed'; subscriptionId: string };

export interface NewsletterDeps {
  db: Db;
  mailer: Mailer;
  /** Test sends go over the same transport as issues. */
  transport: NewsletterTransport;
  site: SiteIdentity;
  secret: string;
  defaultFrom: string;
  articles: ArticlesService;
  accounts: AccountsService;
}

export interface NewsletterInfo {
  id: string;
  slug: string;
  name: string;
  description: string;
}

export interface IssueInput {
  subject: string;
  intro: RichNode;
  /** Article ids in the order the editor wants them; dropped ones left out. */
  articleIds: string[];
}

export interface NewsletterSettings {
  name: string;
  description: string;
  senderName: string;
  senderEmail: string;
  sendWeekday: number;
  sendTime: string;
  timeZone: string;
}

export interface ImportReport {
  confirmed: number;
  invited: number;
  alreadyConfirmed: number;
  /** Pending in the file and on the list: left waiting for their confirmation. */
  alreadyPending: number;
  /** On the list, and unsubscribed or suppressed in the file: no more mail. */
  stopped: number;
  skippedUnsubscribed: number;
  skippedSuppressed: number;
  duplicates: number;
}

export class ImportError extends AppError {
  constructor(
    status: number,
    readonly messages: string[],
  ) {
    super(status, 'import_refused', messages[0] ?? 'The file could not be imported.', 'Nothing was imported');
  }
}

function info(row: repo.NewsletterRow): NewsletterInfo {
  return { id: row.id, slug: row.slug, name: row.name, description: row.description };
}

function requireRunner(actor: Actor): void {
  if (!canRunNewsletter(actor))
    throw new ForbiddenError('The newsletter is run by the newsletter editor, the editor-in-chief, the managing editor and mentors.');
}

/** The JPEG the email shows: wide enough for the 544-pixel column on a sharp screen. */
function emailPicture(teaser: Teaser): IssueItem['picture'] {
  const picture = teaser.picture;
  if (!picture) return null;
  // Only public pictures go into an email; private (prize) ones have no public address.
  if (picture.private) return null;
  const jpegs = picture.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  const best = jpegs.find((v) => v.width >= 1000) ?? jpegs[jpegs.length - 1];
  // Until the queue has made the variants, the stripped master (a JPEG or PNG that every mail client shows) stands in.
  if (!best)
    return {
      src: pictureUrl(picture, picture.original),
      width: picture.width,
      height: picture.height,
      alt: teaser.pictureAlt || picture.alt,
    };
  return { src: pictureUrl(picture, best.file), width: best.width, height: best.height, alt: teaser.pictureAlt || picture.alt };
}

export function itemOf(teaser: Teaser): IssueItem {
  return {
    articleId: teaser.id,
    slug: teaser.slug,
    title: teaser.title,
    dek: teaser.dek,
    byline: bylineText(teaser.byline, teaser.bylinePhrase),
    section: teaser.section ? { slug: teaser.section.slug, name: teaser.section.name } : null,
    publishedAt: teaser.publishedAt,
    picture: emailPicture(teaser),
  };
}

/** Sign-ups per address per hour, whatever the client's IP and whether the address is on a list. */
export const SUBSCRIBE_LIMIT = { max: 5, windowMs: HOUR };

export class NewsletterService {
  /** Counts sign-ups per address (hashed, shared by every app server); a 429 says nothing about the address. */
  private readonly perAddress: KeyLimiter;

  constructor(private readonly deps: NewsletterDeps) {
    this.perAddress = new KeyLimiter(deps.db, {
      scope: 'newsletter-subscribe',
      ...SUBSCRIBE_LIMIT,
      message:
        'Too many sign-ups for this address: we have been asked to subscribe it several times recently. Wait {minutes} and try again, and look in your spam folder for the confirmation email already sent.',
    });
  }

  private get db() {
    return this.deps.db;
  }

  // ---- newsletters ------------------------------------------------------------

  async newsletters(): Promise<NewsletterInfo[]> {
    return (await repo.listNewsletters(this.db)).map(info);
  }

  private async newsletter(slug: string | undefined): Promise<repo.NewsletterRow> {
    const row = slug ? await repo.findNewsletterBySlug(this.db, slug) : (await repo.listNewsletters(this.db))[0];
    if (!row) throw new NotFoundError('There is no newsletter with this address.');
    return row;
  }

  async newsletterBySlug(slug: string): Promise<repo.NewsletterRow> {
    return this.newsletter(slug);
  }

  // ---- subscribing ------------------------------------------------------------

  /**
   * A sign-up from a form: a new or unsubscribed address becomes pending and gets
   * a confirmation email; a pending one gets the email again (at most once every
   * few minutes); a confirmed one gets a note saying so (at most once a day). The
   * caller answers the same whatever happened, and the emails go through the job
   * queue, so neither the page nor its timing says whether the address was known.
   */
  async subscribe(input: { email: string; newsletterSlug?: string | undefined; source: Source }): Promise<void> {
    const newsletter = await this.newsletter(input.newsletterSlug);
    const email = normaliseEmail(input.email);
    await this.perAddress.hit(email);
    const now = new Date();
    const at = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      const existing = await repo.findSubscription(trx, newsletter.id, email);
      if (existing?.status === 'confirmed') {
        // confirm_sent_at is the last email about this subscription; after the confirmation it can only be such a note.
        const lastNote =
          existing.confirm_sent_at && existing.confirmed_at && existing.confirm_sent_at > existing.confirmed_at
            ? existing.confirm_sent_at
            : null;
        if (!lastNote || now.getTime() - Date.parse(lastNote) > NOTICE_RESEND_MS) {
          await repo.updateSubscription(trx, existing.id, { confirm_sent_at: at, updated_at: at });
          await enqueue(trx, 'newsletter_mail', { kind: 'already_subscribed', subscriptionId: existing.id } satisfies MailPayload);
        }
        return;
      }
      if (existing?.status === 'pending' && existing.confirm_expires_at && existing.confirm_expires_at > at) {
        if (existing.confirm_sent_at && now.getTime() - Date.parse(existing.confirm_sent_at) < CONFIRM_RESEND_MS) return;
        await repo.updateSubscription(trx, existing.id, { confirm_sent_at: at, updated_at: at });
        await enqueue(trx, 'newsletter_mail', { kind: 'confirm', subscriptionId: existing.id } satisfies MailPayload);
        return;
      }
      // New, unsubscribed, or a pending one whose link expired: a fresh link.
      const id = existing?.id ?? newId();
      const nonce = randomBytes(16).toString('base64url');
      const pending = {
        status: 'pending' as const,
        source: input.source,
        confirm_nonce: nonce,
        confirm_token_hash: hashToken(confirmationToken(this.deps.secret, id, nonce)),
        confirm_expires_at: new Date(now.getTime() + CONFIRM_LIFETIME_MS).toISOString(),
        confirm_sent_at: at,
        updated_at: at,
      };
      if (existing) {
        await repo.updateSubscription(trx, id, pending);
      } else {
        await repo.insertSubscription(trx, {
          id,
          newsletter_id: newsletter.id,
          email,
          user_id: null,
          consent: null,
          consent_at: null,
          consent_by: null,
          confirmed_at: null,
          unsubscribed_at: null,
          created_at: at,
          ...pending,
        });
      }
      await enqueue(trx, 'newsletter_mail', { kind: 'confirm', subscriptionId: id } satisfies MailPayload);
    });
  }

  /** The `newsletter_mail` job: a confirmation link, or a note to an address already subscribed. Idempotent. */
  async sendSubscriptionMail(payload: unknown): Promise<void> {
    const { kind, subscriptionId } = (payload ?? {}) as Partial<MailPayload>;
    if (typeof subscriptionId !== 'string') return;
    const sub = await repo.findSubscriptionById(this.db, subscriptionId);
    if (!sub) return;
    const newsletter = await repo.findNewsletterById(this.db, sub.newsletter_id);
    if (!newsletter) return;
    const { siteUrl, siteName } = this.deps.site;
    if (kind === 'confirm') {
      if (sub.status !== 'pending' || !sub.confirm_nonce) return;
      const url = `${siteUrl}${newsletterPaths.confirm(confirmationToken(this.deps.secret, sub.id, sub.confirm_nonce))}`;
      const message = renderEmail(this.deps.site, {
        subject: `Confirm your subscription to the ${newsletter.name}`,
        paragraphs: [
          `Someone (probably you) asked to receive the ${newsletter.name} from ${siteName} at this address.`,
          newsletter.description,
          'Confirm with the button below and the next issue is yours.',
        ].filter(Boolean),
        action: { label: 'Yes, subscribe me', url },
        footnote:
          'The link works for 48 hours. If you did not ask for this, ignore this email: you will not be subscribed and we will not write again.',
      });
      await this.deps.mailer.send({ to: sub.email, ...message });
      return;
    }
    if (kind === 'already_subscribed') {
      if (sub.status !== 'confirmed') return;
      const url = `${siteUrl}${newsletterPaths.preferences(signSubscription(this.deps.secret, 'preferences', sub.id))}`;
      const message = renderEmail(this.deps.site, {
        subject: `You already get the ${newsletter.name}`,
        paragraphs: [
          `Someone (probably you) asked to subscribe this address to the ${newsletter.name}, but it is already subscribed: nothing has changed.`,
          'You can choose your newsletters, or leave them, on your preferences page.',
        ],
        action: { label: 'Choose my newsletters', url },
        footnote: 'If this was not you, you can ignore this email.',
      });
      await this.deps.mailer.send({ to: sub.email, ...message });
    }
  }

  private async byConfirmationToken(token: unknown) {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null;
    return (await repo.findSubscriptionByConfirmHash(this.db, hashToken(token))) ?? null;
  }

  /** What a confirmation link would do, without doing it (the link opens a page with a button: mail scanners fetch links). */
  async confirmationState(
    token: unknown,
  ): Promise<{ state: 'ready' | 'confirmed' | 'expired' | 'invalid'; newsletter: NewsletterInfo | null }> {
    const sub = await this.byConfirmationToken(token);
    if (!sub) return { state: 'invalid', newsletter: null };
    const newsletter = await repo.findNewsletterById(this.db, sub.newsletter_id);
    const n = newsletter ? info(newsletter) : null;
    if (sub.status === 'confirmed') return { state: 'confirmed', newsletter: n };
    if (sub.status !== 'pending') return { state: 'invalid', newsletter: n };
    if (!sub.confirm_expires_at || sub.confirm_expires_at < nowIso()) return { state: 'expired', newsletter: n };
    return { state: 'ready', newsletter: n };
  }

  /** Confirms the subscription a link names; confirming twice is fine. */
  async confirm(
    token: unknown,
  ): Promise<{ state: 'confirmed' | 'expired' | 'invalid'; newsletter: NewsletterInfo | null; preferencesToken: string | null }> {
    const { state, newsletter } = await this.confirmationState(token);
    const sub = await this.byConfirmationToken(token);
    if (state === 'invalid' || state === 'expired' || !sub)
      return { state: state === 'expired' ? 'expired' : 'invalid', newsletter, preferencesToken: null };
    if (state === 'ready') {
      const at = nowIso();
      await this.db
        .updateTable('subscriptions')
        .set({ status: 'confirmed', confirmed_at: at, consent: 'double_opt_in', consent_at: at, unsubscribed_at: null, updated_at: at })
        .where('id', '=', sub.id)
        .where('status', '=', 'pending')
        .execute();
    }
    return { state: 'confirmed', newsletter, preferencesToken: signSubscription(this.deps.secret, 'preferences', sub.id) };
  }

  /** The one-click unsubscribe (RFC 8058) and the page's button. Unsubscribing twice is fine. */
  async unsubscribe(token: unknown): Promise<{ newsletter: NewsletterInfo; preferencesToken: string } | null> {
    const id = verifySubscriptionToken(this.deps.secret, 'unsubscribe', token);
    const sub = id ? await repo.findSubscriptionById(this.db, id) : undefined;
    if (!sub) return null;
    const newsletter = await repo.findNewsletterById(this.db, sub.newsletter_id);
    if (!newsletter) return null;
    if (sub.status !== 'unsubscribed') {
      const at = nowIso();
      await repo.updateSubscription(this.db, sub.id, { status: 'unsubscribed', unsubscribed_at: at, updated_at: at });
    }
    return { newsletter: info(newsletter), preferencesToken: signSubscription(this.deps.secret, 'preferences', sub.id) };
  }

  /** The newsletter an unsubscribe link is about, for the page that asks first. */
  async unsubscribeTarget(token: unknown): Promise<{ newsletter: NewsletterInfo; subscribed: boolean; preferencesToken: string } | null> {
    const id = verifySubscriptionToken(this.deps.secret, 'unsubscribe', token);
    const sub = id ? await repo.findSubscriptionById(this.db, id) : undefined;
    const newsletter = sub ? await repo.findNewsletterById(this.db, sub.newsletter_id) : undefined;
    if (!sub || !newsletter) return null;
    return {
      newsletter: info(newsletter),
      subscribed: sub.status !== 'unsubscribed',
      preferencesToken: signSubscription(this.deps.secret, 'preferences', sub.id),
    };
  }

  /** The preferences page of the address a signed link names: every newsletter, and whether it gets it. */
  async preferences(token: unknown): Promise<{ email: string; newsletters: (NewsletterInfo & { subscribed: boolean })[] } | null> {
    const id = verifySubscriptionToken(this.deps.secret, 'preferences', token);
    const sub = id ? await repo.findSubscriptionById(this.db, id) : undefined;
    if (!sub) return null;
    const [all, mine] = await Promise.all([repo.listNewsletters(this.db), repo.subscriptionsByEmail(this.db, sub.email)]);
    return {
      email: sub.email,
      newsletters: all.map((n) => ({ ...info(n), subscribed: mine.some((s) => s.newsletter_id === n.id && s.status === 'confirmed') })),
    };
  }

  /**
   * Saves the preferences page: the address gets exactly the newsletters chosen.
   * The signed link was sent to the address, which is proof enough to subscribe
   * it to another newsletter without a second confirmation.
   */
  async savePreferences(token: unknown, chosenSlugs: string[]): Promise<boolean> {
    const id = verifySubscriptionToken(this.deps.secret, 'preferences', token);
    const sub = id ? await repo.findSubscriptionById(this.db, id) : undefined;
    if (!sub) return false;
    const at = nowIso();
    await this.db.transaction().execute(async (trx) => {
      const [all, mine] = await Promise.all([repo.listNewsletters(trx), repo.subscriptionsByEmail(trx, sub.email)]);
      for (const n of all) {
        const want = chosenSlugs.includes(n.slug);
        const current = mine.find((s) => s.newsletter_id === n.id);
        if (want && current?.status !== 'confirmed') {
          await this.confirmedSubscription(
            trx,
            n.id,
            sub.email,
            current,
            { source: 'preferences', consent: 'preferences_link', userId: sub.user_id },
            at,
          );
        } else if (!want && current && current.status !== 'unsubscribed') {
          await repo.updateSubscription(trx, current.id, { status: 'unsubscribed', unsubscribed_at: at, updated_at: at });
        }
      }
    });
    return true;
  }

  private async confirmedSubscription(
    db: Db | Transaction<Database>,
    newsletterId: string,
    email: string,
    current: repo.SubscriptionRow | undefined,
    how: { source: Source; consent: string; userId: string | null; consentBy?: string | null },
    at: string,
  ): Promise<void> {
    if (current) {
      await repo.updateSubscription(db, current.id, {
        status: 'confirmed',
        confirmed_at: current.confirmed_at ?? at,
        consent: how.consent,
        consent_at: at,
        consent_by: how.consentBy ?? null,
        unsubscribed_at: null,
        user_id: current.user_id ?? how.userId,
        updated_at: at,
      });
      return;
    }
    await repo.insertSubscription(
      db,
      repo.confirmedSubscription({
        newsletterId,
        email,
        userId: how.userId,
        source: how.source,
        consent: how.consent,
        consentBy: how.consentBy ?? null,
        at,
      }),
    );
  }

  // ---- an account's subscriptions ------------------------------------------------

  async accountSubscriptions(
    userId: string,
  ): Promise<{ email: string; newsletters: (NewsletterInfo & { status: SubscriptionStatus | null })[] }> {
    const account = await this.deps.accounts.account(userId);
    const [all, mine] = await Promise.all([repo.listNewsletters(this.db), repo.subscriptionsOfAccount(this.db, userId, account.email)]);
    return {
      email: account.email,
      newsletters: all.map((n) => {
        const sub = mine.find((s) => s.newsletter_id === n.id && s.email === account.email) ?? mine.find((s) => s.newsletter_id === n.id);
        return { ...info(n), status: sub?.status ?? null };
      }),
    };
  }

  /** The newsletters (slugs) an account gets: the sign-up boxes say so instead of offering them again. */
  async subscribedSlugs(account: { userId: string; email: string }): Promise<Set<string>> {
    // Asked on every signed-in page: one query. As in accountSubscriptions, the
    // subscription of the account's own address wins over one linked by account.
    const rows = await repo.subscriptionSlugsOfAccount(this.db, account.userId, account.email);
    const status = new Map<string, SubscriptionStatus>();
    for (const row of rows) if (row.email === account.email || !status.has(row.slug)) status.set(row.slug, row.status);
    return new Set([...status].filter(([, s]) => s === 'confirmed').map(([slug]) => slug));
  }

  /**
   * One click for a signed-in reader: the account's address is verified, so the
   * subscription is confirmed at once. An unverified address gets the usual
   * confirmation email instead.
   */
  async subscribeAccount(userId: string, newsletterSlug: string | undefined, source: Source): Promise<'confirmed' | 'pending'> {
    const newsletter = await this.newsletter(newsletterSlug);
    const account = await this.deps.accounts.account(userId);
    if (!account.verified) {
      await this.subscribe({ email: account.email, newsletterSlug: newsletter.slug, source });
      return 'pending';
    }
    const at = nowIso();
    await this.db.transaction().execute(async (trx) => {
      const current = await repo.findSubscription(trx, newsletter.id, account.email);
      if (current?.status === 'confirmed') {
        if (!current.user_id) await repo.updateSubscription(trx, current.id, { user_id: userId, updated_at: at });
        return;
      }
      await this.confirmedSubscription(trx, newsletter.id, account.email, current, { source, consent: 'account', userId }, at);
    });
    return 'confirmed';
  }

  async unsubscribeAccount(userId: string, newsletterSlug: string): Promise<void> {
    const newsletter = await this.newsletter(newsletterSlug);
    const account = await this.deps.accounts.account(userId);
    const at = nowIso();
    const mine = await repo.subscriptionsOfAccount(this.db, userId, account.email);
    for (const sub of mine.filter((s) => s.newsletter_id === newsletter.id && s.status !== 'unsubscribed')) {
      await repo.updateSubscription(this.db, sub.id, { status: 'unsubscribed', unsubscribed_at: at, updated_at: at });
    }
  }

  /** Runs inside the account deletion's transaction: the account's subscriptions (and their deliveries) go with it. */
  async forgetAccount(trx: Transaction<Database>, account: { userId: string; email: string }): Promise<void> {
    await repo.deleteSubscriptionsOfAccount(trx, account.userId, account.email);
  }

  /** For the account's data export. */
  async exportFor(userId: string): Promise<Record<string, unknown>> {
    const account = await this.deps.accounts.account(userId);
    const [all, mine] = await Promise.all([repo.listNewsletters(this.db), repo.subscriptionsOfAccount(this.db, userId, account.email)]);
    return {
      newsletterSubscriptions: mine.map((s) => ({
        newsletter: all.find((n) => n.id === s.newsletter_id)?.name ?? '',
        email: s.email,
        status: s.status,
        source: s.source,
        consent: s.consent,
        consentAt: s.consent_at,
        confirmedAt: s.confirmed_at,
        unsubscribedAt: s.unsubscribed_at,
        createdAt: s.created_at,
      })),
    };
  }

  // ---- the public archive ------------------------------------------------------

  async archive(slug: string): Promise<{ newsletter: repo.NewsletterRow; issues: { number: number; subject: string; sentAt: string }[] }> {
    const newsletter = await this.newsletter(slug);
    const issues = (await repo.listIssues(this.db, newsletter.id, ['sent']))
      .filter((i) => i.number !== null)
      .sort((a, b) => b.number! - a.number!)
      .map((i) => ({ number: i.number!, subject: i.subject, sentAt: i.sent_at ?? i.started_at ?? i.created_at }));
    return { newsletter, issues };
  }

  async sentIssue(slug: string, number: number) {
    const newsletter = await this.newsletter(slug);
    const issue = await repo.findSentIssueByNumber(this.db, newsletter.id, number);
    if (!issue) throw new NotFoundError('This issue does not exist, or it has not been sent yet.');
    const content = issueContent(newsletter, issue);
    return {
      newsletter,
      issue,
      content: { ...content, items: await this.withCurrentBylines(content.items) },
      safeIntroHtml: issue.intro_html,
    };
  }

  /**
   * An issue's items with each byline as the public sees it today (a writer may
   * since have chosen to show only an initial, or a pen name); the rest stays as
   * it was sent. An article no longer published keeps no byline.
   */
  private async withCurrentBylines(items: IssueItem[]): Promise<IssueItem[]> {
    if (items.length === 0) return items;
    const fresh = await this.deps.articles.teasersByIds(items.map((i) => i.articleId));
    return items.map((item) => {
      const teaser = fresh.get(item.articleId);
      return { ...item, byline: teaser ? bylineText(teaser.byline, teaser.bylinePhrase) : '' };
    });
  }

  // ---- the newsroom: issues ------------------------------------------------------

  async desk(actor: Actor) {
    requireRunner(actor);
    const newsletters = await repo.listNewsletters(this.db);
    return Promise.all(
      newsletters.map(async (n) => ({
        newsletter: n,
        counts: await repo.countSubscriptionsByStatus(this.db, n.id),
        issues: await repo.listIssues(this.db, n.id),
      })),
    );
  }

  /** Articles published since the last issue went out (or the latest few, for a first issue), grouped by section. */
  async suggestedItems(newsletterId: string): Promise<IssueItem[]> {
    const last = await repo.lastSentIssue(this.db, newsletterId);
    const since = last?.started_at ?? null;
    const latest = await this.deps.articles.latest({}, 100);
    const picked = since ? latest.filter((t) => t.publishedAt > since) : latest.slice(0, FIRST_ISSUE_ITEMS);
    const sections = await this.deps.articles.sections();
    const rank = (t: Teaser) => {
      const i = sections.findIndex((s) => s.id === t.section?.id);
      return i === -1 ? sections.length : i;
    };
    return picked
      .slice(0, MAX_ITEMS)
      .sort((a, b) => rank(a) - rank(b) || b.publishedAt.localeCompare(a.publishedAt))
      .map(itemOf);
  }

  async createIssue(actor: Actor, newsletterSlug: string): Promise<string> {
    requireRunner(actor);
    const newsletter = await this.newsletter(newsletterSlug);
    const items = await this.suggestedItems(newsletter.id);
    const id = newId();
    const at = nowIso();
    await repo.insertIssue(this.db, {
      id,
      newsletter_id: newsletter.id,
      number: null,
      subject: items[0] ? `${newsletter.name}: ${items[0].title}` : newsletter.name,
      intro_json: JSON.stringify({ type: 'doc', content: [] }),
      intro_html: '',
      items: JSON.stringify(items),
      status: 'draft',
      scheduled_at: null,
      started_at: null,
      sent_at: null,
      recipients_count: 0,
      sent_count: 0,
      failed_count: 0,
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    return id;
  }

  async issue(actor: Actor, issueId: string) {
    requireRunner(actor);
    const issue = await repo.findIssue(this.db, issueId);
    if (!issue) throw new NotFoundError('There is no issue with this address.');
    const newsletter = await repo.findNewsletterById(this.db, issue.newsletter_id);
    if (!newsletter) throw new NotFoundError('There is no issue with this address.');
    return {
      issue,
      newsletter,
      items: parseItems(issue.items),
      intro: parseDoc(issue.intro_json),
      defaultSendAt: nextSendTime(new Date(), newsletter.send_weekday, newsletter.send_time, newsletter.time_zone),
    };
  }

  /** Saves what the editor wrote and chose; only drafts and scheduled issues can change. */
  async saveIssue(actor: Actor, issueId: string, input: IssueInput): Promise<void> {
    const { issue, items } = await this.issue(actor, issueId);
    if (issue.status !== 'draft' && issue.status !== 'scheduled')
      throw new BadRequestError('This issue is being sent or has been sent: it cannot change any more.', 'issue_locked');
    const known = new Map(items.map((i) => [i.articleId, i]));
    // Fresh snapshots of the chosen articles, in the chosen order; unpublished ones drop out.
    const fresh = await this.deps.articles.teasersByIds(input.articleIds.filter((id) => known.has(id)));
    const kept = input.articleIds.flatMap((id) => {
      const teaser = fresh.get(id);
      return teaser ? [itemOf(teaser)] : [];
    });
    const at = nowIso();
    const saved = await repo.updateIssueIn(this.db, issueId, ['draft', 'scheduled'], {
      subject: input.subject,
      intro_json: JSON.stringify(input.intro),
      intro_html: renderRichText(input.intro),
      items: JSON.stringify(kept),
      updated_at: at,
    });
    if (!saved)
      throw new BadRequestError('This issue started sending while you were editing it: your changes were not saved.', 'issue_locked');
  }

  private checkReady(issue: repo.IssueRow): void {
    if (issue.subject.trim() === '') throw new BadRequestError('Give the issue a subject first.', 'subject_required');
    if (parseItems(issue.items).length === 0 && issue.intro_html.replace(/<[^>]+>/g, '').trim() === '') {
      throw new BadRequestError('The issue is empty: keep at least one article, or write an intro.', 'issue_empty');
    }
  }

  /** Schedules the issue (or moves its time); the job queue starts sending then. */
  async schedule(actor: Actor, issueId: string, at: Date): Promise<void> {
    const { issue } = await this.issue(actor, issueId);
    if (issue.status !== 'draft' && issue.status !== 'scheduled')
      throw new BadRequestError('This issue is being sent or has been sent already.', 'issue_locked');
    if (Number.isNaN(at.getTime())) throw new BadRequestError('Choose when to send the issue.', 'schedule_required');
    if (at.getTime() <= Date.now()) throw new BadRequestError('Choose a time in the future, or send the issue now.', 'schedule_in_past');
    this.checkReady(issue);
    await this.enqueueSend(issue.id, at);
  }

  /** Sends at once: the issue is scheduled for now, so the same job starts it. */
  async sendNow(actor: Actor, issueId: string): Promise<void> {
    const { issue } = await this.issue(actor, issueId);
    if (issue.status !== 'draft' && issue.status !== 'scheduled')
      throw new BadRequestError('This issue is being sent or has been sent already.', 'issue_locked');
    this.checkReady(issue);
    await this.enqueueSend(issue.id, new Date());
  }

  private async enqueueSend(issueId: string, at: Date): Promise<void> {
    const when = at.toISOString();
    await this.db.transaction().execute(async (trx) => {
      const moved = await repo.updateIssueIn(trx, issueId, ['draft', 'scheduled'], {
        status: 'scheduled',
        scheduled_at: when,
        updated_at: nowIso(),
      });
      if (!moved) throw new BadRequestError('This issue started sending meanwhile.', 'issue_locked');
      await enqueue(trx, 'newsletter_send', { issueId, chunk: 0 } satisfies SendPayload, {
        runAt: when,
        uniqueKey: sendJobKey(issueId, 0),
      });
    });
  }

  async unschedule(actor: Actor, issueId: string): Promise<void> {
    await this.issue(actor, issueId);
    await this.db.transaction().execute(async (trx) => {
      const moved = await repo.updateIssueIn(trx, issueId, ['scheduled'], { status: 'draft', scheduled_at: null, updated_at: nowIso() });
      if (!moved) throw new BadRequestError('This issue is not scheduled (it may have started sending).', 'not_scheduled');
      await cancel(trx, sendJobKey(issueId, 0));
    });
  }

  async deleteDraft(actor: Actor, issueId: string): Promise<void> {
    await this.issue(actor, issueId);
    if (!(await repo.deleteIssueIn(this.db, issueId, ['draft'])))
      throw new BadRequestError('Only drafts can be deleted; unschedule the issue first.', 'not_draft');
  }

  /** The email as a recipient would get it, with the personal links pointing at the newsletter's page. */
  async preview(actor: Actor, issueId: string): Promise<{ rendered: RenderedIssue; newsletter: repo.NewsletterRow; issue: repo.IssueRow }> {
    const { issue, newsletter } = await this.issue(actor, issueId);
    const { siteUrl, siteName } = this.deps.site;
    const content = issueContent(newsletter, issue);
    const email = renderIssueEmail(
      { ...content, items: await this.withCurrentBylines(content.items) },
      {
        siteName,
        siteUrl,
        webUrl: issue.number ? `${siteUrl}${newsletterPaths.issue(newsletter.slug, issue.number)}` : null,
      },
    );
    const page = `${siteUrl}${newsletterPaths.newsletter(newsletter.slug)}`;
    return {
      rendered: {
        ...email,
        html: email.html.replaceAll('%%UNSUBSCRIBE_URL%%', page).replaceAll('%%PREFERENCES_URL%%', page),
        text: email.text.replaceAll('%%UNSUBSCRIBE_URL%%', page).replaceAll('%%PREFERENCES_URL%%', page),
      },
      newsletter,
      issue,
    };
  }

  /**
   * Queues the issue for the editor's own address, marked as a test. The
   * worker hands it to the newsletter transport (see `sendTestMail`), so the
   * request never waits on the mail server.
   */
  async sendTest(actor: Actor, issueId: string): Promise<string> {
    const { rendered, newsletter } = await this.preview(actor, issueId);
    const account = await this.deps.accounts.account(actor.userId);
    const message: NewsletterMessage = {
      from: fromOf(newsletter, this.deps.defaultFrom),
      to: account.email,
      subject: `[Test] ${rendered.subject}`,
      html: rendered.html,
      text: rendered.text,
      headers: {},
      messageId: `<test-${newId()}@${new URL(this.deps.site.siteUrl).hostname}>`,
    };
    await enqueue(this.db, NEWSLETTER_TEST_JOB, message);
    return account.email;
  }

  /** The `newsletter_test` job: a test issue through the transport real issues use; a failure is retried by the queue. */
  async sendTestMail(payload: unknown): Promise<void> {
    await this.deps.transport.send(payload as NewsletterMessage);
  }

  async subscriberCounts(actor: Actor, newsletterId: string): Promise<Record<SubscriptionStatus, number>> {
    requireRunner(actor);
    return repo.countSubscriptionsByStatus(this.db, newsletterId);
  }

  async progress(actor: Actor, issueId: string) {
    const { issue, newsletter } = await this.issue(actor, issueId);
    const [counts, problems, stalled] = await Promise.all([
      repo.deliveryCounts(this.db, issueId),
      repo.problemDeliveries(this.db, issueId, 500),
      this.stalled(issue),
    ]);
    return { issue, newsletter, counts, problems, stalled };
  }

  /**
   * Recipients held by a sender that stopped (a crash, a lost database): their
   * claims are 'sending' and have not been renewed for a few heartbeats. They
   * resume when both their leases and the lease of the job that was sending
   * them have run out, and a worker takes the job again.
   */
  private async stalled(issue: repo.IssueRow): Promise<{ count: number; resumesAt: string | null }> {
    if (issue.status !== 'sending') return { count: 0, resumesAt: null };
    const now = Date.now();
    // A live sender keeps its leases at least DELIVERY_LEASE_MS - HEARTBEAT_MS ahead; two missed heartbeats mean it stopped.
    const renewedBefore = new Date(now + DELIVERY_LEASE_MS - 3 * HEARTBEAT_MS).toISOString();
    const { count, until } = await repo.stalledDeliveries(this.db, issue.id, renewedBefore);
    if (count === 0) return { count: 0, resumesAt: null };
    const jobs = (await jobsByKind(this.db, 'newsletter_send', 'running')).filter((j) => {
      try {
        return (JSON.parse(j.payload) as SendPayload).issueId === issue.id;
      } catch {
        return false;
      }
    });
    const times = [until, ...jobs.map((j) => (j.locked_until ? new Date(j.locked_until).toISOString() : null))].filter(
      (t): t is string => t !== null,
    );
    const latest = times.sort().pop() ?? null;
    return { count, resumesAt: latest && latest > new Date(now).toISOString() ? latest : null };
  }

  // ---- the newsroom: subscribers ------------------------------------------------

  async subscribers(actor: Actor, slug: string, filter: repo.SubscriberFilter, page: number, pageSize = 50) {
    requireRunner(actor);
    const newsletter = await this.newsletter(slug);
    // Without a search, the list's length is already in the counts by state: the subscriptions are counted once.
    const counts = await repo.countSubscriptionsByStatus(this.db, newsletter.id);
    const total = filter.q
      ? await repo.countSubscribers(this.db, newsletter.id, filter)
      : filter.status
        ? counts[filter.status]
        : Object.values(counts).reduce((sum, n) => sum + n, 0);
    const pages = Math.max(1, Math.ceil(total / pageSize));
    if (page > pages) throw new NotFoundError('There is no page with that number: the list is shorter.');
    const rows = await repo.listSubscribers(this.db, newsletter.id, filter, pageSize, (page - 1) * pageSize);
    return { newsletter, counts, total, pages, rows };
  }

  async exportCsv(actor: Actor, slug: string): Promise<{ filename: string; csv: string }> {
    requireRunner(actor);
    const newsletter = await this.newsletter(slug);
    const rows = await repo.allSubscribers(this.db, newsletter.id);
    const csv = toCsv(
      ['email', 'status', 'source', 'consent', 'consent_at', 'confirmed_at', 'unsubscribed_at', 'created_at'],
      rows.map((r) => [r.email, r.status, r.source, r.consent, r.consent_at, r.confirmed_at, r.unsubscribed_at, r.created_at]),
    );
    return { filename: `${newsletter.slug}-subscribers-${nowIso().slice(0, 10)}.csv`, csv };
  }

  /**
   * Imports a CSV of addresses, all or nothing: the whole file is checked first,
   * then written in one transaction. A file with a status column (as the export
   * writes it) keeps each row's status: a pending row stays pending (it gets a
   * confirmation email, never a confirmation), an unsubscribed or suppressed row
   * is not added and stops mail to an address already on the list. Rows marked
   * confirmed, and files without a status, add confirmed subscribers only when
   * the editor attests consent; otherwise each address gets a confirmation email
   * and stays pending until it answers. An import never undoes an unsubscribe or
   * a suppression, and never turns a confirmed subscriber back into a pending one.
   */
  async importCsv(actor: Actor, slug: string, bytes: Buffer, consentAttested: boolean): Promise<ImportReport> {
    requireRunner(actor);
    const newsletter = await this.newsletter(slug);
    const check = checkImport(bytes);
    if (!check.ok) throw new ImportError(check.problem === 'too_large' ? 413 : 422, check.messages);
    const report: ImportReport = {
      confirmed: 0,
      invited: 0,
      alreadyConfirmed: 0,
      alreadyPending: 0,
      stopped: 0,
      skippedUnsubscribed: 0,
      skippedSuppressed: 0,
      duplicates: check.duplicates,
    };
    const at = nowIso();
    const expires = new Date(Date.now() + CONFIRM_LIFETIME_MS).toISOString();
    await this.db.transaction().execute(async (trx) => {
      const existing = new Map((await repo.subscriptionsByEmails(trx, newsletter.id, check.emails)).map((s) => [s.email, s]));
      const fresh: Parameters<typeof repo.insertSubscriptions>[1] = [];
      const invite: string[] = [];
      for (const { email, status } of check.rows) {
        const current = existing.get(email);
        if (current?.status === 'unsubscribed') {
          report.skippedUnsubscribed++;
          continue;
        }
        if (current?.status === 'suppressed') {
          report.skippedSuppressed++;
          continue;
        }
        if (status === 'unsubscribed' || status === 'suppressed') {
          // The file says this address must not be mailed: it is not added, and mail to it stops here too.
          if (!current) {
            if (status === 'unsubscribed') report.skippedUnsubscribed++;
            else report.skippedSuppressed++;
            continue;
          }
          report.stopped++;
          await repo.updateSubscription(
            trx,
            current.id,
            status === 'unsubscribed' ? { status, unsubscribed_at: at, updated_at: at } : { status, suppressed_at: at, updated_at: at },
          );
          continue;
        }
        if (current?.status === 'confirmed') {
          report.alreadyConfirmed++;
          continue;
        }
        if (status === 'pending' && current?.status === 'pending') {
          report.alreadyPending++;
          continue;
        }
        if (consentAttested && status !== 'pending') {
          report.confirmed++;
          if (current)
            await this.confirmedSubscription(
              trx,
              newsletter.id,
              email,
              current,
              { source: 'import', consent: 'import_attested', userId: null, consentBy: actor.userId },
              at,
            );
          else
            fresh.push(
              repo.confirmedSubscription({
                newsletterId: newsletter.id,
                email,
                userId: null,
                source: 'import',
                consent: 'import_attested',
                consentBy: actor.userId,
                at,
              }),
            );
          continue;
        }
        report.invited++;
        const id = current?.id ?? newId();
        const nonce = randomBytes(16).toString('base64url');
        const pending = {
          status: 'pending' as const,
          confirm_nonce: nonce,
          confirm_token_hash: hashToken(confirmationToken(this.deps.secret, id, nonce)),
          confirm_expires_at: expires,
          confirm_sent_at: at,
          updated_at: at,
        };
        if (current) await repo.updateSubscription(trx, id, pending);
        else
          fresh.push({
            id,
            newsletter_id: newsletter.id,
            email,
            user_id: null,
            source: 'import',
            consent: null,
            consent_at: null,
            consent_by: null,
            confirmed_at: null,
            unsubscribed_at: null,
            created_at: at,
            ...pending,
          });
        invite.push(id);
      }
      await repo.insertSubscriptions(trx, fresh);
      for (const subscriptionId of invite) await enqueue(trx, 'newsletter_mail', { kind: 'confirm', subscriptionId } satisfies MailPayload);
    });
    return report;
  }

  /** Takes back an address suppressed after hard bounces (the editor fixed it, or the mailbox works again). */
  async reactivateSubscriber(actor: Actor, slug: string, subscriptionId: string): Promise<string> {
    requireRunner(actor);
    const newsletter = await this.newsletter(slug);
    const sub = await repo.findSubscriptionById(this.db, subscriptionId);
    if (
      !sub ||
      sub.newsletter_id !== newsletter.id ||
      !(await repo.reactivateSuppressed(this.db, newsletter.id, subscriptionId, nowIso()))
    ) {
      throw new NotFoundError('That address is not suppressed on this list (any more).');
    }
    return sub.email;
  }

  async removeSubscriber(actor: Actor, slug: string, subscriptionId: string): Promise<string> {
    requireRunner(actor);
    const newsletter = await this.newsletter(slug);
    const sub = await repo.findSubscriptionById(this.db, subscriptionId);
    if (!sub || sub.newsletter_id !== newsletter.id || !(await repo.deleteSubscription(this.db, newsletter.id, subscriptionId))) {
      throw new NotFoundError('That subscriber is not on this list (any more).');
    }
    return sub.email;
  }

  // ---- the newsroom: newsletters -------------------------------------------------

  async createNewsletter(actor: Actor, settings: NewsletterSettings): Promise<string> {
    if (!canCreateNewsletter(actor))
      throw new ForbiddenError('New newsletters are started by the editor-in-chief, the managing editor or a mentor.');
    const slug = slugify(settings.name, `newsletter-${newId().slice(-6)}`);
    if (await repo.findNewsletterBySlug(this.db, slug))
      throw new BadRequestError(`There is already a newsletter called “${settings.name}”.`, 'newsletter_exists');
    const at = nowIso();
    const position = (await repo.listNewsletters(this.db)).length;
    await repo.insertNewsletter(this.db, { id: newId(), slug, position, created_at: at, updated_at: at, ...columnsOf(settings) });
    return slug;
  }

  async updateNewsletter(actor: Actor, slug: string, settings: NewsletterSettings): Promise<void> {
    requireRunner(actor);
    const newsletter = await this.newsletter(slug);
    await repo.updateNewsletter(this.db, newsletter.id, { ...columnsOf(settings), updated_at: nowIso() });
  }
}

function columnsOf(s: NewsletterSettings) {
  return {
    name: s.name,
    description: s.description,
    sender_name: s.senderName,
    sender_email: normaliseEmail(s.senderEmail),
    send_weekday: s.sendWeekday,
    send_time: s.sendTime,
    time_zone: s.timeZone,
  };
}
