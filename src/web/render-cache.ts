// An in-process cache of rendered anonymous pages. Each entry remembers the
// surrogate keys of what its page shows (web/surrogate-keys.ts): a change drops
// the entries with the keys it names, or every entry when it names none. Changes
// are numbered (the content generation, stored in the database): a process that
// sees a generation it did not hear about (no shared change bus, or a lost
// message) cannot know what changed, so it drops everything.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { hasSlots } from './slots.js';
import { SITE } from './surrogate-keys.js';

export interface CachedPage {
  status: number;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  /** The page has slots to fill per request (see slots.ts), so it is never sent as it is. */
  slotted: boolean;
  /** The surrogate keys of what the page shows; always holds `site`. */
  keys: readonly string[];
  /** When what the page shows last changed (an article's last published change), as an HTTP date; null when unknown. */
  lastModified: string | null;
}

export interface PageFacts {
  keys?: Iterable<string>;
  lastModified?: Date | null;
}

export class RenderCache {
  private entries = new Map<string, CachedPage>();
  private generation = 0;
  /** Pages show roles held today, so a new day starts an empty cache. */
  private day = new Date().toISOString().slice(0, 10);

  constructor(private readonly maxEntries: number) {}

  get currentGeneration(): number {
    return this.generation;
  }

  /** Moves to a generation learnt without its keys (the poll); returns true when that dropped the cache. */
  advanceTo(generation: number): boolean {
    if (generation === this.generation) return false;
    this.generation = generation;
    this.entries.clear();
    return true;
  }

  /**
   * Applies a change heard on the change bus: drops the entries showing any of
   * `keys`, or everything when keys is null or when generations were missed
   * between the last one this cache saw and this one.
   */
  applyChange(generation: number, keys: readonly string[] | null): void {
    const missed = generation > this.generation + 1;
    if (generation > this.generation) this.generation = generation;
    if (keys === null || missed || keys.includes(SITE)) {
      this.entries.clear();
      return;
    }
    this.drop(keys);
  }

  /** Drops the entries whose page shows any of these keys; returns how many went. */
  drop(keys: readonly string[]): number {
    const wanted = new Set(keys);
    let dropped = 0;
    for (const [key, page] of this.entries) {
      if (page.keys.some((k) => wanted.has(k))) {
        this.entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  get(key: string): CachedPage | undefined {
    const today = new Date().toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.entries.clear();
      return undefined;
    }
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh recency: a Map iterates in insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, html: string, status = 200, facts: PageFacts = {}): CachedPage {
    const page = makePage(html, status, facts);
    if (this.maxEntries === 0) return page;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, page);
    return page;
  }

  get size(): number {
    return this.entries.size;
  }
}

export function makePage(html: string, status = 200, facts: PageFacts = {}): CachedPage {
  const body = Buffer.from(html);
  const keys = [...new Set([SITE, ...(facts.keys ?? [])])];
  // HTTP dates have whole seconds; a Last-Modified in the future would make every If-Modified-Since look fresh.
  const modified = facts.lastModified && !Number.isNaN(facts.lastModified.getTime()) ? facts.lastModified : null;
  const lastModified = modified ? new Date(Math.min(modified.getTime(), Date.now())).toUTCString() : null;
  if (hasSlots(html)) return { status, body, gzip: null, etag: '', slotted: true, keys, lastModified };
  return {
    slotted: false,
    status,
    body,
    gzip: body.length > 1024 ? gzipSync(body, { level: 6 }) : null,
    etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`,
    keys,
    lastModified,
  };
}
