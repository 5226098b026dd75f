// `harbinger import ghost FILE.json`: reads a Ghost export (versions 2 to 6)
// into ImportItems. A Ghost export is one JSON document, so it is read whole
// (JSON.parse) and checked as a whole before any item is handed out: a
// malformed file or a missing part stops the import with where it failed and
// nothing written.
//
// What becomes what: users → people (name, slug, bio, location, profile
// picture; never passwords, tokens or emails shown); tags → a section (the
// first tag of a post, in posts_tags order) or tags, internal `#tags` skipped;
// posts and pages → articles and static pages, their body from `lexical`, else
// `mobiledoc`, else `html`; members (with `members: true`) → newsletter
// subscribers, confirmed only where the export says they subscribed.
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { RichNode } from '../../lib/rich-text.js';
import { slugify } from '../../lib/slug.js';
import { htmlToDoc, lexicalToDoc, mobiledocToDoc, type Converted } from './convert/index.js';
import {
  ImportFileError,
  type ImportedMember,
  type ImportedPerson,
  type ImportedPost,
  type ImportedTerm,
  type ImportItem,
  type ImportSource,
  type PictureRef,
} from './model.js';

export interface GhostOptions {
  /** A copy of the Ghost site's `content` folder: its `images` are the pictures. */
  contentDir?: string;
  /** Read the members too, as newsletter subscribers. */
  members?: boolean;
}

export interface GhostRead {
  source: ImportSource;
  items: ImportItem[];
  /** What the file holds, for progress and the report: posts, pages, users, tags, members... */
  totals: Record<string, number>;
}

const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,99}$/;

type Json = Record<string, unknown>;

// ---- reading and checking the file -------------------------------------------

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Where JSON text first goes wrong, and what is wrong there. JSON.parse says
 * only sometimes (Node 20 often quotes a snippet instead of a position), so a
 * file it refused is walked again here to find the spot.
 */
export function jsonErrorAt(text: string): { position: number; problem: string } | null {
  let i = 0;
  const MAX_DEPTH = 512;
  class Stop extends Error {
    constructor(
      readonly position: number,
      readonly problem: string,
    ) {
      super(problem);
    }
  }
  const describe = (at: number) => (at >= text.length ? 'the file ends too soon' : `unexpected ${JSON.stringify(text[at])}`);
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c)
      throw new Stop(i, i >= text.length ? 'the file ends too soon' : `expected ${JSON.stringify(c)} but found ${JSON.stringify(text[i])}`);
    i++;
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (i >= text.length) throw new Stop(i, 'the file ends inside a string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) throw new Stop(i, 'a line break or control character inside a string');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'a bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, 'a bad escape in a string');
      } else i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new Stop(i, 'nesting too deep');
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"')
          throw new Stop(i, i >= text.length ? 'the file ends too soon' : `expected a quoted name but found ${JSON.stringify(text[i])}`);
        string();
        space();
        expect(':');
        value(depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect('}');
        return;
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(']');
        return;
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) throw new Stop(i, describe(i));
    i += literal[0].length;
  };
  try {
    value(0);
    space();
    if (i < text.length) return { position: i, problem: `${describe(i)} after the end of the document` };
    return null;
  } catch (err) {
    if (err instanceof Stop) return { position: err.position, problem: err.problem };
    return null;
  }
}

