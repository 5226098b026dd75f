// The pieces routes build their zod schemas from, so an id, a slug or a page
// number is checked the same way at every address.
import { z } from 'zod';
import { isId } from '../lib/ids.js';
import { NotFoundError } from './errors.js';

export { isId };

/** An id in a form: a mismatch means the choice was not one offered. */
export const uuid = z.string().refine(isId, 'Choose from the list.');

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

/** A desk list's query: a search (trimmed, and cut to 200 characters) and a page. */
export const searchListQuery = z.object({
  q: z
    .string()
    .default('')
    .transform((q) => q.trim().slice(0, 200)),
  page,
});

/** The first value of a field that may have been sent more than once. */
export function one(value: string | readonly string[] | undefined): string {
  return (typeof value === 'string' ? value : value?.[0]) ?? '';
}

/** An id in an address: one that cannot be an id is not found. */
export const pathId = z.string().refine(isId, NOT_FOUND);

/** `:id` in an address. */
export const idParams = z.object({ id: pathId });

/** `:slug` in an address: a malformed one is a 400. */
export const slugParams = z.object({ slug });

/** Field name → the first message about it (`form` for the form as a whole). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? 'form')] ??= issue.message;
  return out;
}

/**
 * A form whose refusal comes back on its own page (a 422 naming the fields, with
 * what was typed): the route takes the form's text fields, and the handler reads
 * them as typed (cut to `keep` characters) beside what the form's schema made of them.
 */
export function formOutcome<T extends z.ZodType>(schema: T, keep = 40_000) {
  return z.record(z.string(), z.string()).transform((fields) => ({
    typed: Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value.slice(0, keep)])),
    parsed: schema.safeParse(fields),
  }));
}

/**
 * The notice a page shows after a redirect, named by `?done=`: the query's schema
 * takes only the names given (anything else shows no notice, never an error).
 */
export function noticeQuery<const Names extends string>(notices: Record<Names, string>) {
  const names = Object.keys(notices) as [Names, ...Names[]];
  return z.object({ done: z.enum(names).optional().catch(undefined) });
}
