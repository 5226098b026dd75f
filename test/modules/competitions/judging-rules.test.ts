import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BLIND_ENTRY_COLUMNS,
  PRIVATE_ENTRY_COLUMNS,
  checkAward,
  isChair,
  placeKey,
  progressOf,
  rankEntries,
  seatFor,
  type ScoreRow,
} from '../../../src/modules/competitions/judging.js';

describe('blind columns', () => {
  it('never include a private column', () => {
    for (const column of PRIVATE_ENTRY_COLUMNS)
      assert.ok(!(BLIND_ENTRY_COLUMNS as readonly string[]).includes(column), `${column} is not blind`);
  });
});

describe('who may do what', () => {
  it('gives a juror their own category only', () => {
    const seats = [
      { jurorId: 'j1', categoryId: 'society', competitionId: 'p', role: 'member' as const },
      { jurorId: 'j2', categoryId: 'culture', competitionId: 'p', role: 'chair' as const },
    ];
    assert.equal(seatFor(seats, 'society')?.jurorId, 'j1');
    assert.equal(seatFor(seats, 'science'), null);
    assert.equal(seatFor(seats, null), null);
    assert.equal(isChair(seats, 'culture'), true);
    assert.equal(isChair(seats, 'society'), false);
  });
});

describe('ranking', () => {
  const s = (entryId: string, jurorId: string, criterionId: string, score: number): ScoreRow => ({ entryId, jurorId, criterionId, score });
  it('ranks by the mean of jurors’ means, with the spread between them', () => {
    const scores = [
      s('a', 'j1', 'c1', 8),
      s('a', 'j1', 'c2', 6), // j1: 7
      s('a', 'j2', 'c1', 9),
      s('a', 'j2', 'c2', 9), // j2: 9
      s('b', 'j1', 'c1', 9),
      s('b', 'j1', 'c2', 9),
      s('b', 'j2', 'c1', 8),
      s('b', 'j2', 'c2', 8),
    ];
    const ranked = rankEntries(['a', 'b', 'c'], scores, 2);
    assert.deepEqual(
      ranked.map((r) => r.entryId),
      ['b', 'a', 'c'],
    );
    assert.deepEqual(ranked[0], { entryId: 'b', mean: 8.5, spread: 1, jurors: 2, complete: 2 });
    assert.deepEqual(ranked[1], { entryId: 'a', mean: 8, spread: 2, jurors: 2, complete: 2 });
    assert.deepEqual(ranked[2], { entryId: 'c', mean: null, spread: null, jurors: 0, complete: 0 });
  });
  it('puts the entry the jury agrees on first when the means tie', () => {
    const scores = [s('x', 'j1', 'c', 10), s('x', 'j2', 'c', 6), s('y', 'j1', 'c', 8), s('y', 'j2', 'c', 8)];
    assert.deepEqual(
      rankEntries(['x', 'y'], scores, 1).map((r) => r.entryId),
      ['y', 'x'],
    );
  });
  it('counts each juror’s progress, leaving out entries they declared a conflict with', () => {
    const scores = [s('a', 'j1', 'c1', 5), s('a', 'j1', 'c2', 5), s('b', 'j1', 'c1', 5), s('a', 'j2', 'c1', 4), s('a', 'j2', 'c2', 4)];
    const progress = progressOf(['j1', 'j2'], ['a', 'b', 'c'], scores, [{ jurorId: 'j2', entryId: 'b' }], 2);
    assert.deepEqual(progress, [
      { jurorId: 'j1', scored: 1, assigned: 3 },
      { jurorId: 'j2', scored: 1, assigned: 2 },
    ]);
  });
});

describe('awards', () => {
  it('holds each place once', () => {
    assert.equal(placeKey('first', 'cat', 'e1'), 'cat:first');
    assert.equal(placeKey('overall', 'cat', 'e1'), 'overall');
    assert.equal(placeKey('shortlist', 'cat', 'e1'), 'shortlist:e1');
  });
  it('keeps the shortlist to its size, and places to shortlisted entries', () => {
    const shortlisted = ['e1', 'e2'].map((entryId) => ({ kind: 'shortlist' as const, entryId, categoryId: 'cat' }));
    assert.equal(checkAward({ kind: 'shortlist', entryId: 'e3', categoryId: 'cat' }, shortlisted, 2).ok, false);
    assert.equal(checkAward({ kind: 'shortlist', entryId: 'e3', categoryId: 'other' }, shortlisted, 2).ok, true);
    assert.equal(checkAward({ kind: 'first', entryId: 'e3', categoryId: 'cat' }, shortlisted, 2).ok, false);
    assert.equal(checkAward({ kind: 'first', entryId: 'e1', categoryId: 'cat' }, shortlisted, 2).ok, true);
    const placed = [...shortlisted, { kind: 'second' as const, entryId: 'e1', categoryId: 'cat' }];
    assert.equal(checkAward({ kind: 'first', entryId: 'e1', categoryId: 'cat' }, placed, 2).ok, false);
    assert.equal(checkAward({ kind: 'overall', entryId: 'e1', categoryId: 'cat' }, placed, 2).ok, true);
  });
});