/** JSON.parse, with its complaint turned into a line and column of the file. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const found = jsonErrorAt(text);
    const message = err instanceof Error ? err.message : String(err);
    const position = found?.position ?? Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const where = lineAndColumn(text, position);
    throw new ImportFileError(
      `${file} is not valid JSON: ${found?.problem ?? 'it cannot be read'} at line ${where.line}, column ${where.column}. ` +
        'A Ghost export is one JSON document (Ghost admin: Settings → Labs → Export your content); the file may be cut short or edited by hand.',
      where,
    );
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(file: string, element: string, problem: string): never {
  throw new ImportFileError(`${file} is not a Ghost export we can read: ${element} ${problem}`, { element });
}

/** The rows of one table of the export, checked to be objects with an id where `needsId`. */
function rows(data: Json, table: string, file: string, options: { required?: boolean; needsId?: boolean } = {}): Json[] {
  const value = data[table];
  const element = `db[0].data.${table}`;
  if (value === undefined || value === null) {
    if (options.required) fail(file, element, 'is missing (every Ghost export has it, even when empty).');
    return [];
  }
  if (!Array.isArray(value)) fail(file, element, 'should be a list.');
  value.forEach((row, i) => {
    if (!isObject(row)) fail(file, `${element}[${i}]`, 'should be an object.');
    if (options.needsId !== false && !isId(row.id)) fail(file, `${element}[${i}]`, 'has no id.');
  });
  return value as Json[];
}

