// The newsletter's pure parts: CSV reading and checking, the default send time
// across summer time, SMTP error classes, signed links, the email's HTML and
// text and the composer's ordering (who may run the newsletter is access's rule).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCsv, unguard } from '../../../src/lib/csv.js';
import { isEmailAddress, normaliseEmail } from '../../../src/lib/email.js';
import {
  checkImport,
  CsvSyntaxError,
  detectDelimiter,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  parseCsv,
} from '../../../src/modules/newsletter/csv.js';
import { groupBySection, personalise, renderIssueEmail, type IssueItem } from '../../../src/modules/newsletter/issue-email.js';
import { confirmationToken, hashToken, signSubscription, verifySubscriptionToken } from '../../../src/modules/newsletter/links.js';
import { orderedItems } from '../../../src/modules/newsletter/newsletter-desk.routes.js';
import { formatInZone } from '../../../src/lib/dates.js';
import { nextSendTime } from '../../../src/modules/newsletter/schedule.js';
import { classifySmtpError } from '../../../src/modules/newsletter/sending.js';

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, CRLF, semicolon files and a byte-order mark', () => {
    assert.deepEqual(parseCsv('\ufeffemail,name\r\n"a@example.com","Smith, ""Jo"""\r\nb@example.com,B\n'), [
      ['email', 'name'],
      ['a@example.com', 'Smith, "Jo"'],
      ['b@example.com', 'B'],
    ]);
    assert.deepEqual(parseCsv('email;name\na@example.com;"Smith; Jo"\n'), [
      ['email', 'name'],
      ['a@example.com', 'Smith; Jo'],
    ]);
    assert.deepEqual(parseCsv('email\n"multi\nline"'), [['email'], ['multi\nline']]);
    assert.throws(
      () => parseCsv('email\n"open'),
      (err: unknown) => err instanceof CsvSyntaxError && err.line === 2,
    );
  });

  it('takes the delimiter from the header line only: a semicolon inside a comma file is part of a value', () => {
    assert.equal(detectDelimiter('email,name\na@example.org;b@example.org,Ana'), ',');
    assert.equal(detectDelimiter('"email;x",name\n'), ',');
    assert.equal(detectDelimiter('email;name;note\n'), ';');
    assert.equal(detectDelimiter('email\tname\n'), '\t');
    assert.deepEqual(parseCsv('email,name\nana@example.org,Smith; Jo\n'), [
      ['email', 'name'],
      ['ana@example.org', 'Smith; Jo'],
    ]);
    const check = checkImport(Buffer.from('email,name\nana@example.org,Smith; Jo\n"ben@example.org","Ben; B"\n'));
    assert.ok(check.ok);
    assert.deepEqual(check.emails, ['ana@example.org', 'ben@example.org']);
    // A semicolon file still reads as one.
    const semicolons = checkImport(Buffer.from('name;email\nAna, A.;ana@example.org\n'));
    assert.ok(semicolons.ok);
    assert.deepEqual(semicolons.emails, ['ana@example.org']);
  });

  it('undoes the export’s formula guard and reads the status column', () => {
    const check = checkImport(
      Buffer.from("email,status\n'+plus@example.com,pending\n'=x@example.com,confirmed\nana@example.com,\nbob@example.com,unsubscribed\n"),
    );
    assert.ok(check.ok);
    assert.deepEqual(check.rows, [
      { email: '+plus@example.com', status: 'pending' },
      { email: '=x@example.com', status: 'confirmed' },
      { email: 'ana@example.com', status: null },
      { email: 'bob@example.com', status: 'unsubscribed' },
    ]);
    assert.equal(unguard("'@home"), '@home');
    assert.equal(unguard("o'neil"), "o'neil");
    const bad = checkImport(Buffer.from('email,status\nana@example.com,maybe\n'));
    assert.ok(!bad.ok && /Line 2: the status “maybe” is not one of/.test(bad.messages[0]!));
    // What the export writes, the import reads back as it was.
    const exported = toCsv(
      ['email', 'status'],
      [
        ['+plus@example.com', 'pending'],
        ['-dash@example.com', 'confirmed'],
      ],
    );
    const back = checkImport(Buffer.from(exported));
    assert.ok(back.ok);
    assert.deepEqual(back.rows, [
      { email: '+plus@example.com', status: 'pending' },
      { email: '-dash@example.com', status: 'confirmed' },
    ]);
  });

  it('accepts a good file, lower-cases and de-duplicates its addresses', () => {
    const check = checkImport(Buffer.from('Name,Email\nAna,Ana@Example.org\nBen,ben@example.org\n\nAna again,ana@example.org\n'));
    assert.ok(check.ok);
    assert.deepEqual(check.emails, ['ana@example.org', 'ben@example.org']);
    assert.equal(check.duplicates, 1);
  });

  it('refuses the whole file for one malformed address, naming each bad line', () => {
    const check = checkImport(Buffer.from('email\nok@example.org\nbob@\n\nnot an address\n,\n'));
    assert.equal(check.ok, false);
    assert.ok(!check.ok);
    assert.equal(check.problem, 'rows');
    assert.deepEqual(check.messages, [
      'Line 3: “bob@” is not a valid email address.',
      'Line 5: “not an address” is not a valid email address.',
    ]);
    const blank = checkImport(Buffer.from('email,name\n,Ana\n'));
    assert.ok(!blank.ok && blank.messages[0] === 'Line 2: the email column is empty.');
  });

  it('lists at most twenty problems', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `bad${i}`);
    const check = checkImport(Buffer.from(`email\n${lines.join('\n')}`));
    assert.ok(!check.ok);
    assert.equal(check.messages.length, 21);
    assert.equal(check.messages[20], '…and 10 more lines like these.');
  });

  it('explains a wrong header, an empty file, an unclosed quote and a file that is too big', () => {
    const header = checkImport(Buffer.from('mail,name\na@example.org,A\n'));
    assert.ok(!header.ok && header.problem === 'header');
    assert.match(header.messages[0]!, /one of them must be called “email”.*“mail”, “name”/);
    const empty = checkImport(Buffer.from('\n\n'));
    assert.ok(!empty.ok && empty.problem === 'empty');
    const onlyHeader = checkImport(Buffer.from('email\n'));
    assert.ok(!onlyHeader.ok && onlyHeader.problem === 'empty');
    const quote = checkImport(Buffer.from('email\n"a@example.org\n'));
    assert.ok(!quote.ok && quote.problem === 'syntax' && /Line 2/.test(quote.messages[0]!));
    const big = checkImport(Buffer.alloc(MAX_IMPORT_BYTES + 1, 'a'));
    assert.ok(!big.ok && big.problem === 'too_large' && /larger than 2 MB/.test(big.messages[0]!));
    const rows = checkImport(Buffer.from(`email\n${Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `r${i}@x.io`).join('\n')}`));
    assert.ok(!rows.ok && rows.problem === 'too_large' && /at most 50,000/.test(rows.messages[0]!));
  });

  it('writes cells a spreadsheet will not run as formulas', () => {
    assert.equal(
      toCsv(
        ['email', 'note'],
        [
          ['a@example.org', '=HYPERLINK("x")'],
          ['b@example.org', 'plain, with comma'],
        ],
      ),
      'email,note\r\na@example.org,"\'=HYPERLINK(""x"")"\r\nb@example.org,"plain, with comma"\r\n',
    );
  });

  it('knows an email address', () => {
    for (const ok of ['a@example.org', 'first.last+tag@sub.example.co.uk']) assert.ok(isEmailAddress(ok), ok);
    for (const bad of [
      'a@',
      '@example.org',
      'a b@example.org',
      'a@example',
      `${'x'.repeat(250)}@example.org`,
      'a..b@example.org',
      'a@-x.org',
      'a@exa mple.org',
    ])
      assert.ok(!isEmailAddress(bad), bad);
  });

  it('knows an internationalised address, and stores one form of it', () => {
    for (const ok of ['josé@exämple.org', '用户@例子.广告', 'ана@пример.рф', 'ana@xn--exmple-cua.org']) assert.ok(isEmailAddress(ok), ok);
    assert.equal(normaliseEmail(' José@Exämple.ORG '), 'josé@exämple.org');
    assert.equal(normaliseEmail('ana@xn--exmple-cua.org'), 'ana@exämple.org');
    // NFD (e + combining accent) and NFC are the same address.
    assert.equal(normaliseEmail('jose\u0301@example.org'), 'jos\u00e9@example.org');
  });
});

