// The newsroom's media library: staff upload pictures once (multipart, checked by
// content, bounded in bytes and pixels) and reuse them in any article; the
// article editor's picture picker reads the same list as JSON.
import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoleName } from '../../db/schema.js';
import { z } from 'zod';
import { recordAudit } from '../../db/audit.js';
import { AppError, ForbiddenError } from '../../web/errors.js';
import type { FieldErrors } from '../../web/forms.js';
import { paginate, parsePage, sendHtml } from '../../web/http.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import { countMedia, listMedia } from './library.repository.js';
import { findMediaByHash } from './media.repository.js';
import { inspectImage, MAX_INPUT_PIXELS, MAX_UPLOAD_BYTES, picturesByIds, storePicture, toPicture, type MediaDirs, type Picture } from './media.service.js';
import { pictureUrl } from './picture.js';
import { MediaLibraryPage, type UploadFormState } from './views/library-page.js';

export interface MediaLibraryRoutesOptions {
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
  dirs: MediaDirs;
}

const PATH = '/newsroom/media';
const JSON_PATH = '/newsroom/media.json';
const PAGE_SIZE = 24;
const MAX_QUERY = 200;
const ID_RE = /^[0-9a-f-]{36}$/;
const MEGABYTES = MAX_UPLOAD_BYTES / 1024 / 1024;

/** The text fields the upload form sends; anything else in the body is ignored. */
const FIELD_NAMES = ['_csrf', 'alt', 'caption', 'creditCreator', 'creditSource'] as const;
type FieldName = (typeof FIELD_NAMES)[number];
const MAX_LENGTH = { alt: 1000, caption: 2000, creditCreator: 200, creditSource: 200 } as const;
/** Bytes per text field: more than the longest caption in any script, so zod, not truncation, reports a long value. */
const FIELD_BYTES = 16 * 1024;

const ALT_REQUIRED = 'Describe the picture in its alt text: readers who cannot see it rely on it.';

const uploadSchema = z.object({
  alt: z
    .string({ error: ALT_REQUIRED })
    .trim()
    .min(1, ALT_REQUIRED)
    .max(MAX_LENGTH.alt, `Keep the alt text under ${MAX_LENGTH.alt.toLocaleString('en-GB')} characters: a sentence or two is enough.`),
  caption: z
    .string()
    .trim()
    .max(MAX_LENGTH.caption, `Keep the caption under ${MAX_LENGTH.caption.toLocaleString('en-GB')} characters.`)
    .default(''),
  creditCreator: z.string().trim().max(MAX_LENGTH.creditCreator, `Keep the creator’s name under ${MAX_LENGTH.creditCreator} characters.`).default(''),
  creditSource: z.string().trim().max(MAX_LENGTH.creditSource, `Keep the source under ${MAX_LENGTH.creditSource} characters.`).default(''),
});

/** What the upload request carried, read before the CSRF check so the token can be found in it. */
interface UploadForm {
  fields: Partial<Record<FieldName, string>>;
  file: { bytes: Buffer } | null;
  /** A limit the request went over: the file's bytes, or the number of parts. */
  problem: 'too_large' | 'too_many_parts' | null;
}

const uploadForms = new WeakMap<FastifyRequest, UploadForm>();

function isFieldName(name: string): name is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(name);
}

/** A staff member may use the library; anyone else is sent to sign in or refused. */
export function canUseMediaLibrary(viewer: FastifyRequest['viewer']): boolean {
  return viewer !== null && viewer.staff !== null;
}

function searchTerm(query: unknown): string {
  const q = (query as Record<string, unknown> | undefined)?.q;
  return typeof q === 'string' ? q.trim().slice(0, MAX_QUERY) : '';
}

/** The small JPEG the picker shows: the 480-pixel one, or the smallest there is. */
function thumbnail(picture: Picture): string {
  const jpegs = picture.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  const file = (jpegs.find((v) => v.width >= 480) ?? jpegs[jpegs.length - 1])?.file ?? picture.original;
  return pictureUrl(picture, file);
}

/**
 * Reads the multipart body in preValidation, before @fastify/csrf-protection looks
 * for `_csrf` in request.body: the fields go to the body, the file is buffered up
 * to the byte limit, and going over a limit is noted (not thrown) so the form can
 * come back with what was typed.
 */
