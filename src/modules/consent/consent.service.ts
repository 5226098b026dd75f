// Guardian consent: who needs it (a writer younger than their country's age of
// digital consent on the day of publication), the requests sent to guardians
// and what the guardians answered, the ages administrators set per country, and
// the check the newsroom runs, in its own transaction, before it publishes or
// schedules an article.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { dateInZone, formatLongDate, todayUtc } from '../../lib/dates.js';
import { isEmailAddress, normaliseEmail } from '../../lib/email.js';
import { newId } from '../../lib/ids.js';
import { renderEmail, type SiteIdentity } from '../../mail/layout.js';
import type { Mailer } from '../../mail/mailer.js';
import { enqueue } from '../../jobs/index.js';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../../web/errors.js';
import { hashToken, newToken } from '../accounts/index.js';
import { drafts } from '../articles/index.js';
import { agesOn, peopleLookups } from '../people/index.js';
import { canManagePeople, has, isAdmin, isChief, type Actor, type RoleHolder } from '../access/index.js';
import { CURRENT_WORDING } from './consent-text.js';
import { CONSENT_COUNTRIES, countryName, countryOfPlace, defaultAges, ELSEWHERE, MAX_CONSENT_AGE, MIN_CONSENT_AGE } from './countries.js';
import * as repo from './consent.repository.js';

export const GUARDIAN_EMAIL_JOB = 'guardian_consent_email';
/** How long the guardian's confirmation link works; the withdrawal link works as long as there is something to withdraw. */
export const CONFIRM_LINK_DAYS = 30;

export type ConsentState = 'none' | 'waiting' | 'given' | 'revoked';

/** Where a writer stands on one day: their age, the age their country asks for, and the consent on record. */
export interface WriterConsent {
  personId: string;
  name: string;
  age: number | null;
  country: string;
  consentAge: number;
  /** Younger than the age of digital consent that day (unknown birth dates count as not needing it). */
  needed: boolean;
  state: ConsentState;
  givenAt: string | null;
  revokedAt: string | null;
}

// ---- access rules (pure) ----

/** The people desk's editors, section editors and the writer themself record a guardian's details. */
export const canRecordConsent = (actor: Actor, personId: string) =>
  canManagePeople(actor) || has(actor, 'section_editor') || actor.personId === personId;
/** The list of writers without consent is the editor-in-chief's (and the chiefs' and administrators'). */
export const canSeeConsentList = (actor: RoleHolder) => isChief(actor) || isAdmin(actor);
/** The ages of digital consent are a legal setting: administrators change them. */
export const canSetConsentAges = (actor: RoleHolder) => isAdmin(actor);

// ---- the ages ----

/** The age of digital consent per country code (and ELSEWHERE): the defaults, with what administrators changed. */
export async function consentAges(db: repo.ConsentDb): Promise<Map<string, number>> {
  const ages = defaultAges();
  for (const row of await repo.storedAges(db)) if (ages.has(row.country)) ages.set(row.country, Number(row.age));
  return ages;
}

export const consentAgeOf = (ages: Map<string, number>, country: string) => ages.get(country) ?? ages.get(ELSEWHERE)!;

function stateOf(row: repo.ConsentRow | undefined): ConsentState {
  if (!row || row.status === 'replaced') return 'none';
  return row.status;
}

/** Each writer's consent on a day (YYYY-MM-DD): ages come from the people module, never their birth dates. */
export async function writersConsent(db: Db, personIds: string[], day: string): Promise<Map<string, WriterConsent>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Map();
  const [ages, people, latest, table] = await Promise.all([
    agesOn(
      db,
      ids.map((personId) => ({ personId, frozenAge: null })),
      day,
    ),
    // Their own names (not a byline's shown name): these pages are the newsroom's.
    peopleLookups.namesAndFirstPlaces(db, ids),
    repo.latestOf(db, ids),
    consentAges(db),
  ]);
  return new Map(
    ids.map((personId) => {
      const age = ages.get(personId) ?? null;
      const country = countryOfPlace(people.get(personId)?.firstPlace);
      const consentAge = consentAgeOf(table, country);
      const row = latest.get(personId);
      const state = stateOf(row);
      return [
        personId,
        {
          personId,
          name: people.get(personId)?.name || 'Unknown writer',
          age,
          country,
          consentAge,
          needed: age !== null && age < consentAge,
          state,
          givenAt: state === 'given' ? row!.given_at : null,
          revokedAt: state === 'revoked' ? row!.revoked_at : null,
        },
      ];
    }),
  );
}

