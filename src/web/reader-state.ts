// What a signed-in reader's pages fill in for them alone (which articles they
// bookmarked, which newsletters they get), kept as long as the viewer cache keeps
// their viewer, so a reader's page view does not ask the database twice more.
// Dropped at once, in every process, by a `{kind:'reader'}` message on the change
// bus, which the page server publishes for every form a signed-in reader sends
// (bookmark, subscribe, unsubscribe, account changes), and by 'drop everything'.
import type { ChangeBus } from './change-bus.js';

interface ReaderState {
  until: number;
  /** Article id → bookmarked, for the articles asked about so far. */
  bookmarks: Map<string, boolean>;
  newsletters: ReadonlySet<string> | null;
}

export class ReaderStateCache {
  private readonly entries = new Map<string, ReaderState>();
  /** Per reader, the tick of their last drop: a lookup that started before it must not store what it read. */
  private readonly dropped = new Map<string, { tick: number; at: number }>();
  private tick = 0;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Listens for drops on the bus. */
  listen(bus: ChangeBus): void {
    bus.subscribe((message) => {
      if (message.kind === 'reader') this.drop(message.userId);
      else if (message.kind === 'content' && message.keys === null) this.clear();
    });
  }

  /** The bookmark states of these articles, asking `load` only about the ones not known yet. */
  async bookmarks(userId: string, articleIds: string[], load: (ids: string[]) => Promise<Set<string>>): Promise<Set<string>> {
    const entry = this.entry(userId);
    const unknown = entry ? articleIds.filter((id) => !entry.bookmarks.has(id)) : articleIds;
    const marked = new Set<string>();
    if (entry) for (const id of articleIds) if (entry.bookmarks.get(id)) marked.add(id);
    if (unknown.length === 0) return marked;
    const started = this.tick;
    const loaded = await load(unknown);
    for (const id of loaded) marked.add(id);
    const target = this.store(userId, started);
    if (target) for (const id of unknown) target.bookmarks.set(id, loaded.has(id));
    return marked;
  }

  /** The newsletters the reader gets. */
  async newsletters(userId: string, load: () => Promise<ReadonlySet<string>>): Promise<ReadonlySet<string>> {
    const cached = this.entry(userId)?.newsletters;
    if (cached) return cached;
    const started = this.tick;
    const loaded = await load();
    const target = this.store(userId, started);
    if (target) target.newsletters = loaded;
    return loaded;
  }

  drop(userId: string): void {
    const now = this.now();
    this.dropped.set(userId, { tick: ++this.tick, at: now });
    this.entries.delete(userId);
    if (this.dropped.size > this.maxEntries) {
      for (const [id, d] of this.dropped) if (d.at + this.ttlMs <= now) this.dropped.delete(id);
    }
  }

  clear(): void {
    this.entries.clear();
    // Lookups under way read before the drop: none of them may store.
    this.tick++;
    this.clearedAt = this.tick;
  }

  private clearedAt = 0;

  private entry(userId: string): ReaderState | undefined {
    const entry = this.entries.get(userId);
    if (entry && entry.until <= this.now()) {
      this.entries.delete(userId);
      return undefined;
    }
    return entry;
  }

  /** The entry to store into, or null when the reader's state was dropped since `started` (or caching is off). */
  private store(userId: string, started: number): ReaderState | null {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return null;
    if (this.clearedAt > started || (this.dropped.get(userId)?.tick ?? 0) > started) return null;
    let entry = this.entry(userId);
    if (!entry) {
      entry = { until: this.now() + this.ttlMs, bookmarks: new Map(), newsletters: null };
      this.entries.set(userId, entry);
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    // A reader who bookmarks on every page of a long visit: the map stays small.
    if (entry.bookmarks.size > 2_000) entry.bookmarks.clear();
    return entry;
  }
}
