// The article editor's form, parsed and checked. The body arrives either as the
// TipTap JSON (with JavaScript) or as plain text from the fallback textarea.
// The page renders the bodyJson field empty and only the editor script fills
// it, so a filled bodyJson means the script ran in this page view; otherwise
// the textarea, exactly as typed, is the body.
import { z } from 'zod';
import { checkRichBody, richBodyFields } from '../../web/rich-body-input.js';
import { uuid } from '../../web/schemas.js';
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : []);

export const articleInputSchema = z
  .object({
    title: z.string().trim().min(1, 'Give the article a headline.').max(200, 'Keep the headline under 200 characters.'),
    dek: z.string().trim().max(600, 'Keep the standfirst under 600 characters.').default(''),
    bylinePhrase: z.string().trim().max(200, 'Keep the byline phrase under 200 characters.').default(''),
    sectionId: uuid,
    newsroomId: z.union([uuid, z.literal('')]).default(''),
    tags: z.string().max(500).default(''),
    authorIds: z.preprocess(list, z.array(uuid).min(1, 'An article needs at least one author.').max(6)),
    editorIds: z.preprocess(list, z.array(uuid).max(6)).default([]),
    heroMediaId: z.union([uuid, z.literal('')]).default(''),
    heroCaption: z.string().trim().max(300).default(''),
    heroAlt: z.string().trim().max(300).default(''),
    heroCreditCreator: z.string().trim().max(120).default(''),
    heroCreditSource: z.string().trim().max(120).default(''),
    access: z.enum(['free', 'registered']).default('free'),
    previewParagraphs: z.union([z.literal(''), z.coerce.number().int().min(0).max(50)]).default(''),
    ...richBodyFields,
  })
  .superRefine(checkRichBody)
  .refine((v) => v.heroMediaId === '' || v.heroAlt !== '', {
    path: ['heroAlt'],
    message: 'Describe the picture in its alt text: readers who cannot see it rely on it.',
  });

export type ArticleInput = z.infer<typeof articleInputSchema>;

type FormBody = Record<string, string | string[] | undefined>;

/**
 * The people pickers post the people already chosen (authorIds, editorIds) and,
 * without JavaScript, one more chosen from a list (addAuthorId, addEditorId):
 * the chosen one joins the end of the list, and nobody is listed twice.
 */
export function withPickedPeople(body: FormBody): FormBody {
  const out: FormBody = { ...body };
  for (const [listName, addName] of [
    ['authorIds', 'addAuthorId'],
    ['editorIds', 'addEditorId'],
  ] as const) {
    const current = list(body[listName]).filter((v): v is string => typeof v === 'string');
    const added = list(body[addName]).filter((v): v is string => typeof v === 'string' && v !== '');
    if (body[listName] === undefined && added.length === 0) continue;
    out[listName] = [...new Set([...current, ...added])];
  }
  return out;
}
