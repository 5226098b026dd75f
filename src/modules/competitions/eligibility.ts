// Who may enter and what an entry must hold, as pure functions: the age range
// on the deadline date (in the competition's zone), the declarations, the word
// limit of an essay, and links to a public video host. Each refusal comes with
// a sentence that says why, addressed to the entrant.
import { ageOn, dateInZone, formatDateInZone } from '../../lib/dates.js';

export interface AgeRule {
  minAge: number;
  maxAge: number;
  deadlineAt: string;
  timeZone: string;
}

export type Check = { ok: true } | { ok: false; message: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (29 February only in leap years). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The day the age range is measured on: the deadline's date in the official zone. */
export function deadlineDate(rule: Pick<AgeRule, 'deadlineAt' | 'timeZone'>): string {
  return dateInZone(rule.deadlineAt, rule.timeZone);
}

export function ageOnDeadline(birthDate: string, rule: Pick<AgeRule, 'deadlineAt' | 'timeZone'>): number {
  return ageOn(birthDate, deadlineDate(rule));
}

export function checkBirthDate(value: string, today: string): Check {
  if (value.trim() === '') return { ok: false, message: 'Enter your date of birth.' };
  if (!isCalendarDate(value))
    return { ok: false, message: 'Enter your date of birth as a real date: the day, the month and the year in numbers, like 14 3 2009.' };
  if (value > today || value < '1900-01-01') return { ok: false, message: 'Check your date of birth: it is not a date we can accept.' };
  return { ok: true };
}

/**
 * The date of birth on an entry against the year of birth the account was
 * opened with: a year apart is allowed (a slip, or a birthday near the new
 * year), more is refused. Accounts without a year are not checked.
 */
export function checkBirthYearAgainstAccount(birthDate: string, accountBirthYear: number | null): Check {
  if (accountBirthYear === null || !isCalendarDate(birthDate)) return { ok: true };
  const year = Number(birthDate.slice(0, 4));
  if (Math.abs(year - accountBirthYear) <= 1) return { ok: true };
  return {
    ok: false,
    message: `The year in this date of birth, ${year}, does not match the year of birth on your account, ${accountBirthYear}. Check the date you typed; if your account is wrong, write to us before you submit.`,
  };
}

/** The age range, checked on the deadline date; the message says the age the entrant will be. */
export function checkAge(birthDate: string, rule: AgeRule): Check & { age: number } {
  const age = ageOnDeadline(birthDate, rule);
  if (age >= rule.minAge && age <= rule.maxAge) return { ok: true, age };
  const day = formatDateInZone(rule.deadlineAt, rule.timeZone);
  return {
    ok: false,
    age,
    message: `This prize is for entrants aged ${rule.minAge} to ${rule.maxAge} on the deadline date, ${day}. With the date of birth you gave, you will be ${age} on that day, so you cannot enter this year.${age < rule.minAge ? ' We hope to read your work in a future year!' : ''}`,
  };
}

const number = (n: number) => n.toLocaleString('en-GB');

export function checkWordLimit(words: number, limit: number | null): Check {
  if (words === 0) return { ok: false, message: 'Write your essay in the box (or paste it in).' };
  if (limit !== null && words > limit) {
    return {
      ok: false,
      message: `Your essay has ${number(words)} words; the limit for this category is ${number(limit)}. Cut at least ${number(words - limit)} ${words - limit === 1 ? 'word' : 'words'} and submit again.`,
    };
  }
  return { ok: true };
}

const VIDEO_HOSTS = ['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtu.be', 'vimeo.com', 'www.vimeo.com', 'player.vimeo.com'];

/** A link to the video on a public host (YouTube or Vimeo), over https. */
export function checkVideoUrl(value: string): Check & { url?: string } {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, message: 'Paste the link to your video.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: 'Paste the whole link to your video, starting with https://.' };
  }
  if (url.protocol !== 'https:' || !VIDEO_HOSTS.includes(url.hostname.toLowerCase()) || url.username || url.password) {
    return { ok: false, message: 'Share your video on YouTube or Vimeo (public or unlisted) and paste its https:// link here.' };
  }
  return { ok: true, url: url.href };
}

export type DeclarationName = 'fullTime' | 'ownWork' | 'english' | 'rules';

export interface DeclarationRule {
  requireFullTime: boolean;
  language: string;
}

export function declarationTexts(rule: DeclarationRule): Record<DeclarationName, string> {
  return {
    fullTime: 'I am in full-time pre-university education (at school, or the equivalent).',
    ownWork: 'This entry is my own work, made by me alone: it has a single author.',
    english: `My entry is in ${rule.language}.`,
    rules: 'I have read the rules and I understand that my entry is final: it cannot be changed once submitted.',
  };
}

export function requiredDeclarations(rule: DeclarationRule): DeclarationName[] {
  return rule.requireFullTime ? ['fullTime', 'ownWork', 'english', 'rules'] : ['ownWork', 'english', 'rules'];
}

/** Field name → message for each required declaration left unticked. */
export function checkDeclarations(
  ticked: Partial<Record<DeclarationName, boolean>>,
  rule: DeclarationRule,
): Partial<Record<DeclarationName, string>> {
  const missing: Partial<Record<DeclarationName, string>> = {};
  const messages: Record<DeclarationName, string> = {
    fullTime: 'The prize is for students in full-time pre-university education: tick the box to confirm you are one.',
    ownWork: 'Entries must have a single author: tick the box to confirm this is your own work.',
    english: `Entries must be in ${rule.language}: tick the box to confirm yours is.`,
    rules: 'Tick the box to confirm you have read the rules and that your entry is final.',
  };
  for (const name of requiredDeclarations(rule)) if (!ticked[name]) missing[name] = messages[name];
  return missing;
}
