// The forms of the prize, parsed with zod at the edge. Keys are in the order of
// the forms' fields, so error summaries list them in that order.
import { z } from 'zod';
import type { AwardKind } from '../../db/schema.js';
import { field, isId, uuid } from '../../web/schemas.js';
import { isEmailAddress, normaliseEmail } from '../../lib/email.js';
import type { DeclarationName } from './eligibility.js';

const checkbox = z.preprocess((v) => v === '1' || v === 'on' || v === 'true' || v === true, z.boolean());
const int = (min: number, max: number, message: string) =>
  z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
/** An optional whole number: empty stays '' (the default applies); anything else must be a whole number in range, or the message is shown. */
const optionalInt = (min: number, max: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => v === '' || (/^-?\d+$/.test(v) && Number(v) >= min && Number(v) <= max), message)
    .transform((v): '' | number => (v === '' ? '' : Number(v)))
    .default('');
const localTime = (label: string) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`);

export const competitionSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the prize, like “The Harbinger Prize 2027”.').max(120, 'Keep the name under 120 characters.'),
    year: int(2000, 2100, 'Enter the year of the prize, like 2027.'),
    slug: z
      .string()
      .trim()
      .max(80)
      .regex(/^([a-z0-9][a-z0-9-]*)?$/, 'Use lower-case letters, digits and hyphens for the address.')
      .default(''),
    description: z.string().max(20_000, 'Keep the description under 20,000 characters.').default(''),
    terms: z.string().max(40_000, 'Keep the rules under 40,000 characters.').default(''),
    timeZone: z.string().trim().min(1, 'Name the official time zone, like Europe/London.').max(64),
    opensAt: localTime('when entries open'),
    deadlineAt: localTime('the deadline'),
    announceAt: localTime('when the results are announced'),
    minAge: int(5, 30, 'Enter the youngest age allowed, a whole number.'),
    maxAge: int(5, 30, 'Enter the oldest age allowed, a whole number.'),
    schoolYearQuestion: z.string().trim().min(1, 'Write the question about the school year.').max(200),
    requireFullTime: checkbox.default(false),
    entriesPerPerson: int(1, 5, 'Entries per person must be between 1 and 5.'),
    shortlistSize: int(1, 20, 'The shortlist holds between 1 and 20 entries per category.'),
    language: z.string().trim().min(1, 'Name the language entries must be in.').max(40),
  })
  .refine((v) => v.minAge <= v.maxAge, { path: ['maxAge'], message: 'The oldest age cannot be below the youngest.' });

export type CompetitionInput = z.infer<typeof competitionSchema>;

export const categorySchema = z
  .object({
    name: z.string().trim().min(1, 'Name the category.').max(80, 'Keep the name under 80 characters.'),
    kind: z.enum(['essay', 'photo', 'video'], { error: 'Choose essay, photo or video.' }),
    prompt: z.string().trim().max(2000, 'Keep the prompt under 2,000 characters.').default(''),
    description: z.string().trim().max(2000, 'Keep the description under 2,000 characters.').default(''),
    wordLimit: optionalInt(50, 20_000, 'Enter the word limit as a whole number between 50 and 20,000, like 800.'),
    sectionId: z
      .string({ error: 'Choose a section from the list.' })
      .refine((v) => v === '' || isId(v), 'Choose a section from the list.')
      .default(''),
    position: optionalInt(0, 1000, 'Enter the position as a whole number from 0 to 1,000, like 3, or leave it empty.'),
  })
  .refine((v) => v.kind !== 'essay' || v.wordLimit !== '', { path: ['wordLimit'], message: 'Essay categories need a word limit.' });

export type CategoryInput = z.infer<typeof categorySchema>;

export const criterionSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the criterion, like “Argument”.').max(80),
    description: z.string().trim().max(500).default(''),
    scaleMin: optionalInt(0, 100, 'Enter the lowest score as a whole number from 0 to 100, like 1, or leave it empty.'),
    scaleMax: optionalInt(1, 100, 'Enter the highest score as a whole number from 1 to 100, like 10, or leave it empty.'),
  })
  .refine((v) => (v.scaleMin === '' ? 1 : v.scaleMin) < (v.scaleMax === '' ? 10 : v.scaleMax), {
    path: ['scaleMax'],
    message: 'The top of the scale must be above the bottom.',
  });

export type CriterionInput = z.infer<typeof criterionSchema>;

export const jurorSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter the juror’s name.')
    .max(60)
    .refine((v) => !/[<>]/.test(v), 'The name cannot contain < or >.'),
  email: z.string().transform(normaliseEmail).refine(isEmailAddress, 'Enter an email address like name@example.com.'),
  categoryId: uuid,
  role: z.enum(['chair', 'member'], { error: 'Choose chair or member.' }).default('member'),
});

export type JurorInput = z.infer<typeof jurorSchema>;

const CHOOSE_AWARD = 'Choose an entry and an award.';
const AWARD_KINDS = ['shortlist', 'first', 'second', 'third', 'overall'] as const satisfies readonly AwardKind[];

/** An award given to an entry, by a jury's chair or by the organisers. */
export const awardForm = z.object({
  kind: z.enum(AWARD_KINDS, { error: CHOOSE_AWARD }),
  entryId: z.string({ error: CHOOSE_AWARD }).refine(isId, CHOOSE_AWARD),
  note: field,
});

/** What the entry form sent, kept as typed (strings, cut to size) so it can always be shown again. */
export interface EntryForm {
  categoryId: string;
  title: string;
  essay: string;
  videoUrl: string;
  photoAlt: string;
  entrantName: string;
  school: string;
  country: string;
  schoolYear: string;
  /** `yyyy-mm-dd` when the three fields make a date; otherwise what was typed, so the check refuses it. */
  birthDate: string;
  /** The day, month and year fields as typed, shown again on a refused form. */
  birthParts: BirthParts;
  consentSchool: boolean;
  declarations: Record<DeclarationName, boolean>;
}

export const MAX_ESSAY_CHARS = 200_000;

export interface BirthParts {
  day: string;
  month: string;
  year: string;
}

/** The day, month and year of a stored `yyyy-mm-dd` date, as the form's fields show them (no leading zeros). */
export function birthDateParts(iso: string): BirthParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! } : { day: '', month: '', year: '' };
}

/** The date the three fields make: padded digits when they are numbers, else the typed text (which the date check refuses). */
export function birthDateFromParts(parts: BirthParts): string {
  const { day, month, year } = parts;
  if (day === '' && month === '' && year === '') return '';
  if (/^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year))
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return `${year}-${month}-${day}`;
}

/** The entry form's text fields as sent (absent is empty); `birthDate` is the single field older pages and the API send. */
const entryFields = z.object({
  action: field,
  categoryId: field,
  title: field,
  essay: field,
  videoUrl: field,
  photoAlt: field,
  entrantName: field,
  school: field,
  country: field,
  schoolYear: field,
  birthDate: field,
  birthDay: field,
  birthMonth: field,
  birthYear: field,
  consentSchool: field,
  declareFullTime: field,
  declareOwnWork: field,
  declareEnglish: field,
  declareRules: field,
});

export const ENTRY_FIELD_NAMES = Object.keys(entryFields.shape);

/** The entry form: whether it was sent to submit (or to save a draft), and the form as typed, cut to size. */
export const entryFormSchema = entryFields.transform((body) => ({ submit: body.action === 'submit', form: entryFormOf(body) }));

function entryFormOf(body: z.output<typeof entryFields>): EntryForm {
  const s = (key: keyof typeof body, max: number) => body[key].slice(0, max);
  const ticked = (key: keyof typeof body) => ['1', 'on', 'true'].includes(s(key, 5));
  return {
    categoryId: s('categoryId', 36),
    title: s('title', 200).trim(),
    essay: s('essay', MAX_ESSAY_CHARS),
    videoUrl: s('videoUrl', 500).trim(),
    photoAlt: s('photoAlt', 1000).trim(),
    entrantName: s('entrantName', 120).trim(),
    school: s('school', 200).trim(),
    country: s('country', 80).trim(),
    schoolYear: s('schoolYear', 80).trim(),
    ...birthDateFields(s('birthDay', 10).trim(), s('birthMonth', 10).trim(), s('birthYear', 10).trim(), s('birthDate', 10).trim()),
    consentSchool: ticked('consentSchool'),
    declarations: {
      fullTime: ticked('declareFullTime'),
      ownWork: ticked('declareOwnWork'),
      english: ticked('declareEnglish'),
      rules: ticked('declareRules'),
    },
  };
}

/** The three date-of-birth fields; a single `birthDate` (yyyy-mm-dd, from older pages or the API) is read when they are absent. */
function birthDateFields(day: string, month: string, year: string, single: string): { birthDate: string; birthParts: BirthParts } {
  if (day === '' && month === '' && year === '' && single !== '') return { birthDate: single, birthParts: birthDateParts(single) };
  const parts = { day, month, year };
  return { birthDate: birthDateFromParts(parts), birthParts: parts };
}

export const DECLARATION_FIELDS: Record<DeclarationName, string> = {
  fullTime: 'declareFullTime',
  ownWork: 'declareOwnWork',
  english: 'declareEnglish',
  rules: 'declareRules',
};
