// Word-level differences between two texts, for comparing revisions side by
// side. jsdiff's Myers diff works in time proportional to the size of the
// change, so a one-word edit in a 10,000-word article is cheap; whitespace is
// kept with the words so both texts can be rebuilt from the parts.
import { diffWordsWithSpace } from 'diff';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Past this, two versions are shown as one replaced block rather than compared word by word. */
const DIFF_TIMEOUT_MS = 2000;

export function diffWords(before: string, after: string): DiffPart[] {
  const changes = diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) {
    return merge([
      { kind: 'removed', text: before },
      { kind: 'added', text: after },
    ]);
  }
  return merge(changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value })));
}

/** Joins neighbouring parts of the same kind and drops empty ones. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const part of parts) {
    if (part.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.kind === part.kind) last.text += part.text;
    else out.push({ ...part });
  }
  return out;
}
