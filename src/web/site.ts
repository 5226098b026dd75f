// The site every part of the app shares: its configuration, its name and address
// (for emails and feeds), the key that signs cookies and links, and whether
// cookies are marked Secure.
import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { getSetting } from '../db/settings.js';
import type { SiteIdentity } from '../mail/layout.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<Config>;
    site: SiteIdentity;
    /** Signs cookies, unsubscribe links and picture grants. */
    siteSecret: string;
    /** `true` on an https site; 'auto' marks cookies Secure on requests that arrived over https (as a proxy reports it). */
    secureCookies: boolean | 'auto';
  }
}

/**
 * The key that signs cookies: SESSION_SECRET when set, otherwise one generated on
 * the first start and kept in the database, so every app server shares it.
 */
async function storedSecret(db: Db): Promise<string> {
  const stored = await getSetting(db, 'secret_key');
  if (stored) return stored;
  await db
    .insertInto('settings')
    .values({ key: 'secret_key', value: randomBytes(32).toString('base64url'), updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, 'secret_key'))!;
}

export const sitePlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    app.decorate('config', config);
    app.decorate('site', { siteName: config.siteName, siteUrl: config.siteUrl });
    app.decorate('siteSecret', config.sessionSecret ?? (await storedSecret(app.db)));
    app.decorate<boolean | 'auto'>('secureCookies', config.siteUrl.startsWith('https:') ? true : 'auto');
  },
  { name: 'harbinger-site', dependencies: ['harbinger-database'] },
);
