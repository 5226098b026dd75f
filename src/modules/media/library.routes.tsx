// The newsroom's media library: staff upload pictures once (multipart, checked by
// content, bounded in bytes and pixels) and reuse them in any article; the
// article editor's picture picker reads the same list as JSON.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoleName } from '../../db/schema.js';
import { z } from 'zod';
import { AppError } from '../../web/errors.js';
import type { FieldErrors } from '../../web/forms.js';
import { sendHtml } from '../../web/http.js';
import { multipartForm } from '../../web/multipart.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import { field, searchListQuery, uuid } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import { canUseMediaLibrary, requireStaff, staffOf, staffRoleNames } from '../access/index.js';
import { addToLibrary, LIBRARY_REFUSAL, libraryPage } from './library.service.js';
import { inspectImage, MAX_INPUT_PIXELS, MAX_UPLOAD_BYTES, picturesByIds, toPicture, type Picture } from './media.service.js';
import { pictureUrl } from './picture.js';
import type { MediaStorage } from './storage.js';
import { MediaLibraryPage, type UploadFormState } from './views/library-page.js';

export interface MediaLibraryRoutesOptions {
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
  storage: MediaStorage;
}

const PATH = '/newsroom/media';
const JSON_PATH = '/newsroom/media.json';
const PAGE_SIZE = 24;
const MEGABYTES = MAX_UPLOAD_BYTES / 1024 / 1024;

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
  creditCreator: z
    .string()
    .trim()
    .max(MAX_LENGTH.creditCreator, `Keep the creator’s name under ${MAX_LENGTH.creditCreator} characters.`)
    .default(''),
  creditSource: z.string().trim().max(MAX_LENGTH.creditSource, `Keep the source under ${MAX_LENGTH.creditSource} characters.`).default(''),
});

/** The library page also says which picture was just uploaded (an id that is not one is ignored). */
const libraryQuery = searchListQuery.extend({ uploaded: uuid.optional().catch(undefined), already: z.string().optional() });

/** The upload form's text fields, read by the route; their checks run with the file's, so one page shows every error. */
const uploadBody = z.object({ alt: field, caption: field, creditCreator: field, creditSource: field });

/** The small JPEG the picker shows: the 480-pixel one, or the smallest there is. */
function thumbnail(picture: Picture): string {
  const jpegs = picture.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  const file = (jpegs.find((v) => v.width >= 480) ?? jpegs[jpegs.length - 1])?.file ?? picture.original;
  return pictureUrl(picture, file);
}

export async function mediaLibraryRoutes(fastify: FastifyInstance, opts: MediaLibraryRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const upload = await multipartForm(app, {
    fields: Object.keys(uploadBody.shape),
    files: ['picture'],
    fileBytes: MAX_UPLOAD_BYTES,
    fieldBytes: FIELD_BYTES,
  });

  // Every route here is for staff. Pages send visitors to sign in; the JSON list,
  // read by scripts, answers 401 (as a problem for clients that accept JSON).
  app.addHook(
    'onRequest',
    requireStaff({ may: canUseMediaLibrary, refusal: LIBRARY_REFUSAL, home: PATH, signIn: 'Please sign in to use the media library.' }),
  );

  const emptyForm: UploadFormState = { values: {}, errors: {} };

  async function renderLibrary(
    request: FastifyRequest,
    reply: FastifyReply,
    { q, page }: z.output<typeof searchListQuery>,
    state: { form: UploadFormState; status: number; uploaded?: { id: string; already: boolean } },
  ): Promise<FastifyReply> {
    const { pagination, rows } = await libraryPage(app.db, staffOf(request), q, page, PAGE_SIZE);
    let uploaded: { alt: string; already: boolean } | null = null;
    if (state.uploaded) {
      const picture = (await picturesByIds(app.db, [state.uploaded.id])).get(state.uploaded.id);
      if (picture) uploaded = { alt: picture.alt, already: state.uploaded.already };
    }
    const html = MediaLibraryPage({
      ctx: await opts.pageContext(PATH, 'staff', staffRoleNames(request)),
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

  app.get(PATH, { schema: { querystring: libraryQuery } }, async (request, reply) => {
    const { uploaded: id, already } = request.query;
    const uploaded = id ? { id, already: already === '1' } : undefined;
    return renderLibrary(request, reply, request.query, { form: emptyForm, status: 200, ...(uploaded ? { uploaded } : {}) });
  });

  app.post(
    PATH,
    {
      schema: { querystring: searchListQuery, body: uploadBody },
      preValidation: upload.preValidation,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { files, problem } = upload.filesOf(request);
      const file = files.get('picture');
      const fields = request.body;
      const values = {
        alt: fields.alt.slice(0, MAX_LENGTH.alt),
        caption: fields.caption.slice(0, MAX_LENGTH.caption),
        creditCreator: fields.creditCreator.slice(0, MAX_LENGTH.creditCreator),
        creditSource: fields.creditSource.slice(0, MAX_LENGTH.creditSource),
      };
      const errors: FieldErrors = {};
      let status = 422;
      const refuse = () => renderLibrary(request, reply, request.query, { form: { values, errors }, status });

      // The file's error comes first in the summary, as its field comes first in the form.
      if (problem === 'too_large') {
        status = 413;
        errors.picture = `The picture is larger than ${MEGABYTES} MB. Save a smaller copy (3,000 pixels wide is plenty for the web) and choose it again.`;
      } else if (problem === 'too_many_parts') {
        status = 413;
        errors.picture = 'Upload one picture at a time, using the fields of this form.';
      } else if (!file) {
        errors.picture = 'Choose a picture to upload: a JPEG, PNG, WebP or AVIF file.';
      } else {
        try {
          // Reads the type and size from the header only: a file that lies about
          // being a picture, or declares too many pixels, is refused before decoding.
          await inspectImage(file);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          errors.picture = error.message;
        }
      }
      const parsed = uploadSchema.safeParse(fields);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      }
      if (!parsed.success || Object.keys(errors).length > 0 || !file) return refuse();

      let added: { picture: Picture; already: boolean };
      try {
        added = await addToLibrary(app.db, opts.storage, staffOf(request), file, parsed.data);
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
      const { picture, already } = added;
      return reply.redirect(`${PATH}?uploaded=${picture.id}${already ? '&already=1' : ''}`, 303);
    },
  );

  app.get(JSON_PATH, { schema: { querystring: searchListQuery } }, async (request, reply) => {
    const { q, page } = request.query;
    const { total, pagination, rows } = await libraryPage(app.db, staffOf(request), q, page, PAGE_SIZE);
    // The body stays a plain list; the pages are told in the headers (RFC 8288 links).
    const link = (page: number, rel: string) => {
      const params = new URLSearchParams();
      if (q) params.set('q', q);
      params.set('page', String(page));
      return `<${JSON_PATH}?${params.toString()}>; rel="${rel}"`;
    };
    const links = [
      pagination.page > 1 ? link(pagination.page - 1, 'prev') : '',
      pagination.page < pagination.pages ? link(pagination.page + 1, 'next') : '',
    ].filter(Boolean);
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
