// Small conversions the prize needs: an organiser's plain text (description,
// rules) and an entrant's essay to rich-text documents and back, and entry
// references. All pure.
import { randomBytes } from 'node:crypto';
import type { RichNode } from '../../lib/rich-text.js';

const text = (value: string): RichNode => ({ type: 'text', text: value });

/**
 * Plain text to a document: blank lines separate blocks; "## " starts a heading
 * (at `headingLevel`, for text placed under a page's own h2) and lines starting
 * "- " make a list. Enough for a prize's description and rules.
 */
export function plainToDoc(input: string, headingLevel: 2 | 3 = 2): RichNode {
  const blocks = input
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((b) => b.trim())
    .filter(Boolean);
  return {
    type: 'doc',
    content: blocks.map((block): RichNode => {
      const heading = /^##\s+(.*)$/s.exec(block);
      if (heading) return { type: 'heading', attrs: { level: headingLevel }, content: [text(heading[1]!.replace(/\s+/g, ' '))] };
      const lines = block.split('\n');
      if (lines.every((l) => /^\s*-\s+/.test(l))) {
        return { type: 'bulletList', content: lines.map((l) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [text(l.replace(/^\s*-\s+/, '').trim())] }] })) };
      }
      return { type: 'paragraph', content: [text(block.replace(/\s+/g, ' '))] };
    }),
  };
}

export function docToPlain(doc: RichNode): string {
  const inline = (node: RichNode): string => (node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(inline).join(''));
  return (doc.content ?? [])
    .map((block) => {
      if (block.type === 'heading') return `## ${inline(block)}`;
      if (block.type === 'bulletList') return (block.content ?? []).map((item) => `- ${inline(item)}`).join('\n');
      return inline(block);
    })
    .filter(Boolean)
    .join('\n\n');
}

/** An essay as typed: paragraphs separated by blank lines, nothing else interpreted. */
export function essayToDoc(essay: string): RichNode {
  const paragraphs = essay
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  return { type: 'doc', content: paragraphs.map((p) => ({ type: 'paragraph', content: [text(p)] })) };
}

export function docToEssay(doc: RichNode): string {
  const inline = (node: RichNode): string => (node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(inline).join(' '));
  return (doc.content ?? []).map(inline).filter(Boolean).join('\n\n');
}

// No 0/O, 1/I/L: references are read aloud and typed from emails.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** "HP26-7K3M-Q9TD": the prize's initials, the year, eight random characters. */
export function newReference(prizeName: string, year: number, random: (n: number) => Buffer = randomBytes): string {
  const initials =
    prizeName
      .replace(/^the\s+/i, '')
      .split(/\s+/)
      .filter((w) => /^[A-Za-z]/.test(w))
      .map((w) => w[0]!.toUpperCase())
      .join('')
      .slice(0, 3) || 'P';
  const bytes = random(8);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${initials}${String(year % 100).padStart(2, '0')}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** "is the winner of The Harbinger Prize 2026: Society" (the year added when the prize's name lacks it). */
export function winnerBylinePhrase(prizeName: string, year: number, categoryName: string): string {
  const name = prizeName.includes(String(year)) ? prizeName : `${prizeName} ${year}`;
  return `is the winner of ${name}: ${categoryName}`;
}
