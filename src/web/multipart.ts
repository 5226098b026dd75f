// The forms that carry a file (a picture for the library, a photo for a prize
// entry, a list of subscribers) are read here, one way: before the CSRF check,
// because the token is one of the form's parts. The text fields become the body
// (so the route's schema checks them like any form's), files are kept in memory
// up to their limit, and going over a limit is noted rather than thrown, so the
// form can come back with what was typed.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler, preValidationHookHandler } from 'fastify';
import { AppError } from './errors.js';

export interface MultipartFormSpec {
  /** The text fields of the form (`_csrf` is always read); other fields are dropped. */
  fields: readonly string[];
  /** The file fields; each keeps one file. */
  files: readonly string[];
  /** The most one file may weigh, and one text field. */
  fileBytes: number;
  fieldBytes: number;
}

export interface ReadFiles {
  /** The files sent, by field name; an empty file input is not a file. */
  files: Map<string, Buffer>;
  /** A file over its limit, or more parts than the form has. */
  problem: 'too_large' | 'too_many_parts' | null;
}

export interface MultipartForm {
  /** The route's preValidation: read the form, then check its CSRF token. */
  preValidation: preValidationHookHandler[];
  /** What the reader kept of the request's files. */
  filesOf(request: FastifyRequest): ReadFiles;
}

const LIMIT_CODES = new Set(['FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT']);

/** The form's own text fields from a form sent without multipart (a hand-made request): no file, but its fields count. */
function plainFields(body: unknown, names: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  const sent = (body ?? {}) as Record<string, unknown>;
  for (const name of names) {
    const value = sent[name];
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

async function readParts(request: FastifyRequest, names: readonly string[], fileNames: readonly string[]) {
  const fields: Record<string, string> = {};
  const read: ReadFiles = { files: new Map(), problem: null };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        const known = names.includes(part.fieldname) && fields[part.fieldname] === undefined;
        if (known && typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      const keep = fileNames.includes(part.fieldname) && !read.files.has(part.fieldname);
      const chunks: Buffer[] = [];
      // Every file part must be read to its end, or the parser stalls.
      for await (const chunk of part.file) if (keep) chunks.push(chunk as Buffer);
      if (!keep) continue;
      const bytes = Buffer.concat(chunks);
      if (part.file.truncated) read.problem = 'too_large';
      else if (bytes.length > 0) read.files.set(part.fieldname, bytes);
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !LIMIT_CODES.has(code)) {
      request.log.info({ err: error }, 'unreadable upload');
      throw new AppError(
        400,
        'upload_unreadable',
        'The upload could not be read: it may have been cut off. Please try again.',
        'Upload failed',
      );
    }
    read.problem = 'too_many_parts';
  }
  return { fields, read };
}

/** Registers the multipart parser on the routes plugin with the form's limits, and returns the form's reader. */
export async function multipartForm(app: FastifyInstance, spec: MultipartFormSpec): Promise<MultipartForm> {
  const names = ['_csrf', ...spec.fields];
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: spec.fileBytes,
      files: spec.files.length,
      fields: names.length + 3,
      parts: names.length + spec.files.length + 3,
      fieldSize: spec.fieldBytes,
      fieldNameSize: 100,
      headerPairs: 20,
    },
  });
  const reads = new WeakMap<FastifyRequest, ReadFiles>();
  const readForm: preValidationAsyncHookHandler = async (request) => {
    if (!request.isMultipart()) {
      reads.set(request, { files: new Map(), problem: null });
      request.body = plainFields(request.body, names);
      return;
    }
    const { fields, read } = await readParts(request, names, spec.files);
    reads.set(request, read);
    request.body = fields;
  };
  return {
    preValidation: [readForm, app.csrfProtection],
    filesOf: (request) => reads.get(request) ?? { files: new Map(), problem: null },
  };
}