async function readUploadForm(request: FastifyRequest): Promise<void> {
  const form: UploadForm = { fields: {}, file: null, problem: null };
  uploadForms.set(request, form);
  if (!request.isMultipart()) {
    // A urlencoded post (a hand-made request): no file, but its fields still count.
    const body = request.body as Record<string, unknown> | null | undefined;
    for (const name of FIELD_NAMES) {
      const value = body?.[name];
      if (typeof value === 'string') form.fields[name] = value;
    }
    return;
  }
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (isFieldName(part.fieldname) && typeof part.value === 'string' && form.fields[part.fieldname] === undefined) {
          form.fields[part.fieldname] = part.value;
        }
        continue;
      }
      const chunks: Buffer[] = [];
      // Every file part must be read to its end, or the parser stalls.
      for await (const chunk of part.file) if (part.fieldname === 'picture') chunks.push(chunk as Buffer);
      if (part.fieldname !== 'picture') continue;
      if (part.file.truncated) form.problem = 'too_large';
      else if (chunks.length > 0) form.file = { bytes: Buffer.concat(chunks) };
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      form.problem = 'too_many_parts';
    } else {
      request.log.info({ err: error }, 'unreadable upload');
      throw new AppError(400, 'upload_unreadable', 'The upload could not be read: it may have been cut off. Please try again.', 'Upload failed');
    }
  }
  request.body = { _csrf: form.fields._csrf };
}

