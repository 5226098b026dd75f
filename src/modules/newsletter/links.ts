// The links in newsletter emails. Unsubscribe and preferences links carry a token
// signed with the site's secret (HMAC-SHA256 over the purpose and the
// subscription id): they need no table, keep working for as long as the
// subscription exists, and one purpose's token is useless for the other. The
// confirmation link's token is derived the same way from a nonce kept on the
// subscription, so a retried email job sends the same link again; only the
// token's SHA-256 is stored, as the accounts module does for its links.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isId } from '../../lib/ids.js';

export type LinkPurpose = 'unsubscribe' | 'preferences';

const SIG_LENGTH = 32;

function mac(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('base64url');
}

/** `<subscription id>.<signature>`: safe in a URL path and in a mailto subject. */
export function signSubscription(secret: string, purpose: LinkPurpose, subscriptionId: string): string {
  return `${subscriptionId}.${mac(secret, `newsletter:${purpose}:${subscriptionId}`).slice(0, SIG_LENGTH)}`;
}

/** The subscription id a token names, or null when it was not signed by us for this purpose. */
export function verifySubscriptionToken(secret: string, purpose: LinkPurpose, token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 100) return null;
  const dot = token.indexOf('.');
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  if (dot < 0 || !isId(id) || given.length !== SIG_LENGTH) return null;
  const expected = Buffer.from(signSubscription(secret, purpose, id).slice(dot + 1));
  return timingSafeEqual(given, expected) ? id : null;
}

/** The confirmation link's token for a subscription's current nonce. */
export function confirmationToken(secret: string, subscriptionId: string, nonce: string): string {
  return mac(secret, `newsletter:confirm:${subscriptionId}:${nonce}`);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface SiteLinks {
  siteUrl: string;
}

export const newsletterPaths = {
  newsletter: (slug: string) => `/newsletters/${slug}`,
  issue: (slug: string, number: number) => `/newsletters/${slug}/issues/${number}`,
  confirm: (token: string) => `/newsletters/confirm?token=${encodeURIComponent(token)}`,
  unsubscribe: (token: string) => `/newsletters/unsubscribe/${token}`,
  preferences: (token: string) => `/newsletters/preferences/${token}`,
};

/** The bare address of "Name <address>" (or the string itself when it has no angle brackets). */
export function addressOf(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim();
}
