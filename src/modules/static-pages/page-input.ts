// The page editor's form, parsed and checked. As in the article editor, the body
// arrives either as the rich editor's JSON (bodyJson, filled only by the editor
// script) or as the plain-text fallback's text (bodyText), exactly as typed.
import { z } from 'zod';
import { textToDoc } from '../../lib/plain-text.js';
import { parseRichDoc, type RichNode } from '../../lib/rich-text.js';

export const pageInputSchema = z
  .object({
    title: z.string().trim().min(1, 'Give the page a title.').max(200, 'Keep the title under 200 characters.'),
    slug: z.string().trim().toLowerCase().default(''),
    dek: z.string().trim().max(600, 'Keep the summary under 600 characters.').default(''),
    bodyJson: z.string().max(2_000_000, 'The text is too long to save in one piece.').optional(),
    bodyText: z.string().max(500_000, 'The text is too long to save in one piece.').optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.bodyJson) return;
    const parsed = parseRichDoc(v.bodyJson);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['body'], message: parsed.message });
  });

export type PageInput = z.infer<typeof pageInputSchema>;

/** The body as sent: the editor's document if the script filled it, else the textarea's text; null if neither came. */
export function bodyFromInput(input: Pick<PageInput, 'bodyJson' | 'bodyText'>): RichNode | null {
  if (input.bodyJson) {
    const parsed = parseRichDoc(input.bodyJson);
    if (parsed.ok) return parsed.doc;
  }
  if (input.bodyText !== undefined) return textToDoc(input.bodyText, { markup: true });
  return null;
}
