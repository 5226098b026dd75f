// The report of an import: what happened to each item (created, updated,
// unchanged, skipped with the reason, failed) and what could not be carried over
// exactly (warnings), as a summary for the terminal and as JSON. On a long
// import the items go straight to the JSON file as they are applied, so the
// report costs no memory per item.
import { createWriteStream, type WriteStream } from 'node:fs';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
export const OUTCOMES: readonly Outcome[] = ['created', 'updated', 'unchanged', 'skipped', 'failed'];

export interface ReportItem {
  /** 'article', 'page', 'person', 'section', 'tag', 'subscriber', or what a skipped item was ('comment', 'attachment'...). */
  kind: string;
  sourceId: string;
  title?: string;
  outcome: Outcome;
  /** Where it is now, e.g. /articles/my-slug. */
  address?: string;
  reason?: string;
  warnings: string[];
}

export interface ReportMeta {
  format: string;
  /** The ledger's source, e.g. wordpress:https://old.example.org. */
  source: string;
  file: string;
  dryRun: boolean;
  startedAt: string;
}

type Counts = Record<Outcome, number>;

/** Warnings printed at the end of a run, at most. */
const NOTABLE = 12;
const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

export interface ReportSummary {
  totals: Counts;
  byKind: Record<string, Counts>;
  warnings: number;
  /** What the source held that is counted but not imported (comments). */
  counted: Record<string, number>;
  /** Sticky posts / featured posts: for the editor-in-chief to consider as the editor's pick. */
  editorsPickCandidates: string[];
  /** The first few warnings and failures, for the printed summary (the JSON report has them all). */
  notable: string[];
  finishedAt: string | null;
  /** Set when the import stopped before the end. */
  stopped: string | null;
}

export class ImportReport {
  readonly items: ReportItem[] = [];
  readonly summary: ReportSummary = {
    totals: zero(),
    byKind: {},
    warnings: 0,
    counted: {},
    editorsPickCandidates: [],
    notable: [],
    finishedAt: null,
    stopped: null,
  };
  private readonly listeners: ((item: ReportItem) => void)[] = [];

  /** With `keepItems` false (the command line), items are only handed to the listeners (the JSON file). */
  constructor(
    readonly meta: ReportMeta,
    private readonly keepItems = true,
  ) {}

  onItem(listener: (item: ReportItem) => void): void {
    this.listeners.push(listener);
  }

  add(item: ReportItem): void {
    const counts = (this.summary.byKind[item.kind] ??= zero());
    counts[item.outcome] += 1;
    this.summary.totals[item.outcome] += 1;
    this.summary.warnings += item.warnings.length;
    const name = `${item.kind} ${item.sourceId}${item.title ? ` (${item.title})` : ''}`;
    if (item.outcome === 'failed' && this.summary.notable.length < NOTABLE)
      this.summary.notable.push(`${name} failed: ${item.reason ?? ''}`);
    for (const warning of item.warnings) if (this.summary.notable.length < NOTABLE) this.summary.notable.push(`${name}: ${warning}`);
    if (this.keepItems) this.items.push(item);
    for (const listener of this.listeners) listener(item);
  }

  /** Items handled so far. */
  get done(): number {
    return OUTCOMES.reduce((sum, o) => sum + this.summary.totals[o], 0);
  }

  finish(stopped: string | null = null): void {
    this.summary.finishedAt = new Date().toISOString();
    this.summary.stopped = stopped;
  }

  /** The summary printed at the end, one line per kind. */
  text(): string {
    const s = this.summary;
    const lines: string[] = [];
    lines.push(
      `${this.meta.dryRun ? 'Dry run (nothing was written): ' : ''}${s.totals.created} created, ${s.totals.updated} updated, ` +
        `${s.totals.unchanged} unchanged, ${s.totals.skipped} skipped, ${s.totals.failed} failed; ${s.warnings} warning(s).`,
    );
    for (const [kind, c] of Object.entries(s.byKind).sort(([a], [b]) => a.localeCompare(b))) {
      const parts = OUTCOMES.filter((o) => c[o] > 0).map((o) => `${c[o]} ${o}`);
      lines.push(`  ${kind}: ${parts.join(', ')}`);
    }
    for (const [what, n] of Object.entries(s.counted)) if (n > 0) lines.push(`  ${what}: ${n} (counted, not imported)`);
    if (s.editorsPickCandidates.length > 0)
      lines.push(`  Candidates for the editor's pick (sticky on the old site): ${s.editorsPickCandidates.join(', ')}`);
    if (s.notable.length > 0) {
      lines.push(s.warnings > s.notable.length ? `First ${s.notable.length} warnings:` : 'Warnings:');
      for (const line of s.notable) lines.push(`  - ${line}`);
    }
    if (s.stopped) lines.push(`Stopped: ${s.stopped}`);
    return lines.join('\n');
  }

  toJSON() {
    return { ...this.meta, summary: this.summary, items: this.items };
  }
}

/**
 * Writes the report as JSON while the import runs: the items as they come, the
 * summary at the end (`close`). The file is valid JSON once closed.
 */
export class ReportFile {
  private readonly out: WriteStream;
  private first = true;

  constructor(
    readonly path: string,
    report: ImportReport,
  ) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
    const { format, source, file, dryRun, startedAt } = report.meta;
    this.out.write(`{${JSON.stringify({ format, source, file, dryRun, startedAt }).slice(1, -1)},\n"items": [\n`);
    report.onItem((item) => {
      this.out.write(`${this.first ? '' : ',\n'}${JSON.stringify(item)}`);
      this.first = false;
    });
  }

  async close(report: ImportReport): Promise<void> {
    this.out.end(`\n],\n"summary": ${JSON.stringify(report.summary, null, 2)}\n}\n`);
    await new Promise<void>((resolve, reject) => {
      this.out.once('finish', resolve);
      this.out.once('error', reject);
    });
  }
}
