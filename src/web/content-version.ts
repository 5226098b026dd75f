// The version number of published content, and how a change reaches every cache.
// A change (`bump`, with the surrogate keys of what it affects, or none for
// "everything") moves the number on in the database and is published on the
// change bus: every process that hears it drops from its render cache only the
// pages showing those keys (module caches drop wholly). A process that does not
// hear it (no shared bus, a lost message) sees the number move when it polls and
// drops everything. With a CDN in front (CDN_PURGE_URL), the keys also go on the
// job queue as a purge (web/cdn-purge.ts), sent with retries.
import type { Db } from '../db/database.js';
import { getSetting, setSetting } from '../db/settings.js';
import type { ChangeBus } from './change-bus.js';
import { enqueuePurge } from './cdn-purge.js';
import type { RenderCache } from './render-cache.js';
import { isValidKey, SITE } from './surrogate-keys.js';

const KEY = 'content_version';

/** Run when content changes; `keys` null means anything may have changed. */
export type ContentListener = (keys: readonly string[] | null) => void;

export interface ContentVersionOptions {
  bus: ChangeBus;
  /** Enqueue a CDN purge for each change (CDN_PURGE_URL is set). */
  purge: boolean;
}

export class ContentVersion {
  private timer: NodeJS.Timeout | null = null;
  private listeners: ContentListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly cache: RenderCache,
    private readonly options: ContentVersionOptions,
  ) {
    options.bus.subscribe((message) => {
      if (message.kind !== 'content') return;
      this.cache.applyChange(message.generation, message.keys);
      this.notify(message.keys);
    });
  }

  /** Registers a callback run whenever content changes (heard on the bus or seen by the poll). */
  onChange(listener: ContentListener): void {
    this.listeners.push(listener);
  }

  private notify(keys: readonly string[] | null): void {
    for (const l of this.listeners) {
      try {
        l(keys);
      } catch {
        // One module's cache failing to drop must not keep the others.
      }
    }
  }

  async refresh(): Promise<void> {
    const stored = Number((await getSetting(this.db, KEY)) ?? 0);
    // A generation this process did not hear about: what changed is unknown, so everything goes.
    if (stored > this.cache.currentGeneration && this.cache.advanceTo(stored)) this.notify(null);
  }

  /**
   * Call after any change readers can see, with the surrogate keys of what it
   * affects (web/surrogate-keys.ts); without keys every page is dropped and purged.
   */
  async bump(keys?: readonly string[] | null): Promise<void> {
    const list = keys ? [...new Set(keys)].filter(isValidKey) : null;
    if (list && list.length === 0) return;
    const next = Math.max(this.cache.currentGeneration, Number((await getSetting(this.db, KEY)) ?? 0)) + 1;
    await setSetting(this.db, KEY, String(next));
    await this.options.bus.publish({ kind: 'content', generation: next, keys: list });
    // Every page shows `site`, so purging it purges everything.
    if (this.options.purge) await enqueuePurge(this.db, list ?? [SITE]);
  }

  /**
   * Polls the stored version: the only way other processes' changes arrive on a
   * local bus, and on a shared one (Redis) a safety net for lost messages, so far less often.
   */
  startPolling(intervalMs = this.options.bus.shared ? 30_000 : 2000): void {
    this.timer = setInterval(() => {
      this.refresh().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
