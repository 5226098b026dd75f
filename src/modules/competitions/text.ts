// Small texts the prize needs: entry references and the winner's byline
// phrase. Pure.
import { randomBytes } from 'node:crypto';

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
