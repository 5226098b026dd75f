// The WordPress reader: a WordPress eXtended RSS export (WXR 1.0, 1.1, 1.2) read
// as a stream with sax, so a file of several hundred megabytes is never held
// whole. `checkWxr` is the first pass: it reads the whole file, stops at the
// first error with its line and column, and counts what is there (and indexes
// the attachments, which a post may name before they appear). `readWordpress`
// is the second pass: it turns the file into ImportItems one at a time.
import { createReadStream, statSync } from 'node:fs';
import { resolve, sep, basename } from 'node:path';
import sax from 'sax';
import { slugify } from '../../lib/slug.js';
import { wordpressToDoc } from './convert/index.js';
import {
  ImportFileError,
  type ImportItem,
  type ImportSource,
  type ImportedPerson,
  type ImportedPost,
  type ImportedStatus,
  type ImportedTerm,
  type PictureRef,
} from './model.js';

// ---------------------------------------------------------------------------
// Streaming the file into small trees, one per element of the channel.

/** An element of the export, with its text (text and CDATA directly inside it) and its children. */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XNode[];
}

/** Namespaces by the prefix the reader uses, whatever prefix the file declares (http and https forms, every WXR version). */
function prefixOf(uri: string): string | null {
  if (uri === '') return '';
  if (/^https?:\/\/wordpress\.org\/export\/1\.\d+\/excerpt\/?$/.test(uri)) return 'excerpt';
  if (/^https?:\/\/wordpress\.org\/export\/1\.\d+\/?$/.test(uri)) return 'wp';
  if (/^https?:\/\/purl\.org\/rss\/1\.0\/modules\/content\/?$/.test(uri)) return 'content';
  if (/^https?:\/\/purl\.org\/dc\/elements\/1\.1\/?$/.test(uri)) return 'dc';
  return null;
}

function qualifiedName(tag: sax.QualifiedTag): string {
  const prefix = prefixOf(tag.uri);
  if (prefix === null) return `{${tag.uri}}${tag.local}`;
  return prefix === '' ? tag.local : `${prefix}:${tag.local}`;
}

export interface ChannelElement {
  node: XNode;
  /** The line the element ended on (1-based). */
  line: number;
}

const CHUNK = 64 * 1024;

/**
 * The elements directly inside <channel>, each as a small tree, in file order.
 * Throws ImportFileError (with line, column and the element being read) on
 * anything that is not well-formed, or when the root is not <rss><channel>.
 */
