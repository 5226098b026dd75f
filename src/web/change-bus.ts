// How the processes of one site tell each other what changed. A process that
// publishes, edits or signs someone out publishes a message; every process
// (itself included) hears it and drops what it cached. Without Redis the bus is
// local to the process, and other processes learn of content changes from the
// content version stored in the database, which they poll; with REDIS_URL the
// bus is Redis pub/sub and the poll only catches what a lost message missed.
export type ChangeMessage =
  /** Published content changed. `keys` are the surrogate keys of what it affects (web/surrogate-keys.ts); null means everything. */
  | { kind: 'content'; generation: number; keys: readonly string[] | null }
  /** A session ended (signed out, revoked, expired): caches of its viewer must go. */
  | { kind: 'session'; sessionId: string }
  /** A signed-in reader changed their own state (bookmarks, newsletters): caches of it must go. */
  | { kind: 'reader'; userId: string };

export type ChangeListener = (message: ChangeMessage) => void;

export interface ChangeBus {
  /** True when messages reach the other processes too. */
  readonly shared: boolean;
  /** Delivers the message to every listener of every process, this one's included. */
  publish(message: ChangeMessage): Promise<void>;
  subscribe(listener: ChangeListener): void;
  close(): Promise<void>;
}

/** The bus of a single process. */
export class LocalChangeBus implements ChangeBus {
  readonly shared = false;
  private readonly listeners: ChangeListener[] = [];

  async publish(message: ChangeMessage): Promise<void> {
    this.deliver(message);
  }

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Hands a message to this process's listeners; a listener that throws does not stop the others. */
  deliver(message: ChangeMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A cache that could not be dropped is dropped by the next message or the poll.
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
  }
}
