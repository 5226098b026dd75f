// Email addresses in the one form every module stores and compares (accounts,
// subscribers, imports), and the check of what counts as an address mail can be
// sent to. Two spellings of one address must find the same account and the same
// subscription, so there is one normalisation for all of them.
import { domainToASCII, domainToUnicode } from 'node:url';

// An address's local part: RFC 5322 dot-atom text, with any non-ASCII letter or
// mark allowed as RFC 6531 (SMTPUTF8) does. No quoted local parts, no spaces.
const ATOM = String.raw`(?:[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~-]|[^\x00-\x7f\s\p{C}])+`;
const LOCAL_RE = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`, 'u');
const LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD_RE = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const MAX_ADDRESS_LENGTH = 254;

function splitAddress(value: string): { local: string; domain: string } | null {
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return null;
  return { local: value.slice(0, at), domain: value.slice(at + 1) };
}

/**
 * The address as stored and compared: trimmed, Unicode NFC, lower-cased, with an
 * internationalised domain in its Unicode form (so `ana@xn--exmple-cua.org` and
 * `ana@exämple.org` are the same person). Whether it is an address at all is
 * `isEmailAddress`'s question.
 */
export function normaliseEmail(input: string): string {
  const value = input.trim().normalize('NFC').toLowerCase();
  const parts = splitAddress(value);
  if (!parts) return value;
  const ascii = /[\s/\\?#@:[\]%]/.test(parts.domain) ? '' : domainToASCII(parts.domain);
  return ascii ? `${parts.local}@${domainToUnicode(ascii)}` : value;
}

function isDomain(domain: string): boolean {
  if (/[\s/\\?#@:[\]%]/.test(domain)) return false;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return false;
  const labels = ascii.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL_RE.test(l)) && TLD_RE.test(labels[labels.length - 1]!);
}

/**
 * Whether mail can be sent to this address: a dot-atom local part of at most 64
 * bytes and a domain with a top-level label. Unicode local parts (`josé@…`,
 * `用户@…`) are accepted; sending to them needs SMTPUTF8.
 */
export function isEmailAddress(input: string): boolean {
  const value = normaliseEmail(input);
  if (value.length === 0 || value.length > MAX_ADDRESS_LENGTH) return false;
  const parts = splitAddress(value);
  if (!parts || Buffer.byteLength(parts.local) > 64 || !LOCAL_RE.test(parts.local)) return false;
  return isDomain(parts.domain);
}