export async function mediaLibraryRoutes(app: FastifyInstance, opts: MediaLibraryRoutesOptions): Promise<void> {
  await app.register(multipart, {
    // Going over the byte limit is reported on the form, not thrown mid-stream.
    throwFileSizeLimit: false,
    limits: {
      fileSize: MAX_UPLOAD_BYTES,
      files: 1,
      fields: FIELD_NAMES.length + 3,
      parts: FIELD_NAMES.length + 4,
      fieldSize: FIELD_BYTES,
      fieldNameSize: 100,
      headerPairs: 20,
    },
  });

  // Every route here is for staff. Pages send visitors to sign in; the JSON list,
  // read by scripts, answers 401 (as a problem for clients that accept JSON).
  app.addHook('onRequest', async (request, reply) => {
    if (canUseMediaLibrary(request.viewer)) return;
    if (request.viewer) {
      throw new ForbiddenError('The media library is for the magazine’s writers, editors and mentors. Your account is a reader account.');
    }
    if (request.routeOptions.url === JSON_PATH) {
      throw new AppError(401, 'sign_in_required', 'Please sign in to use the media library.', 'Sign in required');
    }
    const next = request.method === 'GET' ? request.url : PATH;
    return reply.redirect(`/account/sign-in?next=${encodeURIComponent(next)}`, 303);
  });

  const emptyForm: UploadFormState = { values: {}, errors: {} };

  async function renderLibrary(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { form: UploadFormState; status: number; uploaded?: { id: string; already: boolean } },
  ): Promise<FastifyReply> {
    const q = searchTerm(request.query);
    const pagination = paginate(parsePage(request.query), PAGE_SIZE, await countMedia(app.db, { q }));
    const rows = await listMedia(app.db, { q }, { limit: PAGE_SIZE, offset: pagination.offset });
    let uploaded: { alt: string; already: boolean } | null = null;
    if (state.uploaded) {
      const picture = (await picturesByIds(app.db, [state.uploaded.id])).get(state.uploaded.id);
      if (picture) uploaded = { alt: picture.alt, already: state.uploaded.already };
    }
    const html = MediaLibraryPage({
      ctx: await opts.pageContext(PATH, 'staff', request.viewer?.staff?.roles),
      csrf: csrfToken(reply),
      q,
      pagination,
      items: rows.map((row) => ({ picture: toPicture(row), createdAt: row.created_at })),
      uploaded,
      form: state.form,
      limits: { megabytes: MEGABYTES, megapixels: MAX_INPUT_PIXELS / 1_000_000 },
    });
    return sendHtml(reply, html, state.status);
  }

  app.get<{ Querystring: Record<string, string | undefined> }>(PATH, async (request, reply) => {
    const id = request.query.uploaded;
    const uploaded = id && ID_RE.test(id) ? { id, already: request.query.already === '1' } : undefined;
    return renderLibrary(request, reply, { form: emptyForm, status: 200, ...(uploaded ? { uploaded } : {}) });
  });

  app.post(
    PATH,
    { preValidation: [readUploadForm, app.csrfProtection], config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const form = uploadForms.get(request)!;
      const values = {
        alt: (form.fields.alt ?? '').slice(0, MAX_LENGTH.alt),
        caption: (form.fields.caption ?? '').slice(0, MAX_LENGTH.caption),
        creditCreator: (form.fields.creditCreator ?? '').slice(0, MAX_LENGTH.creditCreator),
        creditSource: (form.fields.creditSource ?? '').slice(0, MAX_LENGTH.creditSource),
      };
      const errors: FieldErrors = {};
      let status = 422;
      const refuse = () => renderLibrary(request, reply, { form: { values, errors }, status });

      // The file's error comes first in the summary, as its field comes first in the form.
      if (form.problem === 'too_large') {
        status = 413;
        errors.picture = `The picture is larger than ${MEGABYTES} MB. Save a smaller copy (3,000 pixels wide is plenty for the web) and choose it again.`;
      } else if (form.problem === 'too_many_parts') {
        status = 413;
        errors.picture = 'Upload one picture at a time, using the fields of this form.';
      } else if (!form.file) {
        errors.picture = 'Choose a picture to upload: a JPEG, PNG, WebP or AVIF file.';
      } else {
        try {
          // Reads the type and size from the header only: a file that lies about
          // being a picture, or declares too many pixels, is refused before decoding.
          await inspectImage(form.file.bytes);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          errors.picture = error.message;
        }
      }
      const parsed = uploadSchema.safeParse(form.fields);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      }
      if (!parsed.success || Object.keys(errors).length > 0 || !form.file) return refuse();

      const bytes = form.file.bytes;
      const already = (await findMediaByHash(app.db, createHash('sha256').update(bytes).digest('hex'))) !== undefined;
      let picture: Picture;
      try {
        picture = await storePicture(app.db, opts.dirs, bytes, { ...parsed.data, uploadedBy: request.viewer!.userId });
      } catch (error) {
        if (error instanceof AppError) {
          errors.picture = error.message;
          return refuse();
        }
        // Disk and database failures carry a code and are ours; a bare error from
        // sharp means the pixels themselves could not be decoded.
        if ((error as { code?: unknown }).code !== undefined) throw error;
        request.log.info({ err: error }, 'picture could not be decoded');
        errors.picture = 'That picture could not be read: the file may be damaged or cut off. Export it again and upload the new file.';
        return refuse();
      }
      await recordAudit(app.db, { userId: request.viewer!.userId, actorName: request.viewer!.staff?.name ?? request.viewer!.displayName, action: 'media.uploaded', subjectType: 'media', subjectId: picture.id, details: { alt: picture.alt, ...(already ? { already: true } : {}) } });
      return reply.redirect(`${PATH}?uploaded=${picture.id}${already ? '&already=1' : ''}`, 303);
    },
  );

  app.get(JSON_PATH, async (request, reply) => {
    const q = searchTerm(request.query);
    const total = await countMedia(app.db, { q });
    const pagination = paginate(parsePage(request.query), PAGE_SIZE, total);
    const rows = await listMedia(app.db, { q }, { limit: PAGE_SIZE, offset: pagination.offset });
    // The body stays a plain list; the pages are told in the headers (RFC 8288 links).
    const link = (page: number, rel: string) => {
      const params = new URLSearchParams();
      if (q) params.set('q', q);
      params.set('page', String(page));
      return `<${JSON_PATH}?${params.toString()}>; rel="${rel}"`;
    };
    const links = [pagination.page > 1 ? link(pagination.page - 1, 'prev') : '', pagination.page < pagination.pages ? link(pagination.page + 1, 'next') : ''].filter(Boolean);
    if (links.length > 0) reply.header('link', links.join(', '));
    reply.header('cache-control', 'no-store').header('x-total-count', String(total));
    return rows.map((row) => {
      const picture = toPicture(row);
      return {
        id: picture.id,
        alt: picture.alt,
        caption: picture.caption,
        creditCreator: picture.creditCreator,
        creditSource: picture.creditSource,
        width: picture.width,
        height: picture.height,
        thumb: thumbnail(picture),
      };
    });
  });
}
