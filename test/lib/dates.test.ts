import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageOn, dateInZone, formatLongDate } from '../../src/lib/dates.js';

describe('ageOn', () => {
  it('counts a birthday the day before publication', () => {
    assert.equal(ageOn('2007-02-01', '2024-02-02'), 17);
  });
  it('counts a birthday on the day of publication', () => {
    assert.equal(ageOn('2007-02-02', '2024-02-02'), 17);
  });
  it('does not count a birthday the day after publication', () => {
    assert.equal(ageOn('2007-02-03', '2024-02-02'), 16);
  });
  it('ages someone born on 29 February on 1 March in common years', () => {
    assert.equal(ageOn('2008-02-29', '2025-02-28'), 16);
    assert.equal(ageOn('2008-02-29', '2025-03-01'), 17);
  });
  it('ages someone born on 29 February on their birthday in leap years', () => {
    assert.equal(ageOn('2008-02-29', '2024-02-28'), 15);
    assert.equal(ageOn('2008-02-29', '2024-02-29'), 16);
  });
  it('handles year ends', () => {
    assert.equal(ageOn('2008-12-31', '2024-12-30'), 15);
    assert.equal(ageOn('2008-12-31', '2024-12-31'), 16);
    assert.equal(ageOn('2008-01-01', '2024-01-01'), 16);
  });
  it('refuses malformed dates', () => {
    assert.throws(() => ageOn('2008-2-1', '2024-01-01'), RangeError);
  });
});

describe('dates in a time zone', () => {
  it('gives the calendar day in the named zone', () => {
    assert.equal(dateInZone('2024-03-30T23:30:00.000Z', 'UTC'), '2024-03-30');
    assert.equal(dateInZone('2024-06-30T23:30:00.000Z', 'Europe/London'), '2024-07-01');
  });
  it('formats long dates in British English', () => {
    assert.equal(formatLongDate('2024-02-02T09:00:00.000Z'), '2 February 2024');
  });
});