/** What the people desk shows for a writer: nothing for those who need no consent and have none on record. */
export function consentLabel(c: WriterConsent): string | null {
  if (c.state === 'given') return `Given on ${formatLongDate(c.givenAt!)}`;
  if (c.state === 'revoked') return `Revoked on ${formatLongDate(c.revokedAt!)}`;
  if (!c.needed) return null;
  return c.state === 'waiting' ? 'Waiting for the guardian' : 'None';
}

/** The address of a writer's consent page in the people desk. */
export const consentPagePath = (personId: string) => `/newsroom/people/${personId}/consent`;

// ---- the check before publication ----

export interface RefusedWriter {
  personId: string;
  name: string;
  age: number;
  consentAge: number;
  country: string;
  state: ConsentState;
  consentPage: string;
}

function refusalSentence(w: RefusedWriter, day: string): string {
  const why =
    w.state === 'waiting'
      ? 'their guardian has not confirmed consent yet'
      : w.state === 'revoked'
        ? 'their guardian withdrew consent'
        : 'there is no guardian’s consent on record';
  const where = w.country === ELSEWHERE ? '' : ` in ${countryName(w.country)}`;
  return `${w.name} is ${w.age} on ${formatLongDate(day)}, under the age of digital consent${where} (${w.consentAge}), and ${why}. Record or renew it on ${w.name}’s consent page: ${w.consentPage}`;
}

/** A publication or schedule refused because a writer needs a guardian's consent. */
export class GuardianConsentRequired extends AppError {
  constructor(
    readonly writers: RefusedWriter[],
    readonly step: 'publish' | 'schedule',
    readonly day: string,
  ) {
    super(
      409,
      'guardian_consent_required',
      `This article cannot be ${step === 'publish' ? 'published' : 'scheduled'}. ${writers.map((w) => refusalSentence(w, day)).join(' ')}`,
      'A guardian’s consent is needed',
    );
  }
}

/** The writers among these authors who may not be published on this day (YYYY-MM-DD). */
export async function refusedWriters(db: Db, authorIds: string[], day: string): Promise<RefusedWriter[]> {
  const consents = await writersConsent(db, authorIds, day);
  return [...consents.values()]
    .filter((c) => c.needed && c.state !== 'given')
    .map((c) => ({
      personId: c.personId,
      name: c.name,
      age: c.age!,
      consentAge: c.consentAge,
      country: c.country,
      state: c.state,
      consentPage: consentPagePath(c.personId),
    }));
}

/**
 * Refuses (throws GuardianConsentRequired) when an author is younger than their
 * country's age of digital consent on the publication day and has no given
 * consent. Called by the newsroom inside the transaction that publishes or schedules.
 */
export async function checkPublication(db: Db, authorIds: string[], publishAt: string, step: 'publish' | 'schedule'): Promise<void> {
  const day = dateInZone(publishAt);
  const refused = await refusedWriters(db, authorIds, day);
  if (refused.length > 0) throw new GuardianConsentRequired(refused, step, day);
}

// ---- requests, guardians' answers, the list and the settings ----

export class ConsentFormError extends AppError {
  constructor(readonly errors: Record<string, string>) {
    super(422, 'invalid_consent_request', Object.values(errors)[0]!, 'Not sent');
  }
}

export interface ConsentDeps {
  db: Db;
  site: SiteIdentity;
  mailer: Mailer;
  log: FastifyBaseLogger;
}

export type GuardianLinkState = 'ready' | 'given' | 'revoked' | 'replaced' | 'expired' | 'invalid';

export interface GuardianLink {
  state: GuardianLinkState;
  consent?: repo.ConsentRow;
  writerName?: string;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

export class ConsentService {
  constructor(private readonly deps: ConsentDeps) {}

  private get db() {
    return this.deps.db;
  }

  private async writerName(personId: string): Promise<string> {
    const name = await peopleLookups.personName(this.db, personId);
    if (name === undefined) throw new NotFoundError('There is nobody with this address.');
    return name;
  }