describe('the default send time', () => {
  it('is the next Friday 16:00 in London: 16:00 UTC in winter, 15:00 UTC in summer', () => {
    assert.equal(nextSendTime(new Date('2025-12-03T10:00:00Z'), 5, '16:00', 'Europe/London').toISOString(), '2025-12-05T16:00:00.000Z');
    assert.equal(nextSendTime(new Date('2026-06-01T10:00:00Z'), 5, '16:00', 'Europe/London').toISOString(), '2026-06-05T15:00:00.000Z');
    // Across the clocks going forward (Sunday 29 March 2026).
    assert.equal(nextSendTime(new Date('2026-03-28T12:00:00Z'), 5, '16:00', 'Europe/London').toISOString(), '2026-04-03T15:00:00.000Z');
  });

  it('is today when today is Friday before four, and next week from four o’clock', () => {
    assert.equal(nextSendTime(new Date('2025-12-05T15:59:00Z'), 5, '16:00', 'Europe/London').toISOString(), '2025-12-05T16:00:00.000Z');
    assert.equal(nextSendTime(new Date('2025-12-05T16:00:00Z'), 5, '16:00', 'Europe/London').toISOString(), '2025-12-12T16:00:00.000Z');
  });

  it('is shown in words in a zone', () => {
    assert.equal(formatInZone('2026-06-05T15:00:00.000Z', 'Europe/London'), 'Friday 5 June 2026, 16:00');
    assert.equal(formatInZone('2026-06-05T15:00:00.000Z', 'America/New_York'), 'Friday 5 June 2026, 11:00');
  });
});

