// The pieces routes build their zod schemas from, so an id, a slug or a page
// number is checked the same way at every address.
import { z } from 'zod';
import { NotFoundError } from './errors.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a text is an id as the application makes them (a lower-case UUID). */
export function isId(value: string): boolean {
  return UUID_RE.test(value);
}

/** An id in a form: a mismatch means the choice was not one offered. */
export const uuid = z.string().regex(UUID_RE, 'Choose from the list.');

/** The words of a 404: an address whose schema gives them is not found when it does not match. */
export const NOT_FOUND = new NotFoundError().message;

/** A slug in an address: lower-case words joined by hyphens. */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/);

/** A form field that takes one value; absent is empty, as a browser sends an empty input. */
export const field = z.string().default('');

/** A field the form may send more than once (the route lists it in `config.listFields`): always a list. */
export const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

/** `?page=`: absent means 1; anything but a whole number from 1 upwards is a 400. */
export const page = z
  .string()
  .regex(/^[1-9][0-9]{0,5}$/, 'The page number must be a whole number from 1 upwards.')
  .transform(Number)
  .default(1);

/** The first value of a field that may have been sent more than once. */
export function one(value: string | readonly string[] | undefined): string {
  return (typeof value === 'string' ? value : value?.[0]) ?? '';
}

/** An id in an address: one that cannot be an id is not found. */
export const pathId = z.string().regex(UUID_RE, NOT_FOUND);

/** `:id` in an address. */
export const idParams = z.object({ id: pathId });

/** `:slug` in an address: a malformed one is a 400. */
export const slugParams = z.object({ slug });
