// What the public form takes: the kind of problem, the details and an optional
// address for a reply, each with the message a person sees next to its field.
import { z } from 'zod';
import { isEmailAddress, normaliseEmail } from '../../lib/email.js';
import type { ProblemReportKind, ProblemReportState } from '../../db/schema.js';

export const REPORT_KINDS: readonly ProblemReportKind[] = ['mistake', 'personal_information', 'safety', 'copyright', 'other'];
export const REPORT_STATES: readonly ProblemReportState[] = ['new', 'in_progress', 'resolved', 'declined'];

export const KIND_LABELS: Record<ProblemReportKind, string> = {
  mistake: 'A mistake',
  personal_information: 'My personal information',
  safety: 'Safety',
  copyright: 'Copyright',
  other: 'Something else',
};

export const KIND_HINTS: Record<ProblemReportKind, string> = {
  mistake: 'A fact, a name, a date or a quotation that is wrong.',
  personal_information: 'Something about you (or your child) that should not be here.',
  safety: 'Someone could be put at risk by what is published. We read these first.',
  copyright: 'A picture or text used without permission.',
  other: 'Anything else that is wrong with the page.',
};

export const STATE_LABELS: Record<ProblemReportState, string> = {
  new: 'New',
  in_progress: 'In progress',
  resolved: 'Resolved',
  declined: 'Declined',
};

export const MAX_DETAILS = 5000;
export const MAX_NOTE = 5000;

const optionalEmail = z
  .string()
  .trim()
  .max(254, 'That email address is too long.')
  .transform((value, ctx) => {
    if (value === '') return null;
    if (isEmailAddress(value)) return normaliseEmail(value);
    ctx.addIssue({ code: 'custom', message: 'Enter an email address like name@example.com, or leave it empty.' });
    return z.NEVER;
  });

export const reportInput = z.object({
  kind: z.enum(REPORT_KINDS as [ProblemReportKind, ...ProblemReportKind[]], 'Choose what kind of problem it is.'),
  details: z
    .string()
    .trim()
    .min(1, 'Tell us what the problem is.')
    .max(MAX_DETAILS, `Keep the details under ${MAX_DETAILS.toLocaleString('en-GB')} characters.`),
  email: optionalEmail,
});

export type ReportInput = z.output<typeof reportInput>;

export const noteInput = z
  .string()
  .trim()
  .min(1, 'Write the note first.')
  .max(MAX_NOTE, `Keep the note under ${MAX_NOTE.toLocaleString('en-GB')} characters.`);
