// The demo magazine's prize: "The Harbinger Prize <this year>", open for entries
// when the demo is loaded (opened three weeks before, closing in about six
// weeks at noon London time), with five categories and a four-part rubric.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { zonedToUtc, utcToZonedInput } from '../../lib/dates.js';
import { newId } from '../../lib/ids.js';
import { renderRichText } from '../../lib/rich-text.js';
import { textToDoc } from '../../lib/plain-text.js';

const ZONE = 'Europe/London';
const DAY = 86_400_000;

/** A day `days` from `now`, at a wall-clock time in London, as a UTC instant. */
function londonDay(now: Date, days: number, time: string): string {
  const date = utcToZonedInput(new Date(now.getTime() + days * DAY).toISOString(), ZONE).slice(0, 10);
  return zonedToUtc(`${date}T${time}`, ZONE).toISOString();
}

const DESCRIPTION = `Every year the magazine asks students everywhere one question: what do you see that the rest of us are missing? Write it, photograph it or film it, and send it to us.

## What winners receive

- Publication in the magazine, with the editors’ help to prepare the piece
- A place on the magazine as a contributor, with an editor and a mentor
- A reading of the winning pieces at the end-of-year online gathering`;

const TERMS = `## Eligibility

Entrants must be aged 13 to 19 on the deadline date and in full-time pre-university education. Entry is free.

## Entries

- One entry per person, in one category
- One author per entry: no co-written work
- Entries must be in English and must not have been published before
- Essays must respect the category’s word limit; titles and footnotes do not count

## Judging

Juries read every entry blind: they see the work and its reference, never the entrant’s name, school, country or age. Each jury is chaired by a working journalist. The jury’s decisions are final.

## After the deadline

Entries are final once submitted and cannot be amended or withdrawn. Shortlisted entrants are named on this page with their age and country, and their school only if they agree.`;

const CATEGORIES = [
  {
    name: 'International Affairs',
    kind: 'essay' as const,
    wordLimit: 2000,
    section: 'international-affairs',
    prompt: 'Which border, treaty or alliance will matter most to your generation, and why are adults underestimating it?',
  },
  {
    name: 'Society',
    kind: 'essay' as const,
    wordLimit: 1500,
    section: 'society',
    prompt: 'Describe one rule at your school or in your town that should change, and make the case to the person who could change it.',
  },
  {
    name: 'Culture',
    kind: 'essay' as const,
    wordLimit: 1500,
    section: 'culture',
    prompt: 'Review a book, film, game or album that nobody your age seems to know about, and convince us to find it.',
  },
  {
    name: 'Picture of the Year',
    kind: 'photo' as const,
    wordLimit: null,
    section: 'culture',
    prompt: 'One photograph taken this year that shows change happening where you live.',
  },
  {
    name: 'Video Essay',
    kind: 'video' as const,
    wordLimit: null,
    section: 'climate',
    prompt: 'In under five minutes, show us a place that will look different in ten years.',
  },
];

const CRITERIA = [
  { name: 'Ideas and argument', description: 'A clear, original point of view, carried through.' },
  { name: 'Reporting and evidence', description: 'Facts, voices and sources that hold the piece up.' },
  { name: 'Craft', description: 'Structure, language, images or editing that serve the story.' },
  { name: 'Voice', description: 'Does it sound like its author, and like nobody else?' },
];

export async function seedDemoPrize(
  db: Kysely<Database> | Transaction<Database>,
  options: { sectionIds: Map<string, string>; now?: Date },
): Promise<string> {
  const now = options.now ?? new Date();
  const year = now.getUTCFullYear();
  const id = newId();
  const description = textToDoc(DESCRIPTION, { markup: true });
  const terms = textToDoc(TERMS, { markup: true, headingLevel: 3 });
  const stamp = now.toISOString();
  await db
    .insertInto('competitions')
    .values({
      id,
      slug: `harbinger-prize-${year}`,
      name: `The Harbinger Prize ${year}`,
      year,
      description_json: JSON.stringify(description),
      description_html: renderRichText(description),
      terms_json: JSON.stringify(terms),
      terms_html: renderRichText(terms),
      time_zone: ZONE,
      opens_at: londonDay(now, -21, '09:00'),
      deadline_at: londonDay(now, 42, '12:00'),
      announce_at: londonDay(now, 70, '18:00'),
      min_age: 13,
      max_age: 19,
      school_year_question: 'Which school year have you just completed?',
      require_full_time: 1,
      entries_per_person: 1,
      shortlist_size: 5,
      language: 'English',
      shortlist_published_at: null,
      winners_published_at: null,
      created_at: stamp,
      updated_at: stamp,
    })
    .execute();
  for (const [position, c] of CATEGORIES.entries()) {
    await db
      .insertInto('competition_categories')
      .values({
        id: newId(),
        competition_id: id,
        slug: c.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        name: c.name,
        prompt: c.prompt,
        description: '',
        kind: c.kind,
        word_limit: c.wordLimit,
        section_id: options.sectionIds.get(c.section) ?? null,
        position,
        created_at: stamp,
      })
      .execute();
  }
  for (const [position, c] of CRITERIA.entries()) {
    await db
      .insertInto('rubric_criteria')
      .values({ id: newId(), competition_id: id, name: c.name, description: c.description, scale_min: 1, scale_max: 10, position })
      .execute();
  }
  return id;
}
