// Applies the migrations in order. The list is static (not read from disk) so it
// works the same under tsx, a bundler, and tests.
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as foundation from './migrations/2026-11-26-01-foundation.js';
import * as accounts from './migrations/2026-11-26-02-accounts.js';
import * as newsroom from './migrations/2026-11-26-03-newsroom.js';
import * as newsletter from './migrations/2026-11-26-04-newsletter.js';
import * as competitions from './migrations/2026-11-26-05-competitions.js';
import * as keyLimits from './migrations/2026-11-29-03-key-limits.js';
import * as mediaPrivacy from './migrations/2026-11-29-04-media-privacy.js';
import * as newsletterBounces from './migrations/2026-11-29-05-newsletter-bounces.js';
import * as search from './migrations/2026-11-30-01-search.js';
import * as searchNewest from './migrations/2026-11-30-02-search-newest.js';
import * as staticPages from './migrations/2026-11-30-03-static-pages.js';
import * as redirects from './migrations/2026-11-30-04-redirects.js';
import * as imports from './migrations/2026-11-30-05-imports.js';
import * as listingIndexes from './migrations/2026-11-30-06-listing-indexes.js';
import * as deskIndexes from './migrations/2026-11-30-08-desk-indexes.js';
import * as deskOrders from './migrations/2026-11-30-09-desk-orders.js';
import * as deskSearch from './migrations/2026-11-30-10-desk-search.js';
import * as guardianConsent from './migrations/2026-11-30-11-guardian-consent.js';
import * as bylinePrivacy from './migrations/2026-11-30-12-byline-privacy.js';
import * as problemReports from './migrations/2026-11-30-13-problem-reports.js';
import * as twoFactor from './migrations/2026-11-30-14-two-factor.js';
import * as relatedOrder from './migrations/2026-11-30-15-related-order.js';
import * as subscriberCountStatements from './migrations/2026-11-30-16-subscriber-count-statements.js';

const migrations: Record<string, Migration> = {
  '2026-11-26-01-foundation': foundation,
  '2026-11-26-02-accounts': accounts,
  '2026-11-26-03-newsroom': newsroom,
  '2026-11-26-04-newsletter': newsletter,
  '2026-11-26-05-competitions': competitions,
  '2026-11-29-03-key-limits': keyLimits,
  '2026-11-29-04-media-privacy': mediaPrivacy,
  '2026-11-29-05-newsletter-bounces': newsletterBounces,
  '2026-11-30-01-search': search,
  '2026-11-30-02-search-newest': searchNewest,
  '2026-11-30-03-static-pages': staticPages,
  '2026-11-30-04-redirects': redirects,
  '2026-11-30-05-imports': imports,
  '2026-11-30-06-listing-indexes': listingIndexes,
  '2026-11-30-08-desk-indexes': deskIndexes,
  '2026-11-30-09-desk-orders': deskOrders,
  '2026-11-30-10-desk-search': deskSearch,
  '2026-11-30-11-guardian-consent': guardianConsent,
  '2026-11-30-12-byline-privacy': bylinePrivacy,
  '2026-11-30-13-problem-reports': problemReports,
  '2026-11-30-14-two-factor': twoFactor,
  '2026-11-30-15-related-order': relatedOrder,
  '2026-11-30-16-subscriber-count-statements': subscriberCountStatements,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrationReport {
  applied: string[];
}

/**
 * `schema` names the PostgreSQL schema the migrations' own tables live in, when
 * the connection's search_path points at one (tests give each file a schema).
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationReport> {
  // Migrations written side by side may land in either order: one dated earlier but
  // added after a later one has run (a kept benchmark database, a staging copy) runs next.
  const migrator = new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('A migration failed.', { cause: error });
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
