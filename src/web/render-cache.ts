// An in-process cache of rendered anonymous pages. Entries belong to a content
// generation; publishing anything moves the generation on, which drops every
// entry at once. Other processes sharing the database (a second app server, the
// worker) bump the generation stored in the database, which each process polls.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { hasSlots } from './slots.js';

export interface CachedPage {
  status: number;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  /** The page has slots to fill per request (see slots.ts), so it is never sent as it is. */
  slotted: boolean;
}

export class RenderCache {
  private entries = new Map<string, CachedPage>();
  private generation = 0;
  /** Pages show roles held today, so a new day starts an empty cache. */
  private day = '';

  constructor(private readonly maxEntries: number) {}

  get currentGeneration(): number {
    return this.generation;
  }

  /** Moves to a newer generation; returns true when that dropped the cache. */
  advanceTo(generation: number): boolean {
    if (generation === this.generation) return false;
    this.generation = generation;
    this.entries.clear();
    return true;
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

  set(key: string, html: string, status = 200): CachedPage {
    const page = makePage(html, status);
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

export function makePage(html: string, status = 200): CachedPage {
  const body = Buffer.from(html);
  if (hasSlots(html)) return { status, body, gzip: null, etag: '', slotted: true };
  return {
    slotted: false,
    status,
    body,
    gzip: body.length > 1024 ? gzipSync(body, { level: 6 }) : null,
    etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`,
  };
}
