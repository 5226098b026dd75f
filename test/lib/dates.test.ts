import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays,
  ageOn,
  dateInZone,
  weekdayOf,
  existsInZone,
  formatDateInZone,
  formatInZone,
  formatLongDate,
  formatShortInZone,
  isTimeZone,
  parseDateOnly,
  utcToZonedInput,
  zonedToUtc,
} from '../../src/lib/dates.js';

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

describe('wall-clock times in a zone', () => {
  it('converts London wall-clock times in winter and summer, and back', () => {
    assert.equal(zonedToUtc('2024-01-15T12:00', 'Europe/London').toISOString(), '2024-01-15T12:00:00.000Z');
    assert.equal(zonedToUtc('2024-08-01T12:00', 'Europe/London').toISOString(), '2024-08-01T11:00:00.000Z');
    assert.equal(utcToZonedInput('2024-08-01T11:00:00.000Z', 'Europe/London'), '2024-08-01T12:00');
  });
});

describe('calendar days', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    assert.equal(addDays('2026-01-31', 1), '2026-02-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2024-03-01', -1), '2024-02-29');
  });
  it('names the weekday with Sunday as 0', () => {
    assert.equal(weekdayOf('2026-11-29'), 0);
    assert.equal(weekdayOf('2026-12-04'), 5);
    assert.equal(weekdayOf('2026-12-05'), 6);
  });
});

describe('impossible dates', () => {
  it('refuses 31 February, 30 February and 29 February in common years', () => {
    assert.throws(() => parseDateOnly('2026-02-31'), RangeError);
    assert.throws(() => parseDateOnly('2024-02-30'), RangeError);
    assert.throws(() => parseDateOnly('2025-02-29'), RangeError);
    assert.deepEqual(parseDateOnly('2024-02-29'), { year: 2024, month: 2, day: 29 });
  });
  it('refuses a wall-clock time on a day that does not exist, rather than rolling into March', () => {
    assert.throws(() => zonedToUtc('2026-02-31T12:00', 'Europe/London'), RangeError);
    assert.throws(() => zonedToUtc('2026-04-31T12:00', 'Australia/Sydney'), RangeError);
    assert.throws(() => zonedToUtc('2026-01-01T24:30', 'UTC'), RangeError);
  });
});

describe('the hour skipped in spring', () => {
  it('moves a time inside the gap forward by the gap, in London', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    assert.equal(zonedToUtc('2026-03-29T01:30', 'Europe/London').toISOString(), '2026-03-29T01:30:00.000Z');
    assert.equal(existsInZone('2026-03-29T01:30', 'Europe/London'), false);
  });
  it('moves a time inside the gap forward in Sydney (October, southern spring)', () => {
    // 4 October 2026: 02:00 AEST (+10) becomes 03:00 AEDT (+11); 02:30 is read as 03:30 AEDT.
    assert.equal(zonedToUtc('2026-10-04T02:30', 'Australia/Sydney').toISOString(), '2026-10-03T16:30:00.000Z');
    assert.equal(utcToZonedInput('2026-10-03T16:30:00.000Z', 'Australia/Sydney'), '2026-10-04T03:30');
    assert.equal(existsInZone('2026-10-04T02:30', 'Australia/Sydney'), false);
    assert.equal(existsInZone('2026-10-04T03:30', 'Australia/Sydney'), true);
  });
  it('moves a time inside the gap forward in Santiago (September, the gap at midnight)', () => {
    // 6 September 2026: 00:00 (-4) becomes 01:00 (-3); 00:30 is read as 01:30 (-3).
    assert.equal(zonedToUtc('2026-09-06T00:30', 'America/Santiago').toISOString(), '2026-09-06T04:30:00.000Z');
    assert.equal(existsInZone('2026-09-06T00:30', 'America/Santiago'), false);
    assert.equal(dateInZone('2026-09-06T04:30:00.000Z', 'America/Santiago'), '2026-09-06');
  });
});

describe('the hour repeated in autumn', () => {
  it('reads a repeated time as its first occurrence (still summer time), in both hemispheres', () => {
    // 25 October 2026 in London: 01:30 BST (00:30Z), then 01:30 GMT (01:30Z).
    assert.equal(zonedToUtc('2026-10-25T01:30', 'Europe/London').toISOString(), '2026-10-25T00:30:00.000Z');
    // 5 April 2026 in Sydney: 02:30 AEDT (15:30Z the day before), then 02:30 AEST (16:30Z).
    assert.equal(zonedToUtc('2026-04-05T02:30', 'Australia/Sydney').toISOString(), '2026-04-04T15:30:00.000Z');
    assert.equal(existsInZone('2026-04-05T02:30', 'Australia/Sydney'), true);
  });
  it('shows both instants of the repeated hour as the same wall-clock time', () => {
    assert.equal(utcToZonedInput('2026-10-25T00:30:00.000Z', 'Europe/London'), '2026-10-25T01:30');
    assert.equal(utcToZonedInput('2026-10-25T01:30:00.000Z', 'Europe/London'), '2026-10-25T01:30');
    assert.equal(formatInZone('2026-10-25T00:30:00.000Z', 'Europe/London', { zoneName: true }), 'Sunday 25 October 2026, 01:30 BST');
    assert.equal(formatInZone('2026-10-25T01:30:00.000Z', 'Europe/London', { zoneName: true }), 'Sunday 25 October 2026, 01:30 GMT');
  });
});

describe('formatInZone and isTimeZone', () => {
  it('writes the day and time in the zone, with its short name when asked', () => {
    assert.equal(formatInZone('2026-06-05T15:00:00.000Z', 'Europe/London'), 'Friday 5 June 2026, 16:00');
    assert.equal(formatInZone(new Date('2026-06-05T15:00:00.000Z'), 'America/New_York'), 'Friday 5 June 2026, 11:00');
    assert.equal(formatInZone('2027-01-15T12:00:00.000Z', 'Europe/London', { zoneName: true }), 'Friday 15 January 2027, 12:00 GMT');
    assert.equal(formatDateInZone('2026-07-31T23:30:00.000Z', 'Europe/London'), '1 August 2026');
    assert.equal(formatShortInZone('2026-07-31T23:30:00.000Z', 'Europe/London'), '1 Aug 2026, 00:30');
  });
  it('knows IANA names and refuses typos, offsets and markup', () => {
    for (const zone of ['UTC', 'Europe/London', 'America/Santiago', 'Australia/Sydney', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) {
      assert.equal(isTimeZone(zone), true, zone);
    }
    for (const zone of ['', 'Europe/Lundon', '<script>', '+01:00', 'Europe/London ', '../etc/passwd'])
      assert.equal(isTimeZone(zone), false, zone);
  });
});