export async function* channelElements(path: string, onRead?: (bytes: number) => void): AsyncGenerator<ChannelElement> {
  const parser = sax.parser(true, { xmlns: true, trim: false, normalize: false, position: true });
  const ready: ChannelElement[] = [];
  const stack: XNode[] = [];
  // The first error sax reports (it may report more after it).
  const failures: ImportFileError[] = [];
  let sawChannel = false;
  let rootClosed = false;

  const where = () => ({
    line: parser.line + 1,
    column: parser.column + 1,
    element: stack.map((n) => n.name).join(' > ') || undefined,
  });
  const fail = (message: string) => {
    if (failures.length === 0) failures.push(new ImportFileError(message, where()));
  };

  parser.onerror = (error) => {
    const first = error.message.split('\n')[0] ?? 'not well-formed XML';
    const w = where();
    fail(`The file is not well-formed XML at line ${w.line}, column ${w.column}${w.element ? ` (in <${w.element}>)` : ''}: ${first}.`);
  };
  parser.onopentag = (tag) => {
    const t = tag as sax.QualifiedTag;
    const attrs: Record<string, string> = {};
    for (const [key, attr] of Object.entries(t.attributes)) attrs[attr.local || key] = attr.value;
    const node: XNode = { name: qualifiedName(t), attrs, text: '', children: [] };
    if (stack.length === 0 && node.name !== 'rss')
      fail(`This is not a WordPress export (WXR): its root element is <${t.name}>, not <rss>.`);
    if (stack.length === 1) {
      if (node.name !== 'channel') fail(`This is not a WordPress export (WXR): <rss> holds <${t.name}> where <channel> should be.`);
      sawChannel = true;
    }
    // Only what is inside the channel's children is kept; <rss> and <channel> themselves stay empty.
    if (stack.length >= 3) stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  };
  parser.onclosetag = () => {
    const node = stack.pop()!;
    if (stack.length === 2) ready.push({ node, line: parser.line + 1 });
    if (stack.length === 0) rootClosed = true;
  };
  const onText = (text: string) => {
    if (stack.length >= 3) stack[stack.length - 1]!.text += text;
  };
  parser.ontext = onText;
  parser.oncdata = onText;

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      try {
        parser.write(chunk);
      } catch {
        // onerror has recorded it.
      }
      if (failures[0]) throw failures[0];
      onRead?.(stream.bytesRead);
      while (ready.length > 0) yield ready.shift()!;
    }
    try {
      parser.close();
    } catch {
      // onerror has recorded it.
    }
  } finally {
    stream.destroy();
  }
  const f = failures[0];
  if (f) {
    if (/Unclosed root tag|Unexpected end/i.test(f.message) || !rootClosed)
      throw new ImportFileError(
        `The file ends at line ${f.where.line ?? parser.line + 1} before the export is complete${
          f.where.element ? ` (inside <${f.where.element}>)` : ''
        }: it may have been cut off. Export it again.`,
        f.where,
      );
    throw f;
  }
  while (ready.length > 0) yield ready.shift()!;
  if (!sawChannel) throw new ImportFileError('This is not a WordPress export (WXR): there is no <channel>.', { line: parser.line + 1 });
  if (!rootClosed)
    throw new ImportFileError(
      `The file ends at line ${parser.line + 1} before the export is complete: it may have been cut off. Export it again.`,
      { line: parser.line + 1 },
    );
}

const childOf = (node: XNode, name: string) => node.children.find((c) => c.name === name);
const textOf = (node: XNode, name: string) => childOf(node, name)?.text.trim() ?? '';
const rawTextOf = (node: XNode, name: string) => childOf(node, name)?.text ?? '';
const childrenOf = (node: XNode, name: string) => node.children.filter((c) => c.name === name);

function metaOf(item: XNode): Map<string, string> {
  const meta = new Map<string, string>();
  for (const m of childrenOf(item, 'wp:postmeta')) {
    const key = textOf(m, 'wp:meta_key');
    if (key && !meta.has(key)) meta.set(key, rawTextOf(m, 'wp:meta_value').trim());
  }
  return meta;
}

// ---------------------------------------------------------------------------
// The first pass.

export interface AttachmentInfo {
  url: string;
  /** `_wp_attached_file`: its path under wp-content/uploads. */
  attachedFile: string;
  alt: string;
  caption: string;
  title: string;
}

interface PostTerms {
  categories: { slug: string; name: string }[];
  tags: { slug: string; name: string }[];
  authorLogins: string[];
}

export interface WxrIndex {
  version: string;
  title: string;
  siteUrl: string;
  /** The old site's host names (links to these are the site's own). */
  hosts: Set<string>;
  counts: {
    posts: number;
    pages: number;
    attachments: number;
    comments: number;
    authors: number;
    categories: number;
    tags: number;
    /** Items of other types (menus, revisions, custom types), and trashed posts and auto-drafts. */
    skipped: number;
  };
  /** The number of ImportItems the second pass yields (for progress). */
  total: number;
  attachments: Map<string, AttachmentInfo>;
  /** Attachment ids by the path of their file under uploads (for pictures in bodies). */
  attachmentsByFile: Map<string, string>;
  /** Categories that are some imported post's first category: they become sections. */
  sectionSlugs: Set<string>;
  /** Categories (after the first) and tags that imported posts use: they become tags. */
  tagSlugs: Set<string>;
}

const IMPORTED_STATUSES = new Set(['publish', 'future', 'draft', 'pending', 'private']);

