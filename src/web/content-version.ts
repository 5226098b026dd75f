// The version number of published content, shared through the database so that
// every process (app servers, the worker) drops its render cache when anything
// readers can see changes.
import type { Db } from '../db/database.js';
import { getSetting, setSetting } from '../db/settings.js';
import type { RenderCache } from './render-cache.js';

const KEY = 'content_version';

export class ContentVersion {
  private timer: NodeJS.Timeout | null = null;
  private listeners: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly cache: RenderCache,
  ) {}

  /** Registers a callback run whenever the content version moves on. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async refresh(): Promise<void> {
    const stored = Number((await getSetting(this.db, KEY)) ?? 0);
    if (this.cache.advanceTo(stored)) for (const l of this.listeners) l();
  }

  /** Call after any change readers can see. */
  async bump(): Promise<void> {
    const next = Math.max(this.cache.currentGeneration, Number((await getSetting(this.db, KEY)) ?? 0)) + 1;
    await setSetting(this.db, KEY, String(next));
    this.cache.advanceTo(next);
    for (const l of this.listeners) l();
  }

  startPolling(intervalMs = 2000): void {
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
