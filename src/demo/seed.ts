// Loads the demo magazine into an empty database: sections, newsrooms, people
// with role histories, tags and articles with generated pictures. Everything
// but the picture files is written in one transaction.
import type { Db } from '../db/database.js';
import { nowIso } from '../db/database.js';
import { setSetting } from '../db/settings.js';
import type { Database } from '../db/schema.js';
import { ageOn, dateInZone } from '../lib/dates.js';
import { newId } from '../lib/ids.js';
import { slugify } from '../lib/slug.js';
import { countDocWords } from '../lib/plain-text.js';
import { renderRichText, rt, type RichNode } from '../lib/rich-text.js';
import { mediaDirs, storePicture, type MediaStorage, type Picture } from '../modules/media/index.js';
import { BodyFigure } from '../modules/articles/index.js';
import { seedDemoPrize } from '../modules/competitions/index.js';
import { seedDemoConsents } from '../modules/consent/index.js';
import { seedDemoSubscribers } from '../modules/newsletter/index.js';
import { seedDemoRedirects } from '../modules/redirects/index.js';
import { SearchService } from '../modules/search/index.js';
import { seedDemoPages } from '../modules/static-pages/index.js';
import { DEFAULT_PREVIEW_PARAGRAPHS } from '../config.js';
import type { Transaction } from 'kysely';
import * as content from './content.js';
import { illustration, portrait } from './pictures.js';

/** The demo editor-in-chief's account: it signs in by email link (`npm start` prints one). */
export const DEMO_EDITOR_EMAIL = 'editor@harbinger.localhost';

export interface SeedReport {
  seeded: boolean;
  articles: number;
  people: number;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
  const person = await db.selectFrom('people').select('id').limit(1).executeTakeFirst();
  return !row && !person;
}

/** Pictures are generated two at a time: sharp encodes on the libuv pool. */
async function inBatches<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

function insertFigure(body: RichNode, afterParagraph: number, picture: Picture): RichNode {
  const blocks = [...(body.content ?? [])];
  let seen = 0;
  const at = blocks.findIndex((b) => b.type === 'paragraph' && ++seen === afterParagraph);
  blocks.splice(
    at + 1,
    0,
    rt.figure({
      mediaId: picture.id,
      alt: picture.alt,
      caption: picture.caption,
      creditCreator: picture.creditCreator,
      creditSource: picture.creditSource,
    }),
  );
  return { ...body, content: blocks };
}

/**
 * `media`: the site's media store, or a folder for its public pictures.
 * `previewParagraphs`: the site's wall setting, which the search index splits registered articles by.
 */