function termsOf(item: XNode): PostTerms {
  const categories: PostTerms['categories'] = [];
  const tags: PostTerms['tags'] = [];
  const authorLogins: string[] = [];
  const bare: string[] = [];
  for (const c of childrenOf(item, 'category')) {
    const name = c.text.trim();
    const domain = c.attrs.domain ?? '';
    const nicename = decodeSlug(c.attrs.nicename ?? '');
    if (domain === 'category') {
      if (!categories.some((x) => x.slug === (nicename || slugify(name, 'category'))))
        categories.push({ slug: nicename || slugify(name, 'category'), name: name || nicename });
    } else if (domain === 'post_tag' || domain === 'tag') {
      // WXR 1.0 lists each tag twice, with and without its nicename.
      const slug = nicename || slugify(name, 'tag');
      if (!tags.some((x) => x.slug === slug)) tags.push({ slug, name: name || nicename });
    } else if (domain === 'author') {
      // Co-Authors Plus: the byline's other authors, as terms named cap-<login>.
      const login = (c.attrs.nicename ?? '').replace(/^cap-/, '');
      if (login) authorLogins.push(login);
    } else if (domain === '' && name) bare.push(name);
  }
  // WXR 1.0 also lists categories without a domain.
  if (categories.length === 0) for (const name of bare) categories.push({ slug: slugify(name, 'category'), name });
  return { categories, tags, authorLogins };
}

function decodeSlug(value: string): string {
  try {
    return decodeURIComponent(value.trim());
  } catch {
    return value.trim();
  }
}

function hostsOf(...urls: string[]): Set<string> {
  const hosts = new Set<string>();
  for (const url of urls) {
    try {
      if (url) hosts.add(new URL(url).host.toLowerCase());
    } catch {
      // not an address
    }
  }
  return hosts;
}

/** The first pass: checks the whole file and counts what it holds, before anything is written. */
export async function checkWxr(path: string, onRead?: (bytes: number, total: number) => void): Promise<WxrIndex> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ImportFileError(`There is no file at ${path}.`);
  }
  const index: WxrIndex = {
    version: '',
    title: '',
    siteUrl: '',
    hosts: new Set(),
    counts: { posts: 0, pages: 0, attachments: 0, comments: 0, authors: 0, categories: 0, tags: 0, skipped: 0 },
    total: 0,
    attachments: new Map(),
    attachmentsByFile: new Map(),
    sectionSlugs: new Set(),
    tagSlugs: new Set(),
  };
  const channel = { link: '', baseSite: '', baseBlog: '' };
  const authors = new Set<string>();
  let usedWpNamespace = false;
  for await (const { node } of channelElements(path, onRead && ((bytes) => onRead(bytes, size)))) {
    if (node.name.startsWith('wp:')) usedWpNamespace = true;
    switch (node.name) {
      case 'title':
        index.title = node.text.trim();
        break;
      case 'link':
        channel.link = node.text.trim();
        break;
      case 'wp:wxr_version':
        index.version = node.text.trim();
        break;
      case 'wp:base_site_url':
        channel.baseSite = node.text.trim();
        break;
      case 'wp:base_blog_url':
        channel.baseBlog = node.text.trim();
        break;
      case 'item': {
        const type = textOf(node, 'wp:post_type');
        const status = textOf(node, 'wp:status');
        index.counts.comments += childrenOf(node, 'wp:comment').length;
        if (type === 'attachment') {
          index.counts.attachments += 1;
          const id = textOf(node, 'wp:post_id');
          const meta = metaOf(node);
          const info: AttachmentInfo = {
            url: textOf(node, 'wp:attachment_url') || textOf(node, 'guid'),
            attachedFile: meta.get('_wp_attached_file') ?? '',
            alt: meta.get('_wp_attachment_image_alt') ?? '',
            caption: textOf(node, 'excerpt:encoded'),
            title: textOf(node, 'title'),
          };
          index.attachments.set(id, info);
          const file = info.attachedFile || uploadsPathOf(info.url);
          if (file) index.attachmentsByFile.set(file, id);
        } else if ((type === 'post' || type === 'page') && IMPORTED_STATUSES.has(status)) {
          if (type === 'post') {
            index.counts.posts += 1;
            const terms = termsOf(node);
            const [first, ...rest] = terms.categories;
            if (first) index.sectionSlugs.add(first.slug);
            for (const c of rest) index.tagSlugs.add(`category:${c.slug}`);
            for (const t of terms.tags) index.tagSlugs.add(`post_tag:${t.slug}`);
            for (const login of [textOf(node, 'dc:creator'), ...terms.authorLogins]) if (login) authors.add(login.toLowerCase());
          } else index.counts.pages += 1;
        } else index.counts.skipped += 1;
        break;
      }
      default:
        break;
    }
  }
  if (!usedWpNamespace || !index.version)
    throw new ImportFileError(
      'This RSS file is not a WordPress export (WXR): it has no wp:wxr_version. In WordPress, use Tools → Export → All content.',
    );
  index.siteUrl = (channel.baseBlog || channel.link || channel.baseSite).replace(/\/+$/, '');
  index.hosts = hostsOf(channel.link, channel.baseSite, channel.baseBlog);
  index.counts.authors = authors.size;
  index.counts.categories = index.sectionSlugs.size + [...index.tagSlugs].filter((s) => s.startsWith('category:')).length;
  index.counts.tags = [...index.tagSlugs].filter((s) => s.startsWith('post_tag:')).length;
  index.total =
    index.counts.authors + index.sectionSlugs.size + index.tagSlugs.size + index.counts.posts + index.counts.pages + index.counts.skipped;
  return index;
}