function isId(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || typeof value === 'number';
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

interface Export {
  meta: Json;
  data: Json;
}

/** The export's one database: `{ db: [ { meta, data } ] }`, or `{ meta, data }` as versions 2 and 3 may write it. */
function exportOf(root: unknown, file: string): Export {
  if (!isObject(root)) fail(file, 'The file', 'should hold a JSON object ({"db": [...]}).');
  let db: Json;
  if ('db' in root) {
    if (!Array.isArray(root.db) || root.db.length === 0) fail(file, 'db', 'should be a list with the exported database in it.');
    const first: unknown = root.db[0];
    if (!isObject(first)) fail(file, 'db[0]', 'should be an object with meta and data.');
    db = first;
  } else if ('data' in root) {
    db = root;
  } else {
    fail(file, 'The file', 'has neither "db" nor "data" at the top: it does not look like a Ghost export.');
  }
  const data = db.data;
  if (!isObject(data)) fail(file, 'db[0].data', data === undefined ? 'is missing.' : 'should be an object of tables.');
  const meta = isObject(db.meta) ? db.meta : {};
  return { meta, data };
}

// ---- addresses and pictures --------------------------------------------------

/** The site's address (settings key 'url'), without a trailing slash; '' when the export does not say. */
function siteUrlOf(data: Json): string {
  const settings = Array.isArray(data.settings) ? (data.settings as unknown[]) : [];
  for (const s of settings) {
    if (isObject(s) && s.key === 'url') {
      const value = str(s.value).trim();
      if (/^https?:\/\//i.test(value)) return value.replace(/\/+$/, '');
    }
  }
  return '';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SiteLinks {
  /** The old site's path below its host ('' at the root; '/blog' for a site at example.org/blog). */
  basePath: string;
  /** One address: `__GHOST_URL__/x` and `https://site/x` become `/x` (with the base path kept). */
  url(value: string): string;
  /** HTML (or Markdown): the same, only where an address stands (href, src, a Markdown link), never in the words. */
  html(value: string): string;
  /** A lexical or mobiledoc document: the addresses in it (src, url, href, a markup's href, an HTML card's links). */
  json(value: unknown): unknown;
}

const URL_KEYS = new Set(['src', 'url', 'href', 'thumbnail', 'thumbnailUrl', 'image', 'icon']);
const HTML_KEYS = new Set(['html', 'caption', 'markdown', 'cardCaption']);
const URL_ATTRS = new Set(['href', 'src']);

/**
 * Makes the site's own addresses site-relative, so pictures and figures agree
 * and links to old posts land on their redirects: Ghost 4+ writes the site's
 * address as `__GHOST_URL__` (always an address, so it is replaced wherever it
 * is); the site's absolute address is replaced only where it stands as an
 * address, so a sentence that names the site keeps its words.
 */
export function siteLinks(siteUrl: string): SiteLinks {
  let origin: RegExp | null = null;
  let basePath = '';
  if (siteUrl) {
    try {
      const u = new URL(siteUrl);
      basePath = u.pathname.replace(/\/+$/, '');
      origin = new RegExp(`^https?://${escapeRegExp(u.host)}(?=[/?#]|$)`, 'i');
    } catch {
      origin = null;
    }
  }
  const placeholder = (text: string) =>
    text.includes('__GHOST_URL__') ? text.replace(/__GHOST_URL__(?=\/)/g, basePath).replace(/__GHOST_URL__/g, `${basePath}/`) : text;
  const url = (value: string): string => {
    const out = placeholder(value.trim());
    if (!origin || !origin.test(out)) return out;
    const rest = out.replace(origin, '');
    return rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}`;
  };
  const html = (value: string): string => {
    let out = placeholder(value);
    if (!origin) return out;
    out = out.replace(
      /(\b(?:href|src)\s*=\s*)(["'])([^"']*)\2/gi,
      (_m, attr: string, quote: string, address: string) => `${attr}${quote}${url(address)}${quote}`,
    );
    return out.replace(/(\]\()([^)\s]+)/g, (_m, open: string, address: string) => `${open}${url(address)}`);
  };
  const json = (value: unknown, key = ''): unknown => {
    if (typeof value === 'string') return URL_KEYS.has(key) ? url(value) : HTML_KEYS.has(key) ? html(value) : placeholder(value);
    if (Array.isArray(value)) {
      return value.map((v, i) => (typeof v === 'string' && i > 0 && URL_ATTRS.has(String(value[i - 1])) ? url(v) : json(v, key)));
    }
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, json(v, k)]));
    return value;
  };
  return { basePath, url, html, json: (value) => json(value) };
}

/** The relative path under `content/images/` of a picture's address, or null when it is not one of the site's. */
export function contentImagePath(url: string, siteUrl: string): string | null {
  let path: string;
  if (url.startsWith('/')) {
    path = url;
  } else {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (siteUrl) {
      try {
        if (parsed.host.toLowerCase() !== new URL(siteUrl).host.toLowerCase()) return null;
      } catch {
        return null;
      }
    }
    path = parsed.pathname;
  }
  path = path.split(/[?#]/)[0]!;
  const at = path.indexOf('/content/images/');
  if (at === -1) return null;
  let rest: string;
  try {
    rest = decodeURIComponent(path.slice(at + '/content/images/'.length));
  } catch {
    return null;
  }
  if (rest === '' || rest.split('/').some((part) => part === '..' || part === '.' || part === '')) return null;
  return rest;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Finds pictures' files under `--content DIR/images`, remembering answers (one picture is often used twice). */
class PictureFinder {
  private readonly seen = new Map<string, string | null>();
  private readonly root: string | null;

  constructor(
    contentDir: string | undefined,
    private readonly siteUrl: string,
  ) {
    this.root = contentDir ? resolve(contentDir, 'images') : null;
  }

  async file(url: string): Promise<string | null> {
    if (!this.root) return null;
    const known = this.seen.get(url);
    if (known !== undefined) return known;
    const found = await this.lookUp(url);
    this.seen.set(url, found);
    return found;
  }

  private async lookUp(url: string): Promise<string | null> {
    const rel = contentImagePath(url, this.siteUrl);
    if (!rel || !this.root) return null;
    const candidates = [rel];
    // Ghost's resized copies (content/images/size/w600/2021/03/a.jpg): the original is better.
    const sized = /^size\/w\d+(?:h\d+)?\/(?:format\/[a-z]+\/)?(.+)$/.exec(rel);
    if (sized) candidates.unshift(sized[1]!);
    for (const candidate of candidates) {
      const full = resolve(this.root, candidate);
      if (!full.startsWith(this.root + sep)) continue;
      if (await isFile(full)) return full;
    }
    return null;
  }

  async ref(url: string, alt: string, caption: string): Promise<PictureRef> {
    return { url, file: await this.file(url), alt, caption };
  }
}

/** A caption as plain text (Ghost stores it as HTML). */
export function plainCaption(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- dates, states, access ---------------------------------------------------

/** A Ghost date as UTC ISO-8601: exports write '2021-03-04T10:00:00.000Z', older ones '2019-04-12 10:00:00' (UTC). */
export function ghostDate(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  const text = str(value).trim();
  if (!text) return null;
  const iso = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function statusOf(post: Json): { status: ImportedPost['status']; note: string } {
  switch (str(post.status)) {
    case 'published':
      return { status: 'published', note: '' };
    case 'scheduled':
      return { status: 'scheduled', note: '' };
    case 'sent':
      return { status: 'draft', note: 'This was sent by email only in Ghost, never published on the site.' };
    default:
      return { status: 'draft', note: '' };
  }
}

function accessOf(post: Json): { access: ImportedPost['access']; note: string } {
  const visibility = str(post.visibility) || 'public';
  if (visibility === 'public') return { access: 'free', note: '' };
  const who =
    visibility === 'members' ? 'members' : visibility === 'paid' ? 'paying members' : visibility === 'tiers' ? 'some tiers' : visibility;
  return { access: 'registered', note: `This was for ${who} only in Ghost; here it is for registered readers.` };
}

// ---- bodies ------------------------------------------------------------------

function nonEmpty(value: unknown): value is string | Json {
  if (typeof value === 'string') return value.trim() !== '';
  return isObject(value);
}

/** The post's body: lexical, else mobiledoc, else html; a format that fails to convert falls through to the next. */
function convertBody(post: Json, links: SiteLinks, file: string, element: string): Converted & { from: string } {
  const tried: string[] = [];
  const documentOf = (value: string | Json): string | Json => {
    if (typeof value !== 'string') return links.json(value) as Json;
    try {
      return links.json(JSON.parse(value)) as Json;
    } catch {
      return value; // the converter says what is wrong with it
    }
  };
  const attempts: [string, unknown, (v: string | Json) => Converted][] = [
    ['lexical', post.lexical, (v) => lexicalToDoc(documentOf(v))],
    ['mobiledoc', post.mobiledoc, (v) => mobiledocToDoc(documentOf(v))],
    ['html', post.html, (v) => htmlToDoc(links.html(typeof v === 'string' ? v : ''))],
  ];
  for (const [name, value, convert] of attempts) {
    if (!nonEmpty(value)) continue;
    try {
      const converted = convert(value);
      if ((converted.doc.content ?? []).length === 0 && name !== 'html' && nonEmpty(post.html)) {
        tried.push(`The ${name} body gave no text; the html copy was used.`);
        continue;
      }
      const warnings = tried.length ? [...tried, ...converted.warnings] : converted.warnings;
      return { ...converted, warnings, from: name };
    } catch (err) {
      tried.push(`The ${name} body could not be read (${err instanceof Error ? err.message : String(err)}); the next format was used.`);
    }
  }
  if (tried.length) fail(file, element, `has a body that cannot be read in any format: ${tried.join(' ')}`);
  return { doc: { type: 'doc', content: [] }, pictures: [], warnings: [], from: 'none' };
}

function walk(node: RichNode, visit: (n: RichNode) => void): void {
  visit(node);
  for (const child of node.content ?? []) walk(child, visit);
}

// ---- the reader ----------------------------------------------------------------

/**
 * Reads and checks a whole Ghost export; the items come out in the order the
 * engine writes them: people, sections, tags, posts and pages, members, and what
 * was skipped. Throws ImportFileError (with the line and column, or the element)
 * when the file cannot be read, before any item exists.
 */
export async function readGhost(path: string, options: GhostOptions = {}): Promise<GhostRead> {
  const file = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportFileError(code === 'ENOENT' ? `There is no file ${path}.` : `${path} cannot be read (${code ?? String(err)}).`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new ImportFileError(`${file} is empty: a Ghost export is a JSON document.`, { line: 1, column: 1 });
  const { meta, data } = exportOf(parseJson(text, file), file);

  const posts = rows(data, 'posts', file, { required: true });
  const tags = rows(data, 'tags', file);
  const users = rows(data, 'users', file);
  const postsTags = rows(data, 'posts_tags', file, { needsId: false });
  const postsAuthors = rows(data, 'posts_authors', file, { needsId: false });
  const postsMeta = rows(data, 'posts_meta', file, { needsId: false });
  const members = options.members ? rows(data, 'members', file) : [];
  const membersNewsletters = options.members ? rows(data, 'members_newsletters', file, { needsId: false }) : [];

  posts.forEach((p, i) => {
    if (typeof p.title !== 'string' && p.title !== null && p.title !== undefined)
      fail(file, `db[0].data.posts[${i}].title`, 'should be text.');
    if (!str(p.slug)) fail(file, `db[0].data.posts[${i}]`, 'has no slug.');
  });
  users.forEach((u, i) => {
    if (!str(u.slug) && !str(u.name)) fail(file, `db[0].data.users[${i}]`, 'has neither a name nor a slug.');
  });
  tags.forEach((t, i) => {
    if (!str(t.slug) && !str(t.name)) fail(file, `db[0].data.tags[${i}]`, 'has neither a name nor a slug.');
  });

  const siteUrl = siteUrlOf(data);
  const links = siteLinks(siteUrl);
  const pictures = new PictureFinder(options.contentDir, siteUrl);
  const exportedOn = ghostDate(meta.exported_on);
  const skipped: ImportItem[] = [];

  // Tags: internal ones (#name, visibility 'internal') are Ghost's own labels, not the readers'.
  const tagById = new Map<string, Json>();
  for (const t of tags) {
    const id = str(t.id);
    if (str(t.name).startsWith('#') || t.visibility === 'internal') {
      skipped.push({
        type: 'skipped',
        kind: 'tag',
        sourceId: id,
        reason: `Internal tag “${str(t.name)}”: Ghost’s own label, not shown to readers.`,
      });
      continue;
    }
    tagById.set(id, t);
  }

  // Each post's tags and authors, in their sort order.
  const byPost = <T>(list: Json[], key: string, pick: (row: Json) => T): Map<string, T[]> => {
    const grouped = new Map<string, { order: number; index: number; value: T }[]>();
    list.forEach((row, index) => {
      const postId = str(row.post_id);
      if (!postId || !isId(row[key])) return;
      const order = typeof row.sort_order === 'number' ? row.sort_order : Number(row.sort_order ?? 0) || 0;
      const entry = grouped.get(postId) ?? [];
      entry.push({ order, index, value: pick(row) });
      grouped.set(postId, entry);
    });
    const out = new Map<string, T[]>();
    for (const [postId, entries] of grouped)
      out.set(
        postId,
        entries.sort((a, b) => a.order - b.order || a.index - b.index).map((e) => e.value),
      );
    return out;
  };
  const tagsOfPost = byPost(postsTags, 'tag_id', (r) => str(r.tag_id));
  const authorsOfPost = byPost(postsAuthors, 'author_id', (r) => str(r.author_id));
  const metaOfPost = new Map(postsMeta.filter((m) => isId(m.post_id)).map((m) => [str(m.post_id), m]));

  // Which tags lead a post (a section) and which follow (a tag).
  const primary = new Set<string>();
  const secondary = new Set<string>();
  for (const p of posts) {
    const list = (tagsOfPost.get(str(p.id)) ?? []).filter((id) => tagById.has(id));
    list.forEach((id, i) => (i === 0 && !isPage(p) ? primary : secondary).add(id));
  }
  const termOf = (t: Json, withOldPath: boolean): ImportedTerm => {
    const name = str(t.name).trim() || str(t.slug);
    const given = str(t.slug);
    const term: ImportedTerm = {
      sourceId: str(t.id),
      slug: SLUG_RE.test(given) ? given : slugify(given || name, 'tag'),
      name,
      oldPaths: withOldPath && given ? [`${links.basePath}/tag/${given}/`] : [],
    };
    const description = str(t.description).trim();
    if (description) term.description = description;
    return term;
  };
  const sections = new Map<string, ImportedTerm>();
  const tagTerms = new Map<string, ImportedTerm>();
  for (const [id, t] of tagById) {
    if (primary.has(id)) sections.set(id, termOf(t, true));
    if (secondary.has(id) || !primary.has(id)) tagTerms.set(id, termOf(t, !primary.has(id)));
  }

  // Users → people.
  const people: ImportedPerson[] = [];
  const userIds = new Set<string>();
  for (const u of users) {
    const id = str(u.id);
    userIds.add(id);
    const given = str(u.slug);
    const name = str(u.name).trim() || given;
    const image = str(u.profile_image).trim();
    const photoUrl = image ? links.url(image) : '';
    const person: ImportedPerson = {
      sourceId: id,
      name,
      slug: SLUG_RE.test(given) ? given : slugify(given || name, 'person'),
      bio: str(u.bio).trim(),
      location: str(u.location).trim(),
      photo: photoUrl ? await pictures.ref(photoUrl, name, '') : null,
      oldPaths: given ? [`${links.basePath}/author/${given}/`] : [],
    };
    const email = str(u.email).trim();
    if (email) person.email = email;
    people.push(person);
  }

  // Posts and pages.
  const converted: ImportedPost[] = [];
  const counts = { posts: 0, pages: 0 };
  for (const [i, p] of posts.entries()) {
    const id = str(p.id);
    const element = `db[0].data.posts[${i}]`;
    const page = isPage(p);
    const body = convertBody(p, links, file, element);
    const warnings = [...body.warnings];
    const refs = new Map<string, PictureRef>();
    for (const pic of body.pictures) {
      if (!refs.has(pic.url)) refs.set(pic.url, await pictures.ref(pic.url, pic.alt, pic.caption));
    }
    // A figure the converter made without listing it still gets its picture looked up.
    const figureSrcs: string[] = [];
    walk(body.doc, (n) => {
      if (n.type === 'figure' && typeof n.attrs?.src === 'string') figureSrcs.push(n.attrs.src);
    });
    for (const src of figureSrcs) if (!refs.has(src)) refs.set(src, await pictures.ref(src, '', ''));
    for (const ref of refs.values()) {
      if (options.contentDir && !ref.file) warnings.push(`Picture not found under ${options.contentDir}: ${ref.url}`);
    }

    const postMeta = metaOfPost.get(id);
    const featureImage = str(p.feature_image).trim();
    let hero: PictureRef | null = null;
    if (featureImage) {
      const url = links.url(featureImage);
      const alt = str(postMeta?.feature_image_alt ?? p.feature_image_alt).trim();
      const caption = plainCaption(str(postMeta?.feature_image_caption ?? p.feature_image_caption));
      hero = await pictures.ref(url, alt, caption);
      if (options.contentDir && !hero.file) warnings.push(`Feature picture not found under ${options.contentDir}: ${url}`);
    }

    let authorIds = authorsOfPost.get(id) ?? [];
    if (authorIds.length === 0 && isId(p.author_id)) authorIds = [str(p.author_id)];
    const missingAuthors = authorIds.filter((a) => !userIds.has(a));
    if (missingAuthors.length) warnings.push(`Author ${missingAuthors.join(', ')} is not among the export's users; left off the byline.`);
    authorIds = [...new Set(authorIds.filter((a) => userIds.has(a)))];

    const tagIds = (tagsOfPost.get(id) ?? []).filter((t) => tagById.has(t));
    const sectionId = page ? undefined : tagIds[0];
    const section = sectionId ? (sections.get(sectionId) ?? null) : null;
    const postTags = tagIds
      .filter((t) => t !== sectionId)
      .map((t) => tagTerms.get(t))
      .filter((t): t is ImportedTerm => t !== undefined);

    const state = statusOf(p);
    const access = accessOf(p);
    const given = str(p.slug);
    const title = str(p.title).trim() || '(Untitled)';
    const publishedAt = ghostDate(p.published_at);
    if (state.status === 'scheduled' && !publishedAt) fail(file, element, 'is scheduled but has no published_at.');

    converted.push({
      kind: page ? 'page' : 'article',
      sourceId: id,
      title,
      slug: SLUG_RE.test(given) ? given : slugify(title, page ? 'page' : 'article'),
      dek: str(p.custom_excerpt).trim(),
      doc: body.doc,
      pictures: [...refs.values()],
      authorSourceIds: authorIds,
      section,
      tags: postTags,
      status: state.status,
      publishedAt: state.status === 'draft' ? null : publishedAt,
      featured: truthy(p.featured),
      access: access.access,
      hero,
      oldPaths: given ? [`${links.basePath}/${given}/`] : [],
      note: [state.note, access.note].filter(Boolean).join(' '),
      warnings,
    });
    counts[page ? 'pages' : 'posts']++;
  }

  // Members → subscribers (only with --members).
  const memberItems: ImportedMember[] = [];
  let memberCount = 0;
  if (options.members) {
    const subscribedIds = new Set(membersNewsletters.map((r) => str(r.member_id)).filter(Boolean));
    const today = new Date().toISOString().slice(0, 10);
    const consent =
      `Subscribed on the Ghost site${siteUrl ? ` ${siteUrl}` : ''}; imported from the export ${file}` +
      `${exportedOn ? ` of ${exportedOn.slice(0, 10)}` : ''} on ${today}.`;
    for (const m of members) {
      const id = str(m.id);
      const email = str(m.email).trim();
      // Ghost 5+ lists each member's newsletters in members_newsletters; Ghost 4 has a subscribed flag.
      const subscribed = subscribedIds.has(id) || truthy(m.subscribed);
      const reason = !email
        ? 'No email address in the export.'
        : truthy(m.email_disabled)
          ? 'Ghost had stopped emailing this address (bounces or a spam complaint).'
          : !subscribed
            ? 'Not subscribed to any newsletter in the export.'
            : null;
      if (reason) {
        skipped.push({ type: 'skipped', kind: 'subscriber', sourceId: id, reason });
        continue;
      }
      memberItems.push({
        sourceId: id,
        email,
        name: str(m.name).trim(),
        subscribed: true,
        createdAt: ghostDate(m.created_at) ?? '',
        consent,
      });
    }
    memberCount = members.length;
  }

  const items: ImportItem[] = [
    ...people.map((person): ImportItem => ({ type: 'person', person })),
    ...[...sections.values()].map((term): ImportItem => ({ type: 'section', term })),
    ...[...tagTerms.values()].map((term): ImportItem => ({ type: 'tag', term })),
    ...converted.map((post): ImportItem => ({ type: 'post', post })),
    ...memberItems.map((member): ImportItem => ({ type: 'member', member })),
    ...skipped,
  ];
  const totals: Record<string, number> = {
    posts: counts.posts,
    pages: counts.pages,
    people: people.length,
    sections: sections.size,
    tags: tagTerms.size,
    skipped: skipped.length,
  };
  if (options.members) totals.members = memberCount;
  // Ghost 5's comments are counted for the report, not imported.
  if (Array.isArray(data.comments) && data.comments.length > 0) totals.comments = data.comments.length;
  return { source: { format: 'ghost', siteUrl }, items, totals };
}

function isPage(post: Json): boolean {
  return post.type === 'page' || truthy(post.page);
}

/** Where the file's pictures would be for a given address (for messages and tests). */
export function contentFileFor(contentDir: string, url: string, siteUrl = ''): string | null {
  const rel = contentImagePath(url, siteUrl);
  return rel ? join(contentDir, 'images', rel) : null;
}