describe('SMTP errors', () => {
  it('treats a 5xx to RCPT TO or DATA as permanent, and everything else as worth retrying', () => {
    assert.equal(classifySmtpError({ responseCode: 550, command: 'RCPT TO', code: 'EENVELOPE' }), 'permanent');
    assert.equal(classifySmtpError({ responseCode: 554, command: 'DATA', code: 'EMESSAGE' }), 'permanent');
    assert.equal(classifySmtpError({ responseCode: 451, command: 'RCPT TO', code: 'EENVELOPE' }), 'transient');
    assert.equal(classifySmtpError({ responseCode: 421, command: 'CONN' }), 'transient');
    assert.equal(classifySmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }), 'transient');
    assert.equal(classifySmtpError({ code: 'ETIMEDOUT' }), 'transient');
    assert.equal(classifySmtpError({ responseCode: 535, command: 'AUTH PLAIN', code: 'EAUTH' }), 'transient');
    assert.equal(classifySmtpError({ responseCode: 550, command: 'MAIL FROM' }), 'transient');
    assert.equal(classifySmtpError(new Error('socket hang up')), 'transient');
  });
});

describe('signed links', () => {
  const id = '01a218bf-a8bf-7fd1-af64-9a7895256daa';
  it('name a subscription for one purpose, and nothing else', () => {
    const token = signSubscription('secret-one', 'unsubscribe', id);
    assert.match(token, /^[0-9a-f-]{36}\.[A-Za-z0-9_-]{32}$/);
    assert.equal(verifySubscriptionToken('secret-one', 'unsubscribe', token), id);
    assert.equal(verifySubscriptionToken('secret-one', 'preferences', token), null, 'another purpose');
    assert.equal(verifySubscriptionToken('secret-two', 'unsubscribe', token), null, 'another secret');
    const other = '01a218bf-a8bf-7fd1-af64-9a7895256dab';
    assert.equal(verifySubscriptionToken('secret-one', 'unsubscribe', `${other}${token.slice(36)}`), null, 'another subscription');
    assert.equal(
      verifySubscriptionToken('secret-one', 'unsubscribe', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`),
      null,
      'a changed signature',
    );
    for (const bad of ['', 'x', `${id}.`, `${id}`, 42, null]) assert.equal(verifySubscriptionToken('secret-one', 'unsubscribe', bad), null);
  });

  it('confirmation tokens depend on the nonce, and only their hash is stored', () => {
    const a = confirmationToken('s', id, 'n1');
    assert.equal(confirmationToken('s', id, 'n1'), a, 'the same link when an email job runs twice');
    assert.notEqual(confirmationToken('s', id, 'n2'), a);
    assert.notEqual(hashToken(a), a);
  });
});

const item = (over: Partial<IssueItem>): IssueItem => ({
  articleId: '01a218bf-a8bf-7fd1-af64-000000000001',
  slug: 'a-story',
  title: 'A story',
  dek: 'What happened',
  byline: '16 year-old Ana Reporter reports on things',
  section: { slug: 'climate', name: 'Climate' },
  publishedAt: '2026-01-05T10:00:00.000Z',
  picture: { src: '/media/a-960.jpg', width: 960, height: 640, alt: 'A reef' },
  ...over,
});

describe('the issue email', () => {
  const items = [
    item({ articleId: '1', slug: 'one', title: 'One <script>alert(1)</script>' }),
    item({ articleId: '2', slug: 'two', title: 'Two', section: { slug: 'culture', name: 'Culture' }, picture: null }),
    item({ articleId: '3', slug: 'three', title: 'Three', picture: { src: '/media/c.jpg', width: 100, height: 50, alt: '' } }),
  ];
  const intro = {
    type: 'doc',
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Hello ' },
          { type: 'text', text: 'here', marks: [{ type: 'link', attrs: { href: '/newsletters' } }] },
        ],
      },
    ],
  };
  const rendered = renderIssueEmail(
    {
      newsletterName: 'Weekly Brief',
      newsletterSlug: 'weekly-brief',
      number: 7,
      subject: 'Issue seven',
      intro,
      items,
      date: '2026-01-09T16:00:00.000Z',
    },
    {
      siteName: 'The Harbinger',
      siteUrl: 'https://harbinger.example',
      webUrl: 'https://harbinger.example/newsletters/weekly-brief/issues/7',
    },
  );

  it('groups stories by section, keeping the editor’s order', () => {
    assert.deepEqual(
      groupBySection(items).map((g) => [g.section?.name, g.items.map((i) => i.title)]),
      [
        ['Climate', ['One <script>alert(1)</script>', 'Three']],
        ['Culture', ['Two']],
      ],
    );
  });

  it('is a table layout with inline styles, escaped text, absolute links and alt text on every picture', () => {
    const { html } = rendered;
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<table role="presentation"/);
    assert.match(html, /<meta name="color-scheme" content="light dark">/);
    assert.match(html, /@media \(prefers-color-scheme: dark\)/);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /One &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<a class="hb-link" style="[^"]+" href="https:\/\/harbinger\.example\/newsletters">here<\/a>/);
    assert.match(html, /<p class="hb-text" style="margin:0 0 16px;[^"]*">Hello /);
    const images = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    assert.equal(images.length, 2, 'the two pictures, nothing else: no tracking pixel');
    assert.match(images[0]!, /src="https:\/\/harbinger\.example\/media\/a-960\.jpg" width="544" height="363" alt="A reef"/);
    assert.match(images[1]!, /alt="Three"/, 'a picture without alt text takes the headline');
    assert.match(html, /Weekly Brief · No\. 7/);
    assert.match(html, /href="https:\/\/harbinger\.example\/newsletters\/weekly-brief\/issues\/7"/);
  });

  it('has a plain-text part with the same stories and links', () => {
    const { text } = rendered;
    assert.match(text, /Hello here \(https:\/\/harbinger\.example\/newsletters\)/);
    assert.match(
      text,
      /CLIMATE\n—+\n\nOne <script>alert\(1\)<\/script>\nWhat happened\n16 year-old Ana Reporter reports on things\nRead the story: https:\/\/harbinger\.example\/articles\/one/,
    );
    assert.match(text, /Unsubscribe: %%UNSUBSCRIBE_URL%%/);
  });

  it('gets each reader’s own links, escaped in the HTML', () => {
    const mine = personalise(rendered, { unsubscribe: 'https://h.example/u/1?a=1&b=2', preferences: 'https://h.example/p/1' });
    assert.match(mine.html, /href="https:\/\/h\.example\/u\/1\?a=1&amp;b=2"/);
    assert.match(mine.text, /Unsubscribe: https:\/\/h\.example\/u\/1\?a=1&b=2/);
    assert.doesNotMatch(mine.html + mine.text, /%%/);
  });
});

describe('the composer’s order', () => {
  it('follows the numbers, keeps the page’s order on ties, and leaves dropped stories out', () => {
    const a = '00000000-0000-7000-8000-00000000000a';
    const b = '00000000-0000-7000-8000-00000000000b';
    const c = '00000000-0000-7000-8000-00000000000c';
    const result = orderedItems({ item: [a, b, c], keep: [a, c], [`position-${a}`]: '2', [`position-${b}`]: '1', [`position-${c}`]: '2' });
    assert.deepEqual(result.order, [b, a, c]);
    assert.deepEqual(result.kept, [a, c]);
    assert.deepEqual(orderedItems({ item: ['not-an-id', a], keep: a }).kept, [a]);
  });
});
