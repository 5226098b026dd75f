// A rich-text body as the newsroom's forms send it (the article and static-page
// editors). The page renders the bodyJson field empty and only the editor script
// fills it, so a filled bodyJson means the script ran in this page view;
// otherwise the plain-text fallback's textarea (bodyText), exactly as typed, is
// the body.
import { z } from 'zod';
import { textToDoc } from '../lib/plain-text.js';
import { parseRichDoc, type RichNode } from '../lib/rich-text.js';

/** The two body fields, to spread into a form's z.object. */
export const richBodyFields = {
  bodyJson: z.string().max(2_000_000, 'The text is too long to save in one piece.').optional(),
  bodyText: z.string().max(500_000, 'The text is too long to save in one piece.').optional(),
};

export interface RichBodyInput {
  bodyJson?: string | undefined;
  bodyText?: string | undefined;
}

/** For the form schema's superRefine: an editor document that is not a valid one is the body field's error. */
export function checkRichBody(v: RichBodyInput, ctx: z.core.$RefinementCtx): void {
  if (!v.bodyJson) return;
  const parsed = parseRichDoc(v.bodyJson);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['body'], message: parsed.message });
}

/** The body as sent: the editor's document if the script filled it, else the textarea's text; null if neither came. */
export function bodyFromInput(input: RichBodyInput): RichNode | null {
  if (input.bodyJson) {
    const parsed = parseRichDoc(input.bodyJson);
    // The schema refused invalid documents already; this only narrows the type.
    if (parsed.ok) return parsed.doc;
  }
  if (input.bodyText !== undefined) return textToDoc(input.bodyText, { markup: true });
  return null;
}
