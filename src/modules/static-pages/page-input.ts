// The page editor's form, parsed and checked. As in the article editor, the body
// arrives either as the rich editor's JSON (bodyJson, filled only by the editor
// script) or as the plain-text fallback's text (bodyText), exactly as typed.
import { z } from 'zod';
import { checkRichBody, richBodyFields } from '../../web/rich-body-input.js';

export const pageInputSchema = z
  .object({
    title: z.string().trim().min(1, 'Give the page a title.').max(200, 'Keep the title under 200 characters.'),
    slug: z.string().trim().toLowerCase().default(''),
    dek: z.string().trim().max(600, 'Keep the summary under 600 characters.').default(''),
    ...richBodyFields,
  })
  .superRefine(checkRichBody);

export type PageInput = z.infer<typeof pageInputSchema>;
