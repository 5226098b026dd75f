// The WordPress reader on its own: every WXR version and both namespace forms,
// files that are not exports or are cut off (stopped with the line), and where
// a picture's address leads under --uploads.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  checkWxr,
  ImportFileError,
  openWordpress,
  UploadsDir,
  uploadsPathOf,
  type ImportItem,
} from '../../../src/modules/imports/index.js';

const work = mkdtempSync(join(tmpdir(), 'harbinger-wxr-'));
after(() => rmSync(work, { recursive: true, force: true }));
const SITE = resolve('test/fixtures/imports/wordpress/tidewater.xml');

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

async function itemsOf(path: string): Promise<ImportItem[]> {
  const opened = await openWordpress(path);
  const items: ImportItem[] = [];
  for await (const item of opened.items) items.push(item);
  return items;
}

async function refusal(path: string): Promise<ImportFileError> {
  try {
    await checkWxr(path);
  } catch (error) {
    assert.ok(error instanceof ImportFileError, String(error));
    return error;
  }
  assert.fail(`${path} was accepted`);
}

describe('the WordPress reader', () => {
  it('reads WXR 1.0 with https namespaces, categories without a domain and tags in the old "tag" domain', async () => {
    const path = file(
      'wxr10.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="https://purl.org/rss/1.0/modules/content/" xmlns:dc="https://purl.org/dc/elements/1.1/"
  xmlns:wp="https://wordpress.org/export/1.0/" xmlns:excerpt="https://wordpress.org/export/1.0/excerpt/">
<channel><title>Old paper</title><link>http://paper.example</link><wp:wxr_version>1.0</wp:wxr_version>
<item><title>First issue</title><link>http://paper.example/2009/05/first-issue/</link>
<dc:creator>editor</dc:creator>
<content:encoded><![CDATA[Welcome to the first issue.

A second paragraph.]]></content:encoded>
<excerpt:encoded><![CDATA[Hello]]></excerpt:encoded>
<wp:post_id>3</wp:post_id><wp:post_date>2009-05-01 10:00:00</wp:post_date><wp:post_date_gmt>2009-05-01 08:00:00</wp:post_date_gmt>
<wp:post_name>first-issue</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category><![CDATA[Front page]]></category>
<category domain="tag"><![CDATA[launch]]></category><category domain="tag" nicename="launch"><![CDATA[launch]]></category>
</item></channel></rss>`,
    );
    const index = await checkWxr(path);
    assert.equal(index.version, '1.0');
    assert.equal(index.siteUrl, 'http://paper.example');
    const items = await itemsOf(path);
    assert.deepEqual(
      items.map((i) => i.type),
      ['person', 'section', 'tag', 'post'],
    );
    const post = items.find((i) => i.type === 'post')!.post;
    assert.equal(post.title, 'First issue');
    assert.equal(post.dek, 'Hello');
    assert.equal(post.publishedAt, '2009-05-01T08:00:00.000Z');
    assert.equal(post.section?.slug, 'front-page');
    assert.deepEqual(
      post.tags.map((x) => x.slug),
      ['launch'],
    );
    assert.deepEqual(post.authorSourceIds, ['editor']);
    assert.deepEqual(post.oldPaths, ['/2009/05/first-issue/', '/?p=3']);
    assert.equal(post.doc.content?.length, 2);
  });

  it('counts the items of the export in the first pass', async () => {
    const index = await checkWxr(SITE);
    assert.equal(index.version, '1.2');
    assert.deepEqual(index.counts, { posts: 7, pages: 2, attachments: 2, comments: 2, authors: 2, categories: 3, tags: 3, skipped: 3 });
    assert.equal(index.total, 20);
    assert.equal((await itemsOf(SITE)).length, index.total);
  });

  it('refuses a file that is not a WordPress export', async () => {
    const atom = await refusal(file('atom.xml', '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'));
    assert.match(atom.message, /not a WordPress export \(WXR\): its root element is <feed>/);
    const rss = await refusal(
      file('rss.xml', '<rss version="2.0"><channel><title>Just a feed</title><item><title>a</title></item></channel></rss>'),
    );
    assert.match(rss.message, /no wp:wxr_version/);
    assert.match((await refusal(join(work, 'missing.xml'))).message, /There is no file/);
  });

  it('stops at a cut-off file, naming the line where it ends', async () => {
    const text = readFileSync(SITE, 'utf8');
    const cut = text.slice(0, text.indexOf('<wp:post_id>104</wp:post_id>') + 10);
    const lines = cut.split('\n').length;
    const error = await refusal(file('cut.xml', cut));
    assert.match(error.message, new RegExp(`ends at line ${lines} before the export is complete`));
    assert.match(error.message, /cut off/);
    assert.equal(error.where.line, lines);
  });

  it('stops at the first element that is not well-formed, with its line and column', async () => {
    const text = readFileSync(SITE, 'utf8').replace('<wp:post_id>103</wp:post_id>', '<wp:post_id>103</wp:postid>');
    const line = text.slice(0, text.indexOf('</wp:postid>')).split('\n').length;
    const error = await refusal(file('broken.xml', text));
    assert.match(
      error.message,
      new RegExp(`not well-formed XML at line ${line}, column \\d+ \\(in <rss > channel > item > wp:post_id>\\)`),
    );
    assert.equal(error.where.line, line);
  });

  it('finds a picture under --uploads by its address or by its sized copy, and never outside it', () => {
    const uploads = join(work, 'uploads');
    mkdirSync(join(uploads, '2019/04'), { recursive: true });
    writeFileSync(join(uploads, '2019/04/boat.jpg'), 'x');
    writeFileSync(join(uploads, '2019/04/only-300x200.jpg'), 'x');
    writeFileSync(join(work, 'secret.jpg'), 'x');
    const dir = new UploadsDir(uploads);
    assert.equal(uploadsPathOf('https://old.example/wp-content/uploads/2019/04/boat-300x200.jpg'), '2019/04/boat-300x200.jpg');
    assert.equal(dir.find('2019/04/boat-300x200.jpg'), join(uploads, '2019/04/boat.jpg'));
    assert.equal(dir.find('2019/04/only-300x200.jpg'), join(uploads, '2019/04/only-300x200.jpg'));
    assert.equal(dir.find('2019/04/none.jpg'), null);
    assert.equal(dir.find('../secret.jpg'), null);
    assert.equal(dir.find(uploadsPathOf('https://old.example/wp-content/uploads/%2e%2e/secret.jpg')), null);
    assert.equal(new UploadsDir(undefined).find('2019/04/boat.jpg'), null);
  });
});
