// An issue's email as MIME, encoded once per issue and filled per recipient.
// Encoding thirty kilobytes of HTML as quoted-printable is most of what sending
// a message costs the sender; every recipient's copy differs only in two links
// and a few headers. So the parts are split at the links' placeholders, each
// piece is encoded once, and a recipient's copy joins the pieces with their own
// links, encoded alone, between soft line breaks ("=" at a line's end, which
// decoding removes): every line stays within 76 characters and the decoded text
// is exactly what personalise() gives.
//
// For the bulk SMTP client (src/mail/smtp-bulk.ts) the same copy also comes as
// the DATA section in pieces (`section`): the issue's pieces are dot-stuffed
// and turned into bytes once, so a recipient's copy costs a few small buffers
// (headers, links) and no pass over the thirty kilobytes.
import { randomBytes } from 'node:crypto';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { escapeHtml } from '../../lib/rich-text.js';
import { dotStuff } from '../../mail/smtp-bulk.js';
import { PLACEHOLDER, type RenderedIssue } from './issue-email.js';
import type { NewsletterMessage } from './sending.js';

type Hole = keyof typeof PLACEHOLDER;

interface EncodedPart {
  /** Quoted-printable pieces; a hole goes between each two. */
  pieces: string[];
  /** The same pieces dot-stuffed (each starts a line), as bytes. */
  wire: Buffer[];
  holes: Hole[];
  escape: boolean;
}

const HOLE_PATTERN = new RegExp(`(${Object.values(PLACEHOLDER).join('|')})`);
const HOLE_OF = new Map<string, Hole>(Object.entries(PLACEHOLDER).map(([hole, text]) => [text, hole as Hole]));
const PLAIN_HEADER = /^[\x20-\x7e]*$/;

/** Printable ASCII but "=": quoted-printable writes it as it is. */
const QP_LITERAL = /^[\x21-\x3c\x3e-\x7e]*$/;

function qp(text: string): string {
  // A link (the per-recipient part) is plain ASCII: only its "=" need encoding, which spares a byte-by-byte pass.
  return qpWrap(QP_LITERAL.test(text) ? text.replace(/=/g, '=3D') : qpEncode(text), 76);
}

function encodePart(content: string, escape: boolean): EncodedPart {
  const split = content.replace(/\r?\n|\r/g, '\r\n').split(HOLE_PATTERN);
  const pieces: string[] = [];
  const holes: Hole[] = [];
  split.forEach((piece, i) => (i % 2 === 0 ? pieces.push(qp(piece)) : holes.push(HOLE_OF.get(piece)!)));
  return { pieces, wire: pieces.map((piece) => Buffer.from(dotStuff(piece), 'latin1')), holes, escape };
}

function fillPart(part: EncodedPart, links: Record<Hole, string>): string {
  let out = part.pieces[0]!;
  for (let i = 0; i < part.holes.length; i++) {
    const link = links[part.holes[i]!];
    out += `=\r\n${qp(part.escape ? escapeHtml(link) : link)}=\r\n${part.pieces[i + 1]!}`;
  }
  return out;
}

/** The part's pieces for one recipient as dot-stuffed bytes: the shared ones as they are, the links (each on lines of its own) new. */
function fillWire(part: EncodedPart, links: Record<Hole, string>, out: Buffer[]): void {
  out.push(part.wire[0]!);
  for (let i = 0; i < part.holes.length; i++) {
    const link = links[part.holes[i]!];
    out.push(Buffer.from(`=\r\n${dotStuff(qp(part.escape ? escapeHtml(link) : link))}=\r\n`, 'latin1'), part.wire[i + 1]!);
  }
}

/** A header line, or null when its value needs more than printable ASCII (the caller then lets nodemailer build the message). */
function headerLine(name: string, value: string): string | null {
  return PLAIN_HEADER.test(value) ? `${foldLines(`${name}: ${value}`, 76)}\r\n` : null;
}

/** The issue's email, encoded once; `message` (and `section`) build one recipient's copy. */
export class IssueMime {
  private readonly text: EncodedPart;
  private readonly html: EncodedPart;
  private readonly boundary = `--_hb_${randomBytes(12).toString('hex')}`;
  private readonly subject: string;
  /** What comes between the parts, and after the last, as bytes for `section`. */
  private readonly htmlStart: Buffer;
  private readonly end: Buffer;

  constructor(readonly rendered: RenderedIssue) {
    this.text = encodePart(rendered.text, false);
    this.html = encodePart(rendered.html, true);
    const b = this.boundary;
    this.htmlStart = Buffer.from(
      `\r\n--${b}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`,
      'latin1',
    );
    this.end = Buffer.from(`\r\n--${b}--\r\n`, 'latin1');
    this.subject = encodeWords(rendered.subject.replace(/[\r\n]+/g, ' '), 'Q', 52);
  }

  /**
   * The whole message for one recipient, or null when something in its headers
   * is not plain ASCII (an internationalised address): that copy goes through
   * nodemailer's own composer instead.
   */
  message(message: NewsletterMessage, links: Record<Hole, string>, date = new Date()): string | null {
    const head = this.head(message, date);
    if (head === null) return null;
    const b = this.boundary;
    return (
      `${head}${fillPart(this.text, links)}\r\n` +
      `--${b}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${fillPart(this.html, links)}\r\n` +
      `--${b}--\r\n`
    );
  }

  /**
   * The same message as `message`, as an SMTP DATA section in pieces: every
   * line starting with a dot doubled, CRLF line ends, without the end marker.
   * Null when `message` would be.
   */
  section(message: NewsletterMessage, links: Record<Hole, string>, date = new Date()): Buffer[] | null {
    const head = this.head(message, date);
    if (head === null) return null;
    const out: Buffer[] = [Buffer.from(dotStuff(head), 'latin1')];
    fillWire(this.text, links, out);
    out.push(this.htmlStart);
    fillWire(this.html, links, out);
    out.push(this.end);
    return out;
  }

  /** The headers and the start of the text part, up to its first piece; null when a header is not plain ASCII. */
  private head(message: NewsletterMessage, date: Date): string | null {
    const name = message.from.name.replace(/["\\\r\n]/g, '');
    const from = PLAIN_HEADER.test(name) ? `"${name}"` : encodeWords(name, 'Q', 52);
    const custom = Object.entries(message.headers).map(([key, value]) =>
      key === 'List-Id' ? headerLine(key, encodeWords(value, 'Q', 52)) : headerLine(key, value),
    );
    const lines = [
      headerLine('From', `${from} <${message.from.address}>`),
      headerLine('To', message.to),
      headerLine('Subject', this.subject),
      headerLine('Message-ID', message.messageId),
      headerLine('Date', date.toUTCString().replace(/GMT$/, '+0000')),
      'MIME-Version: 1.0\r\n',
      ...custom,
    ];
    if (lines.some((line) => line === null)) return null;
    const b = this.boundary;
    return (
      `${lines.join('')}Content-Type: multipart/alternative;\r\n boundary="${b}"\r\n\r\n` +
      `--${b}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`
    );
  }
}