  /** A writer's consent page: where they stand today, the requests so far, and the words a new request would show. */
  async personPage(actor: Actor, personId: string) {
    if (!canRecordConsent(actor, personId))
      throw new ForbiddenError('The people desk’s editors, section editors and the writer themself record a guardian’s consent.');
    const name = await this.writerName(personId);
    const [today, history] = await Promise.all([writersConsent(this.db, [personId], todayUtc()), repo.historyOf(this.db, personId)]);
    return {
      name,
      consent: today.get(personId)!,
      history: history.map(({ confirm_token_hash: _c, revoke_token_hash: _r, ...row }) => row),
      wording: { version: CURRENT_WORDING.version, text: CURRENT_WORDING.text(name, this.deps.site.siteName) },
    };
  }

  /**
   * Records a guardian's name and address and queues the email asking them to
   * confirm. A newer request replaces the earlier ones: `confirmReplace` must say
   * so when one was given, as publications stop until the guardian confirms again.
   */
  async request(
    actor: Actor,
    personId: string,
    input: { guardianName: string; guardianEmail: string; version: string; confirmReplace: boolean },
  ): Promise<void> {
    if (!canRecordConsent(actor, personId))
      throw new ForbiddenError('The people desk’s editors, section editors and the writer themself record a guardian’s consent.');
    const name = await this.writerName(personId);
    const errors: Record<string, string> = {};
    const guardianName = input.guardianName.trim();
    const guardianEmail = normaliseEmail(input.guardianEmail);
    if (guardianName === '') errors.guardianName = 'Enter the guardian’s name.';
    else if (guardianName.length > 100) errors.guardianName = 'Keep the name under 100 characters.';
    if (!isEmailAddress(guardianEmail)) errors.guardianEmail = 'Enter the guardian’s email address, like name@example.com.';
    const latest = (await repo.latestOf(this.db, [personId])).get(personId);
    if (latest?.status === 'given' && !input.confirmReplace)
      errors.confirmReplace = 'Tick the box to replace the consent already given: new publications wait until the guardian confirms.';
    if (Number(input.version) !== CURRENT_WORDING.version)
      errors.form = 'The consent text changed while the page was open: read the new text and send again.';
    if (Object.keys(errors).length > 0) throw new ConsentFormError(errors);
    const id = newId();
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      await repo.insertConsent(trx, {
        id,
        person_id: personId,
        guardian_name: guardianName,
        guardian_email: guardianEmail,
        text_version: CURRENT_WORDING.version,
        consent_text: CURRENT_WORDING.text(name, this.deps.site.siteName),
        status: 'waiting',
        requested_by: actor.userId,
        requested_by_name: actor.name,
        requested_at: now,
        email_sent_at: null,
        confirm_token_hash: null,
        revoke_token_hash: null,
        given_at: null,
        given_text_version: null,
        given_text: null,
        revoked_at: null,
      });
      await repo.replaceOpen(trx, personId, id);
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'consent.requested',
        subjectType: 'person',
        subjectId: personId,
        details: { consentId: id, textVersion: CURRENT_WORDING.version, replaced: latest?.status ?? null },
      });
      // The tokens are made by the worker as it sends, so no usable link is ever stored in the queue.
      await enqueue(trx, GUARDIAN_EMAIL_JOB, { consentId: id });
    });
  }

  /** Sends a waiting request's email again (lost, or its link expired): new links, and the earlier ones stop working. */
  async resend(actor: Actor, personId: string): Promise<void> {
    if (!canRecordConsent(actor, personId))
      throw new ForbiddenError('The people desk’s editors, section editors and the writer themself record a guardian’s consent.');
    await this.writerName(personId);
    const latest = (await repo.latestOf(this.db, [personId])).get(personId);
    if (latest?.status !== 'waiting')
      throw new BadRequestError('There is no request waiting for the guardian to send again.', 'no_waiting_request');
    await this.db.transaction().execute(async (trx) => {
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'consent.resent',
        subjectType: 'person',
        subjectId: personId,
        details: { consentId: latest.id },
      });
      await enqueue(trx, GUARDIAN_EMAIL_JOB, { consentId: latest.id });
    });
  }

  /** Runs a GUARDIAN_EMAIL_JOB: new links for a request still waiting, then the email. A later run replaces the links. */
  async runEmailJob(payload: unknown): Promise<void> {
    const { consentId } = payload as { consentId: string };
    const row = await repo.findById(this.db, consentId);
    if (!row || row.status !== 'waiting') return;
    const writer = await this.writerName(row.person_id);
    const confirm = newToken();
    const revoke = newToken();
    if (!(await repo.setTokens(this.db, row.id, { confirm: confirm.hash, revoke: revoke.hash }, nowIso()))) return;
    const { siteUrl, siteName } = this.deps.site;
    const message = renderEmail(this.deps.site, {
      subject: `Your consent for ${writer} to publish with ${siteName}`,
      paragraphs: [
        `Hello ${row.guardian_name},`,
        `${writer} writes for ${siteName}, a magazine by young people. Because of their age, we publish their articles only with the consent of a parent or guardian. ${row.requested_by_name} gave us your name and address.`,
        'This is what we ask you to agree to (consent text, version ' + String(row.text_version) + '):',
        ...row.consent_text.split('\n\n'),
        `To withdraw your consent, now or at any time later: ${siteUrl}/consent/withdraw?token=${revoke.token}`,
      ],
      action: { label: 'Read and give consent', url: `${siteUrl}/consent/confirm?token=${confirm.token}` },
      footnote: `The consent link works for ${CONFIRM_LINK_DAYS} days. If you do not know ${writer}, ignore this email: nothing of theirs is published without consent.`,
    });
    await this.deps.mailer.send({ to: row.guardian_email, ...message });
  }

  /** What a guardian's link leads to, without acting on it (the page asks for a click first). */
  async guardianLink(purpose: 'confirm' | 'revoke', token: string): Promise<GuardianLink> {
    if (!TOKEN_SHAPE.test(token)) return { state: 'invalid' };
    const consent = await repo.findByTokenHash(this.db, purpose, hashToken(token));
    if (!consent) return { state: 'invalid' };
    const writerName = await this.writerName(consent.person_id);
    if (consent.status !== 'waiting') return { state: consent.status, consent, writerName };
    if (purpose === 'confirm' && Date.parse(consent.email_sent_at ?? consent.requested_at) + CONFIRM_LINK_DAYS * 86_400_000 < Date.now())
      return { state: 'expired', consent, writerName };
    return { state: 'ready', consent, writerName };
  }

  /** The guardian's consent: the timestamp, the version and the exact text they were shown. `done` is false when the link could not be used. */
  async give(token: string, shownVersion: string): Promise<GuardianLink & { done: boolean }> {
    const link = await this.guardianLink('confirm', token);
    if (link.state !== 'ready') return { ...link, done: false };
    const consent = link.consent!;
    if (Number(shownVersion) !== consent.text_version) return { state: 'invalid', done: false };
    const at = nowIso();
    let given = false;
    await this.db.transaction().execute(async (trx) => {
      given = await repo.markGiven(trx, consent.id, { at, version: consent.text_version, text: consent.consent_text });
      if (!given) return;
      await recordAudit(trx, {
        userId: null,
        actorName: `${consent.guardian_name} (guardian)`,
        action: 'consent.given',
        subjectType: 'person',
        subjectId: consent.person_id,
        details: { consentId: consent.id, textVersion: consent.text_version },
      });
    });
    if (!given) return { ...(await this.guardianLink('confirm', token)), done: false };
    return { state: 'given', consent: { ...consent, status: 'given', given_at: at }, writerName: link.writerName!, done: true };
  }

  /**
   * What a withdrawal link leads to: the withdrawal link of the email, or the
   * consent link itself while the request waits (the guardian refuses instead).
   */
  async withdrawalLink(token: string): Promise<GuardianLink> {
    const link = await this.guardianLink('revoke', token);
    if (link.state !== 'invalid') return link;
    const confirm = await this.guardianLink('confirm', token);
    return confirm.state === 'ready' ? confirm : link;
  }

  /** The guardian withdraws (or refuses) consent: new publications stop and the editor-in-chief hears of it. Nothing is unpublished. */
  async revoke(token: string): Promise<GuardianLink & { done: boolean }> {
    const link = await this.withdrawalLink(token);
    if (link.state !== 'ready' && link.state !== 'given') return { ...link, done: false };
    const consent = link.consent!;
    const at = nowIso();
    let revoked = false;
    await this.db.transaction().execute(async (trx) => {
      revoked = await repo.markRevoked(trx, consent.id, at);
      if (!revoked) return;
      await recordAudit(trx, {
        userId: null,
        actorName: `${consent.guardian_name} (guardian)`,
        action: 'consent.revoked',
        subjectType: 'person',
        subjectId: consent.person_id,
        details: { consentId: consent.id, wasGiven: consent.status === 'given' },
      });
      const chiefs = await peopleLookups.peopleWithRole(trx, ['editor_in_chief'], todayUtc());
      for (const chief of await peopleLookups.emailsOfPeople(trx, chiefs)) {
        const message = renderEmail(this.deps.site, {
          subject: `Guardian’s consent withdrawn: ${link.writerName!}`,
          paragraphs: [
            `Hello ${chief.name.split(' ')[0]},`,
            `The guardian of ${link.writerName!} withdrew their consent. New articles by ${link.writerName!} cannot be published or scheduled, and a scheduled one will not go out. Their published articles stay online until you decide.`,
          ],
          action: { label: 'Open the list', url: `${this.deps.site.siteUrl}/newsroom/consent` },
        });
        await enqueue(trx, 'send_email', { to: chief.email, ...message });
      }
    });
    if (!revoked) return { ...(await this.withdrawalLink(token)), done: false };
    return { state: 'revoked', consent: { ...consent, status: 'revoked', revoked_at: at }, writerName: link.writerName!, done: true };
  }

  /**
   * The editor-in-chief's list: writers whose guardian withdrew consent, and
   * writers younger than their country's age today with no consent given, in
   * name order; a page of them (from `offset`) with their published articles.
   */
  async missingList(
    actor: Actor,
    page: { offset: number; limit: number },
  ): Promise<{
    total: number;
    items: { writer: WriterConsent; published: { id: string; slug: string; title: string; published_at: string | null }[] }[];
  }> {
    if (!canSeeConsentList(actor)) throw new ForbiddenError('The list of writers without a guardian’s consent is for the editor-in-chief.');
    const everyone = await peopleLookups.listPeopleForPicker(this.db);
    const consents = await writersConsent(
      this.db,
      everyone.map((p) => p.id),
      todayUtc(),
    );
    const listed = everyone.map((p) => consents.get(p.id)!).filter((c) => c.state === 'revoked' || (c.needed && c.state !== 'given'));
    // Only the page's writers have their articles read.
    const items = await Promise.all(
      listed.slice(page.offset, page.offset + page.limit).map(async (writer) => ({
        writer,
        published: (await drafts.listDesk(this.db, { statuses: ['published'], authorId: writer.personId }, 100, 0)).rows,
      })),
    );
    return { total: listed.length, items };
  }

  /** The settings page's table: every country with its default and current age. */
  async agesTable(actor: Actor) {
    if (!canSetConsentAges(actor)) throw new ForbiddenError('Administrators set the ages of digital consent.');
    const ages = await consentAges(this.db);
    return [
      ...CONSENT_COUNTRIES.map((c) => ({ code: c.code, name: c.name, defaultAge: c.age, age: ages.get(c.code)! })),
      { code: ELSEWHERE, name: 'Every other country', defaultAge: defaultAges().get(ELSEWHERE)!, age: ages.get(ELSEWHERE)! },
    ];
  }

  /** Saves the ages typed in the settings form (all or none): each from 13 to 18. The changes are audited. */
  async saveAges(actor: Actor, typed: Record<string, string>): Promise<number> {
    const table = await this.agesTable(actor);
    const errors: Record<string, string> = {};
    const changes: Record<string, { from: number; to: number }> = {};
    for (const row of table) {
      const value = (typed[row.code] ?? '').trim();
      const age = Number(value);
      if (!/^\d{1,2}$/.test(value) || age < MIN_CONSENT_AGE || age > MAX_CONSENT_AGE) {
        errors[row.code] = `${row.name}: enter a whole number from ${MIN_CONSENT_AGE} to ${MAX_CONSENT_AGE}.`;
      } else if (age !== row.age) changes[row.code] = { from: row.age, to: age };
    }
    if (Object.keys(errors).length > 0) throw new ConsentFormError(errors);
    if (Object.keys(changes).length === 0) return 0;
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      for (const [code, { to }] of Object.entries(changes)) await repo.saveAge(trx, code, to, now);
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'consent.ages_changed',
        subjectType: 'setting',
        subjectId: 'digital_consent_ages',
        details: changes,
      });
    });
    return Object.keys(changes).length;
  }
}
