import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffWords } from '../../src/lib/diff.js';

describe('word diff', () => {
  it('marks changed words and keeps the rest', () => {
    assert.deepEqual(diffWords('The council voted on Monday.', 'The city council voted on Tuesday.'), [
      { kind: 'same', text: 'The ' },
      { kind: 'added', text: 'city ' },
      { kind: 'same', text: 'council voted on ' },
      { kind: 'removed', text: 'Monday' },
      { kind: 'added', text: 'Tuesday' },
      { kind: 'same', text: '.' },
    ]);
  });
  it('compares 10,000-word versions and marks only the real changes', () => {
    const words = Array.from({ length: 10_000 }, (_, i) => ['the', 'council', 'voted', 'on', 'a', 'plan', 'for', 'reefs'][i % 8]!);
    const before = words.join(' ');
    const changed = [...words];
    changed[5_000] = 'lagoons';
    changed.splice(9_000, 0, 'finally');
    const after = changed.join(' ');
    const started = performance.now();
    const parts = diffWords(before, after);
    const took = performance.now() - started;
    assert.deepEqual(
      parts.filter((p) => p.kind !== 'same'),
      [
        { kind: 'removed', text: words[5_000] },
        { kind: 'added', text: 'lagoons' },
        { kind: 'added', text: 'finally ' },
      ],
    );
    assert.equal(
      parts
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
      before,
    );
    assert.equal(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
      after,
    );
    console.log(`diff of two 10,000-word versions: ${took.toFixed(0)} ms`);
  });
  it('rebuilds both texts from its parts', () => {
    const a = 'One two three four five six seven.';
    const b = 'One three four five, six eight seven!';
    const parts = diffWords(a, b);
    assert.equal(
      parts
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
      a,
    );
    assert.equal(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
      b,
    );
  });
  it('says nothing changed for equal texts', () => {
    assert.deepEqual(diffWords('same words', 'same words'), [{ kind: 'same', text: 'same words' }]);
  });
});
