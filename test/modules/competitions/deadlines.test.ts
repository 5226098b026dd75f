import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTimeZone } from '../../../src/lib/dates.js';
import { countdown, countdownText } from '../../../src/modules/competitions/countdown.js';
import {
  acceptsEntries,
  localToUtc,
  prizeState,
  prizeTime,
  resultsVisible,
  utcToLocal,
  type PrizeWindow,
} from '../../../src/modules/competitions/deadlines.js';

// 1 August 2026, 12:00 in London is 11:00 UTC: British Summer Time.
const window: PrizeWindow = {
  opensAt: '2026-06-01T08:00:00.000Z',
  deadlineAt: '2026-08-01T11:00:00.000Z',
  announceAt: '2026-09-15T17:00:00.000Z',
  shortlistPublishedAt: null,
  winnersPublishedAt: null,
};
const at = (iso: string) => new Date(iso);

describe('the deadline, to the second', () => {
  it('takes an entry one second before the deadline and refuses one a second after', () => {
    assert.equal(acceptsEntries(window, at('2026-08-01T10:59:59.000Z')), true);
    assert.equal(acceptsEntries(window, at('2026-08-01T11:00:00.000Z')), true);
    assert.equal(acceptsEntries(window, at('2026-08-01T11:00:00.999Z')), true, 'milliseconds never decide');
    assert.equal(acceptsEntries(window, at('2026-08-01T11:00:01.000Z')), false);
  });
  it('refuses entries before the window opens', () => {
    assert.equal(acceptsEntries(window, at('2026-06-01T07:59:59.000Z')), false);
    assert.equal(acceptsEntries(window, at('2026-06-01T08:00:00.000Z')), true);
  });
});

describe('times in a named zone', () => {
  it('reads noon in London in August as 11:00 UTC (summer time) and in January as 12:00 UTC', () => {
    assert.deepEqual(localToUtc('2026-08-01T12:00', 'Europe/London'), { ok: true, iso: '2026-08-01T11:00:00.000Z' });
    assert.deepEqual(localToUtc('2027-01-15T12:00', 'Europe/London'), { ok: true, iso: '2027-01-15T12:00:00.000Z' });
    assert.deepEqual(localToUtc('2026-08-01T12:00', 'America/New_York'), { ok: true, iso: '2026-08-01T16:00:00.000Z' });
  });
  it('refuses a time the clocks skip', () => {
    const r = localToUtc('2026-03-29T01:30', 'Europe/London');
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /does not exist in Europe\/London/);
  });
  it('refuses what is not a date and time', () => {
    assert.equal(localToUtc('1 August', 'Europe/London').ok, false);
  });
  it('refuses a day that does not exist', () => {
    assert.deepEqual(localToUtc('2027-02-31T12:00', 'Europe/London'), {
      ok: false,
      message: 'That date does not exist. Check the day and the month.',
    });
  });
  it('round-trips to the form’s value', () => {
    assert.equal(utcToLocal('2026-08-01T11:00:00.000Z', 'Europe/London'), '2026-08-01T12:00');
  });
  it('shows a time with the zone’s abbreviation', () => {
    assert.equal(prizeTime('2026-08-01T11:00:00.000Z', 'Europe/London'), 'Saturday 1 August 2026, 12:00 BST');
    assert.equal(prizeTime('2027-01-15T12:00:00.000Z', 'Europe/London'), 'Friday 15 January 2027, 12:00 GMT');
  });
  it('knows a time zone from a typo', () => {
    assert.equal(isTimeZone('Europe/London'), true);
    assert.equal(isTimeZone('Europe/Lundon'), false);
    assert.equal(isTimeZone('<script>'), false);
  });
});

describe('the state of a prize', () => {
  it('moves from not open to open to closed', () => {
    assert.equal(prizeState(window, at('2026-05-01T00:00:00Z')), 'upcoming');
    assert.equal(prizeState(window, at('2026-07-01T00:00:00Z')), 'open');
    assert.equal(prizeState(window, at('2026-08-01T11:00:01Z')), 'closed');
  });
  it('shows the shortlist and the winners once published, never before the announcement date', () => {
    const published = { ...window, shortlistPublishedAt: '2026-09-15T17:00:00.000Z' };
    assert.equal(prizeState(published, at('2026-09-15T16:59:59Z')), 'closed');
    assert.equal(prizeState(published, at('2026-09-16T00:00:00Z')), 'shortlist');
    const winners = { ...published, winnersPublishedAt: '2026-09-20T10:00:00.000Z' };
    assert.equal(prizeState(winners, at('2026-09-21T00:00:00Z')), 'winners');
    assert.equal(resultsVisible(winners, at('2026-09-21T00:00:00Z'), 'shortlist'), true);
  });
});

describe('the countdown', () => {
  it('counts whole days, hours and minutes', () => {
    const c = countdown('2026-08-01T11:00:00.000Z', at('2026-07-20T08:30:00Z'));
    assert.deepEqual({ ...c }, { days: 12, hours: 2, minutes: 30, seconds: 0, total: 12 * 86400 + 2 * 3600 + 1800 });
    assert.equal(countdownText(c), '12 days and 2 hours');
    assert.equal(countdownText(countdown('2026-08-01T11:00:00.000Z', at('2026-07-31T09:59:00Z'))), '1 day, 1 hour and 1 minute');
    assert.equal(countdownText(countdown('2026-08-01T11:00:00.000Z', at('2026-08-01T10:59:15Z'))), '45 seconds');
    assert.equal(countdownText(countdown('2026-08-01T11:00:00.000Z', at('2026-08-02T00:00:00Z'))), 'no time');
  });
});
