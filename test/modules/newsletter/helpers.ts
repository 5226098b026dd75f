// Helpers for the newsletter tests: form posts with repeated fields (the issue
// composer sends one `item` per story), signed-in readers, draining the job
// queue, a worker whose clock runs ahead (to reach a scheduled send), and
// confirming a subscription through the link that arrived by email.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { JobWorker } from '../../../src/jobs/index.js';
import { Browserish } from '../../browserish.js';
import { databaseKind, type TestApp } from '../../helpers.js';
import type { Inbox } from '../../smtp.js';

export { readerClient } from '../../readers.js';

export const SITE = 'http://harbinger.test';

/** Posts urlencoded pairs (repeated names allowed) with the client's cookies and its CSRF token first. */
export async function postPairs(t: TestApp, client: Browserish, url: string, pairs: [string, string][]): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams([['_csrf', client.csrf], ...pairs]).toString();
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: client.remoteAddress,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(client.cookies.size ? { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
    },
    payload: body,
  });
}

/** Runs every job that is due now (confirmation emails, a send started now...). */
export async function drainJobs(t: TestApp): Promise<void> {
  while ((await t.app.worker.runOnce()) > 0);
}

/** A worker over the app's newsletter jobs whose clock is `aheadMs` in the future: it runs jobs scheduled up to then. */
export function workerAhead(t: TestApp, aheadMs: number): JobWorker {
  return new JobWorker(t.db, databaseKind, t.app.newsletter.jobHandlers, { now: () => new Date(Date.now() + aheadMs) });
}

export async function runAll(worker: JobWorker): Promise<void> {
  while ((await worker.runOnce()) > 0);
}

/** Everything the inbox received for an address. */
export function messagesTo(inbox: Inbox, email: string, subject?: RegExp): ParsedMail[] {
  return inbox.messages.filter((m) => {
    const to = (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
    return to.includes(email.toLowerCase()) && (!subject || subject.test(m.subject ?? ''));
  });
}

/** Signs up as a visitor through the footer form (no CSRF token, no cookies needed). */
export async function visitorSignUp(t: TestApp, email: string, source = 'footer'): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/newsletters/subscribe',
    remoteAddress: `10.200.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, newsletter: 'weekly-brief', source, website: '' }).toString(),
  });
}

/** Follows the confirmation link of the latest confirmation email to this address, and presses its button. */
export async function confirmFromInbox(t: TestApp, inbox: Inbox, email: string): Promise<LightMyRequestResponse> {
  await drainJobs(t);
  const message = await inbox.waitFor(email, /Confirm your subscription/);
  const link = inbox.linkIn(message, `${SITE}/newsletters/confirm?token=`);
  const visitor = new Browserish(t.app);
  const page = await visitor.get(link.replace(SITE, ''));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Yes, subscribe me/);
  return visitor.post('/newsletters/confirm', { token: new URL(link).searchParams.get('token')! });
}

export async function subscriptionOf(t: TestApp, email: string) {
  return t.db.selectFrom('subscriptions').selectAll().where('email', '=', email).executeTakeFirst();
}
