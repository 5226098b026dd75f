// Word-level differences between two texts, for comparing revisions side by
// side. A longest-common-subsequence over words (whitespace kept with each word),
// trimmed of the common start and end first so typical edits stay cheap.

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m > 25_000_000) {
    // Too large to compare word by word: show the middle as replaced.
    return merge([{ kind: 'same', text: a.slice(0, start).join('') }, { kind: 'removed', text: midA.join('') }, { kind: 'added', text: midB.join('') }, { kind: 'same', text: a.slice(endA).join('') }]);
  }
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = midA[i] === midB[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const parts: DiffPart[] = [{ kind: 'same', text: a.slice(0, start).join('') }];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (midA[i] === midB[j]) {
      parts.push({ kind: 'same', text: midA[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!) {
      parts.push({ kind: 'removed', text: midA[i++]! });
    } else {
      parts.push({ kind: 'added', text: midB[j++]! });
    }
  }
  while (i < n) parts.push({ kind: 'removed', text: midA[i++]! });
  while (j < m) parts.push({ kind: 'added', text: midB[j++]! });
  parts.push({ kind: 'same', text: a.slice(endA).join('') });
  return merge(parts);
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