// ---------------------------------------------------------------------------
// Pictures: an address of the old site, or an attachment's file, to a file under --uploads.

/** The part of a picture's address after /wp-content/uploads/ (decoded), or '' when it is not there. */
export function uploadsPathOf(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return '';
  }
  const at = pathname.indexOf('/wp-content/uploads/');
  if (at < 0) return '';
  try {
    return decodeURIComponent(pathname.slice(at + '/wp-content/uploads/'.length));
  } catch {
    return '';
  }
}

/** A size WordPress made of a picture: a-300x200.jpg is a.jpg at 300 × 200. */
const SIZED = /-\d+x\d+(\.[a-z0-9]+)$/i;

export class UploadsDir {
  private readonly root: string | null;
  private readonly known = new Map<string, boolean>();

  constructor(dir: string | undefined) {
    this.root = dir ? resolve(dir) : null;
  }

  private exists(relative: string): string | null {
    if (!this.root || relative === '') return null;
    const full = resolve(this.root, relative);
    // A path that climbs out of the uploads directory is never read.
    if (!full.startsWith(this.root + sep)) return null;
    let found = this.known.get(full);
    if (found === undefined) {
      try {
        found = statSync(full).isFile();
      } catch {
        found = false;
      }
      if (this.known.size < 100_000) this.known.set(full, found);
    }
    return found ? full : null;
  }

  /** The file for a path under uploads: the original of a sized copy when the original is there. */
  find(relative: string): string | null {
    if (SIZED.test(relative)) {
      const original = this.exists(relative.replace(SIZED, '$1'));
      if (original) return original;
    }
    return this.exists(relative);
  }
}

// ---------------------------------------------------------------------------
// The second pass.

export interface WordpressOptions {
  /** A copy of the old site's wp-content/uploads. */
  uploads?: string;
  /** Told how far the first pass has read (for progress on a large file). */
  onCheck?: (bytes: number, total: number) => void;
}

/** Old addresses are kept as the path and, for /?p=123, the query. */
function oldPathOf(link: string, hosts: Set<string>): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, 'http://relative.invalid');
    if (url.host !== 'relative.invalid' && !hosts.has(url.host.toLowerCase())) return null;
    const path = `${url.pathname}${url.search}`;
    return path === '/' ? null : path;
  } catch {
    return null;
  }
}

