// The Ghost reader on its own: what it makes of exports in the shapes of Ghost
// 2, 4 and 5+ (people, sections, tags, posts and pages, members), and how it
// refuses a file it cannot read. No database: the items are what the engine
// receives.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { contentImagePath, ghostDate, lineAndColumn, readGhost, siteLinks } from '../../../src/modules/imports/ghost.js';
import {
  ImportFileError,
  type ImportedMember,
  type ImportedPerson,
  type ImportedPost,
  type ImportedTerm,
  type ImportItem,
} from '../../../src/modules/imports/model.js';

const FIXTURES = resolve('test/fixtures/imports/ghost');
const CONTENT = join(FIXTURES, 'content');
const scratch = mkdtempSync(join(tmpdir(), 'harbinger-ghost-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function byType(items: ImportItem[]) {
  const people = new Map<string, ImportedPerson>();
  const sections = new Map<string, ImportedTerm>();
  const tags = new Map<string, ImportedTerm>();
  const posts = new Map<string, ImportedPost>();
  const members = new Map<string, ImportedMember>();
  const skipped: { kind: string; sourceId: string; reason: string }[] = [];
  for (const item of items) {
    if (item.type === 'person') people.set(item.person.slug, item.person);
    else if (item.type === 'section') sections.set(item.term.slug, item.term);
    else if (item.type === 'tag') tags.set(item.term.slug, item.term);
    else if (item.type === 'post') posts.set(item.post.slug, item.post);
    else if (item.type === 'member') members.set(item.member.email, item.member);
    else skipped.push(item);
  }
  return { people, sections, tags, posts, members, skipped };
}

function post(map: Map<string, ImportedPost>, slug: string): ImportedPost {
  const found = map.get(slug);
  assert.ok(found, `no post ${slug}`);
  return found;
}

async function refused(path: string): Promise<ImportFileError> {
  try {
    await readGhost(path, { members: true });
  } catch (err) {
    assert.ok(err instanceof ImportFileError, `not an ImportFileError: ${String(err)}`);
    return err;
  }
  assert.fail(`${path} was accepted`);
}

function write(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('Ghost 2 export ({ meta, data } at the top, mobiledoc, page flag, author_id)', async () => {
  const read = await readGhost(join(FIXTURES, 'ghost-2.json'), { contentDir: CONTENT });
  const { people, sections, tags, posts, skipped } = byType(read.items);

  it('names the site from its settings and counts what it holds', () => {
    assert.deepEqual(read.source, { format: 'ghost', siteUrl: 'https://river-times.example' });
    assert.equal(read.totals.posts, 2);
    assert.equal(read.totals.pages, 1);
    assert.equal(read.totals.people, 2);
  });

  it('reads users as people with their picture from --content, and never a password', () => {
    const maya = people.get('maya')!;
    assert.equal(maya.name, 'Maya Okafor');
    assert.equal(maya.bio, 'Writes about the river and the people who look after it.');
    assert.equal(maya.location, 'Riverside');
    assert.deepEqual(maya.oldPaths, ['/author/maya/']);
    assert.equal(maya.photo?.file, join(CONTENT, 'images/2019/05/maya-portrait.jpg'));
    assert.equal(people.get('sam-lee')!.photo, null);
    assert.ok(!JSON.stringify(read.items).includes('$2a$10$'), 'a password hash left the reader');
  });

  it('makes the first tag the section, the others tags, and skips internal tags', () => {
    const clean = post(posts, 'river-clean-up');
    assert.equal(clean.section?.slug, 'environment');
    assert.equal(clean.section?.description, 'Rivers, parks and the air we breathe.');
    assert.deepEqual(
      clean.tags.map((t) => t.slug),
      ['volunteering'],
    );
    assert.deepEqual(sections.get('environment')?.oldPaths, ['/tag/environment/']);
    assert.deepEqual(tags.get('volunteering')?.oldPaths, ['/tag/volunteering/']);
    assert.ok(!tags.has('hash-from-newsletter'));
    assert.ok(skipped.some((s) => s.kind === 'tag' && s.reason.includes('#from-newsletter')));
  });

  it('reads a post: dek, author from author_id, date without a zone as UTC, feature picture, featured flag', () => {
    const clean = post(posts, 'river-clean-up');
    assert.equal(clean.kind, 'article');
    assert.equal(clean.title, 'Forty bags of litter pulled from the river');
    assert.equal(clean.dek, 'Students spent a Saturday cleaning the river, and the council has noticed.');
    assert.deepEqual(clean.authorSourceIds, ['5cd0000000000000000000a1']);
    assert.equal(clean.status, 'published');
    assert.equal(clean.publishedAt, '2019-05-10T09:30:00.000Z');
    assert.equal(clean.access, 'free');
    assert.equal(clean.featured, true);
    assert.deepEqual(clean.oldPaths, ['/river-clean-up/']);
    assert.equal(clean.hero?.url, '/content/images/2019/05/river-clean-up.jpg');
    assert.equal(clean.hero?.file, join(CONTENT, 'images/2019/05/river-clean-up.jpg'));
  });

  it('reads the page flag as a static page, and a draft without a date', () => {
    const about = post(posts, 'about-us');
    assert.equal(about.kind, 'page');
    assert.equal(about.section, null);
    assert.deepEqual(about.oldPaths, ['/about-us/']);
    const ideas = post(posts, 'summer-ideas');
    assert.equal(ideas.status, 'draft');
    assert.equal(ideas.publishedAt, null);
    assert.deepEqual(ideas.authorSourceIds, ['5cd0000000000000000000a2']);
  });
});

describe('Ghost 4 export (mobiledoc and html, __GHOST_URL__, posts_authors, members with subscribed)', async () => {
  const read = await readGhost(join(FIXTURES, 'ghost-4.json'), { contentDir: CONTENT, members: true });
  const { people, posts, members, skipped } = byType(read.items);

  it('has no site address when the export gives none, and resolves __GHOST_URL__ pictures', () => {
    assert.equal(read.source.siteUrl, '');
    const theo = people.get('theo')!;
    assert.equal(theo.photo?.url, '/content/images/2021/03/theo.png');
    assert.equal(theo.photo?.file, join(CONTENT, 'images/2021/03/theo.png'));
  });

  it('puts authors in posts_authors order, not author_id, and tags in posts_tags order', () => {
    const bus = post(posts, 'late-bus');
    assert.deepEqual(bus.authorSourceIds, ['6040000000000000000000a2', '6040000000000000000000a1']);
    assert.equal(bus.section?.slug, 'transport');
    assert.deepEqual(
      bus.tags.map((t) => t.slug),
      ['local-council'],
    );
  });

  it('takes the feature picture’s alt and caption from the post, the caption as plain text', () => {
    const bus = post(posts, 'late-bus');
    assert.equal(bus.hero?.url, '/content/images/2021/03/bus-stop.jpg');
    assert.equal(bus.hero?.alt, 'A bus stop in the rain');
    assert.equal(bus.hero?.caption, 'The stop on Mill Lane');
    assert.ok(bus.hero?.file);
  });

  it('makes members and paid posts registered, with a note for the newsroom', () => {
    const bus = post(posts, 'late-bus');
    assert.equal(bus.access, 'registered');
    assert.match(bus.note, /members only/);
    const council = post(posts, 'youth-council');
    assert.equal(council.access, 'registered');
    assert.match(council.note, /paying members/);
    assert.equal(council.publishedAt, '2021-03-05T12:00:00.000Z');
    assert.equal(post(posts, 'contact').kind, 'page');
  });

  it('reads members: subscribed ones marked so, with a consent text naming the file', () => {
    assert.equal(read.totals.members, 3);
    assert.equal(members.get('ana@example.org')?.subscribed, true);
    assert.match(members.get('ana@example.org')!.consent!, /ghost-4\.json/);
    assert.equal(members.get('Cleo@Example.ORG')?.subscribed, true);
    // Ben did not subscribe: skipped with the reason, his address not handed on.
    assert.ok(!members.has('ben@example.org'));
    assert.deepEqual(
      skipped.filter((s) => s.kind === 'subscriber'),
      [
        {
          type: 'skipped',
          kind: 'subscriber',
          sourceId: '6040000000000000000000f2',
          reason: 'Not subscribed to any newsletter in the export.',
        },
      ],
    );
  });

  it('leaves members out unless asked', async () => {
    const plain = await readGhost(join(FIXTURES, 'ghost-4.json'));
    assert.ok(!plain.items.some((i) => i.type === 'member'));
    // Without --content the pictures are named but have no file.
    assert.equal(byType(plain.items).posts.get('late-bus')?.hero?.file, null);
  });
});

describe('Ghost 5 export (lexical, posts_meta, newsletters, tiers)', async () => {
  const read = await readGhost(join(FIXTURES, 'ghost-5.json'), { contentDir: CONTENT, members: true });
  const { people, sections, tags, posts, members, skipped } = byType(read.items);

  it('reads the site address without its trailing slash', () => {
    assert.equal(read.source.siteUrl, 'https://makers.example');
    assert.equal(read.totals.comments, 1);
  });

  it('takes the feature picture’s alt and caption from posts_meta', () => {
    const arm = post(posts, 'robot-arm');
    assert.equal(arm.hero?.alt, 'A cardboard robot arm');
    assert.equal(arm.hero?.caption, 'Built from cardboard & servos');
    assert.equal(arm.hero?.file, join(CONTENT, 'images/2023/09/robot-arm.jpg'));
    assert.equal(arm.access, 'registered');
    assert.match(arm.note, /some tiers/);
  });

  it('makes a tag that leads one post and follows another a section (with the old path) and a tag', () => {
    assert.equal(post(posts, 'open-day').section?.slug, 'robotics');
    assert.deepEqual(sections.get('robotics')?.oldPaths, ['/tag/robotics/']);
    assert.deepEqual(tags.get('robotics')?.oldPaths, []);
    assert.deepEqual(
      post(posts, 'robot-arm').tags.map((t) => t.slug),
      ['robotics'],
    );
    assert.ok(skipped.some((s) => s.reason.includes('#newsletter-only')));
  });

  it('keeps a scheduled post’s time and a draft’s status', () => {
    const open = post(posts, 'open-day');
    assert.equal(open.status, 'scheduled');
    assert.equal(open.publishedAt, '2030-01-15T09:00:00.000Z');
    assert.equal(post(posts, 'first-meeting').status, 'draft');
  });

  it('names a profile picture that is not under --content, without a file', () => {
    const jonah = people.get('jonah')!;
    assert.equal(jonah.photo?.url, '/content/images/2023/09/missing-face.jpg');
    assert.equal(jonah.photo?.file, null);
  });

  it('counts members_newsletters rows as subscriptions; a member whose email is disabled is not subscribed', () => {
    assert.equal(members.get('dev@example.org')?.subscribed, true);
    assert.deepEqual([...members.keys()], ['dev@example.org']);
    const reasons = Object.fromEntries(skipped.filter((s) => s.kind === 'subscriber').map((s) => [s.sourceId, s.reason]));
    assert.deepEqual(reasons, {
      '6500000000000000000000f2': 'Not subscribed to any newsletter in the export.',
      '6500000000000000000000f3': 'Ghost had stopped emailing this address (bounces or a spam complaint).',
    });
  });
});

describe('a file the reader refuses', () => {
  it('names the line and column of a cut-short file', async () => {
    const text = readFileSync(join(FIXTURES, 'ghost-4.json'), 'utf8');
    const cut = text.slice(0, text.indexOf('"posts_authors"') + 20);
    const err = await refused(write('cut.json', cut));
    const lines = cut.split('\n');
    assert.equal(err.where.line, lines.length);
    assert.match(err.message, new RegExp(`line ${lines.length}, column \\d+`));
    assert.match(err.message, /not valid JSON/);
  });

  it('names the line of a stray character', async () => {
    const err = await refused(write('stray.json', '{\n  "db": [\n    { "meta": {}, "data": { "posts": [] } },\n  ]\n}\n'));
    assert.equal(err.where.line, 4);
  });

  it('names what is missing: db or data, posts', async () => {
    assert.match((await refused(write('nodb.json', '{"exports": []}'))).message, /neither "db" nor "data"/);
    assert.match((await refused(write('nodata.json', '{"db": [{"meta": {}}]}'))).message, /db\[0\]\.data is missing/);
    assert.match((await refused(write('noposts.json', '{"db": [{"meta": {}, "data": {"tags": []}}]}'))).message, /data\.posts is missing/);
    assert.match((await refused(write('empty.json', '  \n'))).message, /is empty/);
    assert.match(
      (await refused(write('badpost.json', '{"db": [{"data": {"posts": [{"id": "1", "title": "x"}]}}]}'))).message,
      /posts\[0\] has no slug/,
    );
  });

  it('says so when the file is not there', async () => {
    assert.match((await refused(join(scratch, 'nope.json'))).message, /There is no file/);
  });
});

describe('the reader’s helpers', () => {
  it('turns an offset into a line and a column', () => {
    assert.deepEqual(lineAndColumn('ab\ncd\ne', 4), { line: 2, column: 2 });
    assert.deepEqual(lineAndColumn('ab', 0), { line: 1, column: 1 });
  });

  it('reads Ghost dates in their several spellings', () => {
    assert.equal(ghostDate('2019-05-10 09:30:00'), '2019-05-10T09:30:00.000Z');
    assert.equal(ghostDate('2021-03-03T07:45:00.000Z'), '2021-03-03T07:45:00.000Z');
    assert.equal(ghostDate(1558000000000), '2019-05-16T09:46:40.000Z');
    assert.equal(ghostDate(null), null);
    assert.equal(ghostDate('soon'), null);
  });

  it('makes the site’s own addresses relative, and only where they are addresses', () => {
    const links = siteLinks('https://river-times.example');
    assert.equal(links.url('__GHOST_URL__/about/'), '/about/');
    assert.equal(links.url('__GHOST_URL__'), '/');
    assert.equal(links.url('http://river-times.example/x/?a=1'), '/x/?a=1');
    assert.equal(links.url('https://river-times.example'), '/');
    assert.equal(links.url('https://river-times.example.org/y'), 'https://river-times.example.org/y');
    assert.equal(
      links.html(
        '<p>Visit https://river-times.example today: <a href="https://river-times.example/x/">x</a> <img src=\'https://river-times.example/content/images/a.jpg\'></p>',
      ),
      '<p>Visit https://river-times.example today: <a href="/x/">x</a> <img src=\'/content/images/a.jpg\'></p>',
    );
    assert.equal(links.html('see [the list](https://river-times.example/list/)'), 'see [the list](/list/)');
    assert.deepEqual(
      links.json({
        markups: [['a', ['href', 'https://river-times.example/a/']]],
        cards: [['image', { src: '__GHOST_URL__/content/images/b.jpg', caption: '<a href="https://river-times.example/c/">c</a>' }]],
        text: 'https://river-times.example is our old home',
      }),
      {
        markups: [['a', ['href', '/a/']]],
        cards: [['image', { src: '/content/images/b.jpg', caption: '<a href="/c/">c</a>' }]],
        text: 'https://river-times.example is our old home',
      },
    );
  });

  it('keeps the path of a site that lived in a folder, in links and in old addresses', async () => {
    const links = siteLinks('https://school.example/paper/');
    assert.equal(links.basePath, '/paper');
    assert.equal(links.url('__GHOST_URL__/x/'), '/paper/x/');
    assert.equal(links.url('https://school.example/paper/x/'), '/paper/x/');
    const path = write(
      'folder.json',
      JSON.stringify({
        db: [
          {
            meta: {},
            data: {
              settings: [{ key: 'url', value: 'https://school.example/paper/' }],
              posts: [{ id: 'p1', title: 'In a folder', slug: 'in-a-folder', html: '<p>Hello.</p>', status: 'published', type: 'post' }],
              users: [{ id: 'u1', name: 'Ola', slug: 'ola' }],
            },
          },
        ],
      }),
    );
    const { posts, people } = byType((await readGhost(path)).items);
    assert.deepEqual(posts.get('in-a-folder')?.oldPaths, ['/paper/in-a-folder/']);
    assert.deepEqual(people.get('ola')?.oldPaths, ['/paper/author/ola/']);
  });

  it('maps only the site’s content/images addresses to files, never outside the folder', () => {
    assert.equal(contentImagePath('/content/images/2021/03/me.jpg', ''), '2021/03/me.jpg');
    assert.equal(
      contentImagePath('https://site.example/content/images/2021/03/me%20too.jpg?v=2', 'https://site.example'),
      '2021/03/me too.jpg',
    );
    assert.equal(contentImagePath('https://elsewhere.example/content/images/a.jpg', 'https://site.example'), null);
    assert.equal(contentImagePath('/content/images/../../secret.jpg', ''), null);
    assert.equal(contentImagePath('/wp-content/uploads/a.jpg', ''), null);
  });

  it('takes the original of a resized picture', async () => {
    const path = write(
      'sized.json',
      JSON.stringify({
        db: [
          {
            meta: {},
            data: {
              posts: [],
              users: [{ id: 'u1', name: 'Sized', slug: 'sized', profile_image: '__GHOST_URL__/content/images/size/w600/2021/03/theo.png' }],
            },
          },
        ],
      }),
    );
    const read = await readGhost(path, { contentDir: CONTENT });
    const person = byType(read.items).people.get('sized')!;
    assert.equal(person.photo?.file, join(CONTENT, 'images/2021/03/theo.png'));
  });
});

describe('finding where JSON goes wrong', () => {
  it('points at the character JSON.parse refused', async () => {
    const { jsonErrorAt } = await import('../../../src/modules/imports/ghost.js');
    assert.deepEqual(jsonErrorAt('[1,}'), { position: 3, problem: 'unexpected "}"' });
    assert.deepEqual(jsonErrorAt('{"a":tru}'), { position: 5, problem: 'unexpected "t"' });
    assert.deepEqual(jsonErrorAt('{"a":"x'), { position: 7, problem: 'the file ends inside a string' });
    assert.deepEqual(jsonErrorAt('{"a" 1}'), { position: 5, problem: 'expected ":" but found "1"' });
    assert.deepEqual(jsonErrorAt('{} x'), { position: 3, problem: 'unexpected "x" after the end of the document' });
    assert.equal(jsonErrorAt('{"a": [1, 2.5e3, true, null, "\\u00e9\\n"]}'), null);
  });
});
