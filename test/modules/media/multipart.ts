// Multipart form posts for HTTP tests, built by hand as a browser sends them: the
// parts in the order given, each with its headers, between boundary lines.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browserish } from '../../browserish.js';

export interface FilePart {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** A field's value is text, or a file. */
export type Parts = [name: string, value: string | FilePart][];

export function multipartBody(parts: Parts): { body: Buffer; contentType: string } {
  const boundary = `----harbinger-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of parts) {
    if (typeof value === 'string') {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.contentType}\r\n\r\n`,
        ),
        value.bytes,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Posts a multipart form with a Browserish client's cookies. Its remembered CSRF
 * token goes first, as the form's hidden field does, unless `csrf` says otherwise
 * (null leaves it out).
 */
export async function postMultipart(
  app: FastifyInstance,
  browser: Browserish,
  url: string,
  parts: Parts,
  options: { csrf?: string | null } = {},
): Promise<LightMyRequestResponse> {
  const all: Parts = options.csrf === null ? parts : [['_csrf', options.csrf ?? browser.csrf], ...parts];
  const { body, contentType } = multipartBody(all);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.remoteAddress,
    headers: { 'content-type': contentType, ...(cookie ? { cookie } : {}) },
    payload: body,
  });
}
