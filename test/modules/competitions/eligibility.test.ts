import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ageOnDeadline,
  checkAge,
  checkBirthDate,
  checkDeclarations,
  checkVideoUrl,
  checkWordLimit,
  isCalendarDate,
} from '../../../src/modules/competitions/eligibility.js';
import { toCsv } from '../../../src/lib/csv.js';
import { docToText, textToDoc } from '../../../src/lib/plain-text.js';
import { countWords } from '../../../src/lib/words.js';
import { newReference, winnerBylinePhrase } from '../../../src/modules/competitions/text.js';

const rule = { minAge: 13, maxAge: 19, deadlineAt: '2026-08-01T11:00:00.000Z', timeZone: 'Europe/London' };

describe('age on the deadline date', () => {
  it('measures the age on the deadline’s date in the official zone', () => {
    assert.equal(ageOnDeadline('2006-08-01', rule), 20);
    assert.equal(ageOnDeadline('2006-08-02', rule), 19);
    // 23:30 UTC on 31 July is already 1 August in London.
    assert.equal(ageOnDeadline('2013-08-01', { deadlineAt: '2026-07-31T23:30:00.000Z', timeZone: 'Europe/London' }), 13);
    assert.equal(ageOnDeadline('2013-08-01', { deadlineAt: '2026-07-31T23:30:00.000Z', timeZone: 'UTC' }), 12);
  });
  it('accepts the youngest and the oldest, and says why the others cannot enter', () => {
    assert.equal(checkAge('2013-08-01', rule).ok, true);
    assert.equal(checkAge('2006-08-02', rule).ok, true);
    const old = checkAge('2006-08-01', rule);
    assert.equal(old.ok, false);
    assert.match(
      (old as { message: string }).message,
      /aged 13 to 19 on the deadline date, 1 August 2026\. With the date of birth you gave, you will be 20 on that day/,
    );
    const young = checkAge('2013-08-02', rule);
    assert.equal(young.ok, false);
    assert.match((young as { message: string }).message, /you will be 12 on that day.*future year/);
  });
  it('wants a real date of birth', () => {
    assert.equal(isCalendarDate('2008-02-29'), true);
    assert.equal(isCalendarDate('2009-02-29'), false);
    assert.equal(checkBirthDate('', '2026-07-01').ok, false);
    assert.equal(checkBirthDate('14/03/2009', '2026-07-01').ok, false);
    assert.equal(checkBirthDate('2027-01-01', '2026-07-01').ok, false);
    assert.equal(checkBirthDate('2009-03-14', '2026-07-01').ok, true);
  });
});

describe('essays', () => {
  it('refuses an essay over the limit with the count and by how much', () => {
    assert.equal(checkWordLimit(2000, 2000).ok, true);
    const over = checkWordLimit(2143, 2000);
    assert.equal(over.ok, false);
    assert.equal(
      (over as { message: string }).message,
      'Your essay has 2,143 words; the limit for this category is 2,000. Cut at least 143 words and submit again.',
    );
    assert.equal(checkWordLimit(0, 2000).ok, false);
  });
  it('keeps paragraphs and word counts through the document', () => {
    const essay = 'First paragraph,\nwrapped.\n\n\nSecond one.';
    const doc = textToDoc(essay);
    assert.equal(doc.content!.length, 2);
    assert.equal(docToText(doc), 'First paragraph, wrapped.\n\nSecond one.');
    assert.equal(countWords(docToText(doc)), countWords(essay));
  });
});

describe('videos and declarations', () => {
  it('takes https links to YouTube and Vimeo only', () => {
    assert.equal(checkVideoUrl('https://www.youtube.com/watch?v=abc').ok, true);
    assert.equal(checkVideoUrl('https://youtu.be/abc').ok, true);
    assert.equal(checkVideoUrl('https://vimeo.com/123').ok, true);
    assert.equal(checkVideoUrl('http://youtube.com/watch?v=abc').ok, false);
    assert.equal(checkVideoUrl('https://example.org/video.mp4').ok, false);
    assert.equal(checkVideoUrl('javascript:alert(1)').ok, false);
  });
  it('names each missing declaration', () => {
    const missing = checkDeclarations({ ownWork: true }, { requireFullTime: true, language: 'English' });
    assert.deepEqual(Object.keys(missing).sort(), ['english', 'fullTime', 'rules']);
    assert.deepEqual(checkDeclarations({ ownWork: true, english: true, rules: true }, { requireFullTime: false, language: 'English' }), {});
  });
});

describe('text helpers', () => {
  it('turns an organiser’s plain text into headings, lists and paragraphs and back', () => {
    const text = '## Who\n\nStudents everywhere.\n\n- One entry\n- One author';
    const doc = textToDoc(text, { markup: true });
    assert.deepEqual(
      doc.content!.map((b) => b.type),
      ['heading', 'paragraph', 'bulletList'],
    );
    assert.equal(docToText(doc, { markup: true }), text);
  });
  it('makes readable references', () => {
    const ref = newReference('The Harbinger Prize 2026', 2026, () => Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]));
    assert.equal(ref, 'HP26-2345-6789');
    assert.match(newReference('The Harbinger Prize 2026', 2026), /^HP26-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  });
  it('writes CSV that spreadsheets cannot run', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          ['x "y"', '=SUM(A1)'],
          [3, null],
        ],
        { quoteAll: true },
      ),
      '"a","b"\r\n"x ""y""","\'=SUM(A1)"\r\n"3",""\r\n',
    );
  });
  it('writes the winner’s byline phrase', () => {
    assert.equal(winnerBylinePhrase('The Harbinger Prize 2026', 2026, 'Society'), 'is the winner of The Harbinger Prize 2026: Society');
    assert.equal(winnerBylinePhrase('The Harbinger Prize', 2027, 'Culture'), 'is the winner of The Harbinger Prize 2027: Culture');
  });
});
