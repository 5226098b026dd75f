// The issue's MIME, encoded once and filled per recipient, reads exactly as the
// message nodemailer would have composed from personalise(): same parts, same
// links, same headers, and every line within the 76 characters of
// quoted-printable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { PLACEHOLDER, personalise, type RenderedIssue } from '../../../src/modules/newsletter/issue-email.js';
import { IssueMime } from '../../../src/modules/newsletter/issue-mime.js';
import { dataSection } from '../../../src/mail/smtp-bulk.js';
import type { NewsletterMessage } from '../../../src/modules/newsletter/index.js';

const rendered: RenderedIssue = {
  subject: 'The Weekly Brief — No. 12: “Diving, marching & voting” ’ a rather long subject that must be folded',
  html:
    `<html><body><p>${'Señora’s café — ünïcödé text that runs on and on. '.repeat(40)}</p>` +
    `<a href="${PLACEHOLDER.unsubscribe}">Unsubscribe</a>${PLACEHOLDER.preferences}<p>end = 100% </p></body></html>`,
  text: `THE HARBINGER\n${'A line with trailing space \n'.repeat(3)}.A line starting with a dot\n.\nUnsubscribe: ${PLACEHOLDER.unsubscribe}\nChoose: ${PLACEHOLDER.preferences}`,
};

const links = {
  unsubscribe: 'https://harbinger.example/newsletters/unsubscribe/eyJzIjoiMDE5In0.AbC-dEf_123?x=1&y=2',
  preferences: 'https://harbinger.example/newsletters/preferences/eyJzIjoiMDE5In0.ZzZ',
};

function envelope(to: string): NewsletterMessage {
  return {
    from: { name: 'The Weekly Brief', address: 'brief@harbinger.example' },
    to,
    subject: rendered.subject,
    text: '',
    html: '',
    messageId: '<01abc@harbinger.example>',
    headers: {
      'List-Unsubscribe': `<${links.unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Weekly Brief <weekly-brief.harbinger.example>',
    },
  };
}

describe('IssueMime', () => {
  it("a recipient's copy decodes to the personalised parts and headers", async () => {
    const raw = new IssueMime(rendered).message(envelope('reader@example.org'), links, new Date('2026-11-30T08:00:00Z'));
    assert.ok(raw);
    const [head, ...body] = raw.split('\r\n\r\n');
    // A header may not be folded inside an address; a body line stays within quoted-printable's 76.
    for (const line of head!.split('\r\n')) assert.ok(line.length <= 998, `header line too long: ${line}`);
    for (const line of body.join('\r\n\r\n').split('\r\n')) assert.ok(line.length <= 76, `line too long: ${line}`);
    const mail = await simpleParser(raw);
    const expected = personalise(rendered, links);
    assert.equal(mail.subject, rendered.subject);
    assert.equal(mail.html, expected.html);
    assert.equal(mail.text, expected.text);
    assert.equal(mail.messageId, '<01abc@harbinger.example>');
    const line = (name: string) => mail.headerLines.filter((h) => h.key === name).map((h) => h.line.replace(/^[^:]+:\s*/, ''));
    assert.deepEqual(line('list-unsubscribe-post'), ['List-Unsubscribe=One-Click']);
    assert.deepEqual(line('list-id'), ['Weekly Brief <weekly-brief.harbinger.example>']);
    assert.deepEqual(
      line('list-unsubscribe').map((l) => l.replace(/\s+/g, '')),
      [`<${links.unsubscribe}>`],
    );
    assert.equal((mail.to as { value: { address: string }[] }).value[0]!.address, 'reader@example.org');
    assert.equal(mail.from!.value[0]!.name, 'The Weekly Brief');
    assert.equal(mail.date!.toISOString(), '2026-11-30T08:00:00.000Z');
  });

  it('leaves an internationalised address to the composer', () => {
    assert.equal(new IssueMime(rendered).message(envelope('lektör@exämple.org'), links), null);
    assert.equal(new IssueMime(rendered).section(envelope('lektör@exämple.org'), links), null);
  });

  it('comes as an SMTP data section too: the same bytes, with the lines that start with a dot doubled', () => {
    const mime = new IssueMime(rendered);
    const date = new Date('2026-11-30T08:00:00Z');
    const raw = mime.message(envelope('reader@example.org'), links, date)!;
    assert.match(raw, /\r\n\.A line starting with a dot/);
    const section = Buffer.concat(mime.section(envelope('reader@example.org'), links, date)!).toString('latin1');
    assert.match(section, /\r\n\.\.A line starting with a dot/);
    assert.equal(`${section}.\r\n`, dataSection(raw));
  });
});