export async function seedDemo(db: Db, media: string | MediaStorage, previewParagraphs = DEFAULT_PREVIEW_PARAGRAPHS): Promise<SeedReport> {
  if (!(await isEmpty(db))) return { seeded: false, articles: 0, people: 0 };
  // Generated pictures carry nothing private: no originals kept, variants made at once.
  const dirs = typeof media === 'string' ? mediaDirs(media) : media;
  const atOnce = { variants: 'now', keepOriginal: false } as const;

  const heroes = await inBatches(content.articles, 2, async (a, i) =>
    storePicture(
      db,
      dirs,
      await illustration(i + 1, a.hero.hue),
      {
        alt: a.hero.alt,
        caption: a.hero.caption,
        creditCreator: a.hero.creditCreator,
        creditSource: a.hero.creditSource,
      },
      atOnce,
    ),
  );
  const portraits = await inBatches(content.people, 2, async (p, i) =>
    storePicture(
      db,
      dirs,
      await portrait(i + 1, p.hue),
      { alt: `Illustrated portrait of ${p.name}`, creditSource: 'The Harbinger' },
      atOnce,
    ),
  );
  const inBody = await storePicture(
    db,
    dirs,
    await illustration(99, 30, 1200, 800),
    {
      alt: 'Illustration of overlapping orange and red circles, like a crowd seen from above',
      caption: 'Our illustrator’s impression of the day’s gathering.',
      creditCreator: 'Ines Okafor',
      creditSource: 'The Harbinger',
    },
    atOnce,
  );

  const now = nowIso();
  await db.transaction().execute(async (trx: Transaction<Database>) => {
    const sectionIds = new Map<string, string>();
    for (const [position, s] of content.sections.entries()) {
      const id = newId();
      sectionIds.set(s.slug, id);
      await trx
        .insertInto('sections')
        .values({ id, slug: s.slug, name: s.name, description: s.description, position, created_at: now })
        .execute();
    }

    const newsroomIds = new Map<string, string>();
    for (const n of content.newsrooms) {
      const id = newId();
      newsroomIds.set(n.slug, id);
      await trx
        .insertInto('newsrooms')
        .values({
          id,
          slug: n.slug,
          name: n.name,
          description: n.description,
          place: n.place,
          kind: n.kind,
          starts_on: n.startsOn,
          ends_on: n.endsOn,
          created_at: now,
        })
        .execute();
    }

    const personIds = new Map<string, string>();
    const births = new Map<string, string>();
    for (const [i, p] of content.people.entries()) {
      const id = newId();
      personIds.set(p.slug, id);
      births.set(id, p.birthDate);
      await trx
        .insertInto('people')
        .values({
          id,
          slug: p.slug,
          name: p.name,
          photo_media_id: portraits[i]!.id,
          birth_date: p.birthDate,
          birthplace: p.birthplace,
          show_birthplace: 1,
          locations: JSON.stringify(p.locations),
          languages: JSON.stringify(p.languages),
          bio_json: JSON.stringify(p.bio),
          bio_html: renderRichText(p.bio),
          user_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const r of p.roles) {
        await trx
          .insertInto('role_assignments')
          .values({
            id: newId(),
            person_id: id,
            role: r.role,
            section_id: r.section ? sectionIds.get(r.section)! : null,
            newsroom_id: r.newsroom ? newsroomIds.get(r.newsroom)! : null,
            starts_on: r.startsOn,
            ends_on: r.endsOn ?? null,
            created_at: now,
          })
          .execute();
      }
    }
    for (const n of content.newsrooms) {
      for (const m of n.members) {
        await trx
          .insertInto('newsroom_members')
          .values({
            id: newId(),
            newsroom_id: newsroomIds.get(n.slug)!,
            person_id: personIds.get(m.person)!,
            role: m.role,
            starts_on: m.startsOn,
            ends_on: m.endsOn,
          })
          .execute();
      }
    }

    const tagIds = new Map<string, string>();
    for (const name of new Set(content.articles.flatMap((a) => a.tags))) {
      const id = newId();
      tagIds.set(name, id);
      await trx
        .insertInto('tags')
        .values({ id, slug: slugify(name, 'tag'), name })
        .execute();
    }

    // Writers under 18 when their articles went out: their guardians' consents are on record (below).
    const minors = new Set<string>();
    const articleIds = new Map<string, string>();
    for (const [i, a] of content.articles.entries()) {
      const id = newId(a.publishedAt ? Date.parse(a.publishedAt) : Date.now());
      articleIds.set(a.slug, id);
      const body = a.slug === content.editorsPick ? insertFigure(a.body, 3, inBody) : a.body;
      const figure = (attrs: { mediaId: string; alt: string; caption: string; creditCreator: string; creditSource: string }) =>
        attrs.mediaId === inBody.id ? BodyFigure({ picture: inBody, ...attrs }) : '';
      const hero = heroes[i]!;
      await trx
        .insertInto('articles')
        .values({
          id,
          slug: a.slug,
          status: a.status,
          title: a.title,
          dek: a.dek,
          byline_phrase: a.bylinePhrase,
          section_id: sectionIds.get(a.section)!,
          newsroom_id: a.newsroom ? newsroomIds.get(a.newsroom)! : null,
          hero_media_id: hero.id,
          hero_caption: a.hero.caption,
          hero_alt: a.hero.alt,
          hero_credit_creator: a.hero.creditCreator,
          hero_credit_source: a.hero.creditSource,
          access: a.access,
          preview_paragraphs: a.previewParagraphs ?? null,
          body_json: JSON.stringify(body),
          body_html: renderRichText(body, { figure }),
          word_count: countDocWords(body),
          published_at: a.publishedAt,
          version: 1,
          created_at: a.publishedAt ?? now,
          updated_at: a.publishedAt ?? now,
        })
        .execute();
      const publicationDay = a.publishedAt ? dateInZone(a.publishedAt) : null;
      for (const [position, slug] of a.authors.entries()) {
        const personId = personIds.get(slug)!;
        if (ageOn(births.get(personId)!, publicationDay ?? dateInZone(now)) < 18) minors.add(personId);
        await trx
          .insertInto('article_authors')
          .values({
            article_id: id,
            person_id: personId,
            position,
            age_at_publication: publicationDay ? ageOn(births.get(personId)!, publicationDay) : null,
          })
          .execute();
      }
      for (const [position, slug] of a.editors.entries()) {
        await trx
          .insertInto('article_editors')
          .values({ article_id: id, person_id: personIds.get(slug)!, position })
          .execute();
      }
      for (const [position, name] of a.tags.entries()) {
        await trx
          .insertInto('article_tags')
          .values({ article_id: id, tag_id: tagIds.get(name)!, position })
          .execute();
      }
    }

    const editor = content.people.find((p) => p.roles.some((r) => r.role === 'editor_in_chief' && !r.endsOn))!;
    const editorUserId = newId();
    await trx
      .insertInto('users')
      .values({
        id: editorUserId,
        email: DEMO_EDITOR_EMAIL,
        email_verified_at: now,
        password_hash: null,
        display_name: editor.name,
        birth_year: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx.updateTable('people').set({ user_id: editorUserId }).where('id', '=', personIds.get(editor.slug)!).execute();

    await seedDemoConsents(
      trx,
      content.people.filter((p) => minors.has(personIds.get(p.slug)!)).map((p) => ({ id: personIds.get(p.slug)!, name: p.name })),
      { siteName: 'The Harbinger', now },
    );
    await setSetting(trx, 'editors_pick_article_id', articleIds.get(content.editorsPick)!);
    await setSetting(trx, 'featured_person_id', personIds.get(content.featuredPerson)!);
    // The yearly prize, open for entries as the demo starts.
    await seedDemoPrize(trx, { sectionIds });
    // Two confirmed readers of the Weekly Brief, so the newsletter desk has someone to send to.
    await seedDemoSubscribers(trx);
    // About, Join the team, Code of conduct, Privacy and Contact, published and in the footer menu.
    await seedDemoPages(trx);
    // A few addresses of the magazine's old site, leading to where their pages live now.
    await seedDemoRedirects(trx, { articleSlug: content.editorsPick });
  });
  await new SearchService(db, previewParagraphs).reindex();

  return { seeded: true, articles: content.articles.length, people: content.people.length };
}