/** WordPress's GMT date ("2019-04-12 10:00:00", "0000-00-00 00:00:00" when unset) as ISO-8601 UTC. */
function gmtDate(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m || m[1] === '0000') return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function publicationDate(item: XNode): string | null {
  const gmt = gmtDate(textOf(item, 'wp:post_date_gmt'));
  if (gmt) return gmt;
  const pub = textOf(item, 'pubDate');
  if (pub && !pub.includes('-0001')) {
    const date = new Date(pub);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  // The local time, when no GMT is given (a draft): the site's zone is not in the export.
  return gmtDate(textOf(item, 'wp:post_date'));
}

function plainText(html: string): string {
  return html
    .replace(/<\/?(p|div|br|li|ul|ol|h[1-6]|blockquote|figure|figcaption|tr|td|th)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&#8217;/g, '’')
    .replace(/\s+/g, ' ')
    .trim();
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The post's own slug when it is a valid one here; a transliterated one otherwise. */
function slugOf(postName: string, title: string): string {
  const decoded = decodeSlug(postName);
  if (SLUG.test(decoded) && decoded.length <= 80) return decoded;
  return slugify(decoded || title, slugify(title, 'untitled'));
}

/** WordPress's user_nicename, as its author archives use it. */
function nicenameOf(login: string): string {
  return login
    .toLowerCase()
    .replace(/[^a-z0-9_.@-]+/g, '-')
    .replace(/[.@]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

const STATUS: Record<string, ImportedStatus> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'submitted',
  private: 'draft',
};

interface Context {
  index: WxrIndex;
  uploads: UploadsDir;
  people: Map<string, ImportedPerson>;
  emitted: Set<string>;
  categories: Map<string, { name: string; description: string; path: string }>;
}

function pictureFor(ctx: Context, url: string, alt: string, caption: string, sourceId?: string): PictureRef {
  const path = uploadsPathOf(url);
  let foreign = false;
  try {
    const u = new URL(url, 'http://relative.invalid');
    foreign = u.host !== 'relative.invalid' && !ctx.index.hosts.has(u.host.toLowerCase()) && !/^i\d\.wp\.com$/.test(u.host);
  } catch {
    foreign = true;
  }
  const attachment = sourceId ? ctx.index.attachments.get(sourceId) : undefined;
  const file = foreign ? null : ctx.uploads.find(attachment?.attachedFile || path);
  return { ...(sourceId ? { sourceId } : {}), url, file, alt, caption };
}

function heroOf(ctx: Context, item: XNode, meta: Map<string, string>): PictureRef | null {
  const id = meta.get('_thumbnail_id');
  if (!id) return null;
  const a = ctx.index.attachments.get(id);
  if (!a) return { sourceId: id, url: `attachment ${id}`, file: null, alt: '', caption: '' };
  void item;
  return pictureFor(ctx, a.url, a.alt, plainText(a.caption), id);
}

function personFromLogin(ctx: Context, login: string): ImportedPerson {
  const key = login.toLowerCase();
  let person = ctx.people.get(key);
  if (!person) {
    person = {
      sourceId: key,
      login: key,
      name: login,
      slug: nicenameOf(login),
      bio: '',
      location: '',
      photo: null,
      oldPaths: [`/author/${nicenameOf(login)}/`],
    };
    ctx.people.set(key, person);
  }
  return person;
}

function* once(ctx: Context, key: string, make: () => ImportItem): Generator<ImportItem> {
  if (ctx.emitted.has(key)) return;
  ctx.emitted.add(key);
  yield make();
}

function categoryTerm(ctx: Context, slug: string, name: string, kind: 'section' | 'tag'): ImportedTerm {
  const known = ctx.categories.get(slug);
  const paths = known ? [known.path, `/category/${slug}/`] : [`/category/${slug}/`];
  return {
    sourceId: `category:${slug}`,
    slug: slugify(slug, slugify(name, 'section')),
    name: known?.name || name || slug,
    description: known?.description ?? '',
    // The section takes the category's old address; a category that is also some post's section keeps it there.
    oldPaths: kind === 'section' || !ctx.index.sectionSlugs.has(slug) ? [...new Set(paths)] : [],
  };
}

function* postItems(ctx: Context, item: XNode): Generator<ImportItem> {
  const type = textOf(item, 'wp:post_type');
  const status = textOf(item, 'wp:status');
  const id = textOf(item, 'wp:post_id');
  const title = textOf(item, 'title');
  if (type === 'attachment') return;
  if (type !== 'post' && type !== 'page') {
    yield { type: 'skipped', kind: type || 'item', sourceId: id, reason: `WordPress ${type || 'item'}s are not imported.` };
    return;
  }
  if (!IMPORTED_STATUSES.has(status)) {
    const reason =
      status === 'trash'
        ? 'In the trash on the old site.'
        : status === 'auto-draft'
          ? 'An automatic draft WordPress kept.'
          : `Its status (${status || 'none'}) is not imported.`;
    yield { type: 'skipped', kind: type === 'page' ? 'page' : 'article', sourceId: id, reason };
    return;
  }
  const terms = termsOf(item);
  // Pages have no byline: only posts bring their authors in.
  const logins =
    type === 'post' ? [...new Set([textOf(item, 'dc:creator'), ...terms.authorLogins].filter(Boolean).map((l) => l.toLowerCase()))] : [];
  for (const login of logins) {
    const person = personFromLogin(ctx, login);
    yield* once(ctx, `person:${person.sourceId}`, () => ({ type: 'person', person }));
  }
  let section: ImportedTerm | null = null;
  const tags: ImportedTerm[] = [];
  if (type === 'post') {
    const [first, ...rest] = terms.categories;
    if (first) {
      section = categoryTerm(ctx, first.slug, first.name, 'section');
      const term = section;
      yield* once(ctx, `section:${first.slug}`, () => ({ type: 'section', term }));
    }
    for (const c of rest) {
      const term = categoryTerm(ctx, c.slug, c.name, 'tag');
      yield* once(ctx, `tag:category:${c.slug}`, () => ({ type: 'tag', term }));
      tags.push(term);
    }
    for (const t of terms.tags) {
      const term: ImportedTerm = {
        sourceId: `post_tag:${t.slug}`,
        slug: slugify(t.slug, slugify(t.name, 'tag')),
        name: t.name || t.slug,
        oldPaths: [`/tag/${t.slug}/`],
      };
      yield* once(ctx, `tag:post_tag:${t.slug}`, () => ({ type: 'tag', term }));
      tags.push(term);
    }
  }

  const meta = metaOf(item);
  const converted = wordpressToDoc(rawTextOf(item, 'content:encoded'), {
    siteUrl: ctx.index.siteUrl,
    attachment: (id) => ctx.index.attachments.get(id),
  });
  const pictures = converted.pictures.map((p) => {
    const attachmentId =
      ctx.index.attachmentsByFile.get(uploadsPathOf(p.url).replace(SIZED, '$1')) ?? ctx.index.attachmentsByFile.get(uploadsPathOf(p.url));
    const attachment = attachmentId ? ctx.index.attachments.get(attachmentId) : undefined;
    return pictureFor(ctx, p.url, p.alt || attachment?.alt || '', p.caption, attachmentId);
  });
  const warnings = [...converted.warnings];
  const notes: string[] = [];
  if (status === 'private') notes.push('This was a private post on the old site: it is a draft here.');
  const password = textOf(item, 'wp:post_password');
  let mapped = STATUS[status]!;
  if (password && mapped === 'published') {
    mapped = 'draft';
    notes.push('This post was protected by a password on the old site: it is a draft here.');
  }
  const sticky = textOf(item, 'wp:is_sticky') === '1';
  if (sticky) notes.push('Sticky on the old site: a candidate for the editor’s pick.');
  const link = textOf(item, 'link');
  const oldPaths = [oldPathOf(link, ctx.index.hosts), type === 'page' ? `/?page_id=${id}` : `/?p=${id}`].filter(
    (p): p is string => p !== null,
  );
  const post: ImportedPost = {
    kind: type === 'page' ? 'page' : 'article',
    sourceId: id,
    title: title || '(untitled)',
    slug: slugOf(textOf(item, 'wp:post_name'), title),
    dek: plainText(rawTextOf(item, 'excerpt:encoded')).slice(0, 600),
    doc: converted.doc,
    pictures,
    authorSourceIds: logins,
    section,
    tags,
    status: mapped,
    publishedAt:
      mapped === 'draft' || mapped === 'submitted' ? (status === 'private' ? publicationDate(item) : null) : publicationDate(item),
    featured: sticky,
    access: 'free',
    hero: type === 'post' ? heroOf(ctx, item, meta) : null,
    oldPaths: [...new Set(oldPaths)],
    note: notes.join(' '),
    warnings,
  };
  if (post.publishedAt === null && (mapped === 'published' || mapped === 'scheduled')) {
    warnings.push('The old site gave no publication date: it is published with the time of the import.');
  }
  yield { type: 'post', post };
}

/** The second pass: the export as ImportItems, people and terms before the first post that uses them. */
export async function* readWordpress(path: string, index: WxrIndex, options: WordpressOptions = {}): AsyncGenerator<ImportItem> {
  const ctx: Context = { index, uploads: new UploadsDir(options.uploads), people: new Map(), emitted: new Set(), categories: new Map() };
  const parents = new Map<string, { slug: string; parent: string }>();
  for await (const { node } of channelElements(path)) {
    switch (node.name) {
      case 'wp:author': {
        const login = textOf(node, 'wp:author_login');
        if (!login) break;
        const name =
          textOf(node, 'wp:author_display_name') ||
          [textOf(node, 'wp:author_first_name'), textOf(node, 'wp:author_last_name')].filter(Boolean).join(' ') ||
          login;
        const email = textOf(node, 'wp:author_email');
        const person = personFromLogin(ctx, login);
        person.name = name;
        person.slug = slugify(name, nicenameOf(login));
        if (email) person.email = email;
        // Authors are yielded when a post names them: one without posts is left out.
        break;
      }
      case 'wp:category': {
        const slug = decodeSlug(textOf(node, 'wp:category_nicename'));
        const parent = decodeSlug(textOf(node, 'wp:category_parent'));
        if (!slug) break;
        parents.set(slug, { slug, parent });
        const chain: string[] = [slug];
        for (let p = parent, guard = 0; p && guard < 10; p = parents.get(p)?.parent ?? '', guard++) chain.unshift(p);
        ctx.categories.set(slug, {
          name: textOf(node, 'wp:cat_name') || slug,
          description: plainText(textOf(node, 'wp:category_description')),
          path: `/category/${chain.join('/')}/`,
        });
        break;
      }
      case 'item':
        yield* postItems(ctx, node);
        break;
      default:
        break;
    }
  }
}

/** Reads a WordPress export: checks it whole first (throws ImportFileError), then hands out its items. */
export async function openWordpress(
  path: string,
  options: WordpressOptions = {},
): Promise<{ source: ImportSource; items: AsyncIterable<ImportItem>; totals: Record<string, number>; index: WxrIndex }> {
  const index = await checkWxr(path, options.onCheck);
  return {
    source: { format: 'wordpress', siteUrl: index.siteUrl },
    items: readWordpress(path, index, options),
    totals: { ...index.counts, total: index.total },
    index,
  };
}

/** For messages: the file name of a picture's address. */
export function pictureName(url: string): string {
  const path = uploadsPathOf(url);
  if (path) return basename(path);
  try {
    return basename(new URL(url, 'http://relative.invalid').pathname) || url;
  } catch {
    return url;
  }
}
