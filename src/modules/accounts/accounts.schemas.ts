import { z } from 'zod';
import { MINIMUM_AGE } from './accounts.service.js';

const email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter an email address like name@example.com.' }));

const newPassword = z
  .string({ error: 'Choose a password.' })
  .min(10, 'Use at least 10 characters for your password.')
  .max(200, 'Use at most 200 characters for your password.');

const displayName = z
  .string({ error: 'Tell us what to call you.' })
  .trim()
  .min(1, 'Tell us what to call you.')
  .max(60, 'Use at most 60 characters for your name.')
  .refine((v) => !/[<>]/.test(v), 'Your name cannot contain < or >.');

export function birthYearSchema(thisYear = new Date().getUTCFullYear()) {
  return z.coerce
    .number({ error: 'Enter the year you were born, like 2009.' })
    .int('Enter the year you were born, like 2009.')
    .min(1900, 'Enter the year you were born, like 2009.')
    .max(thisYear, 'Enter the year you were born, like 2009.')
    .refine((year) => thisYear - year >= MINIMUM_AGE, {
      message: `Thanks for your interest! Accounts are for readers who are ${MINIMUM_AGE} or older. Until then, every free article is yours to read without one, and we would love to hear from you when you are ${MINIMUM_AGE}.`,
    });
}

// Keys in the order of the form's fields, so the error summary lists them in that order.
export const signUpSchema = z.object({ displayName, email, password: newPassword, birthYear: birthYearSchema() });
export const signInSchema = z.object({ email, password: z.string().min(1, 'Enter your password.').max(200) });
export const emailOnlySchema = z.object({ email });
export const newPasswordSchema = z.object({ password: newPassword });
export const profileSchema = z.object({ displayName });
export const changeEmailSchema = z.object({ email, password: z.string().min(1, 'Enter your current password.').max(200) });
export const changePasswordSchema = z.object({
  current: z.string().min(1, 'Enter your current password.').max(200),
  password: newPassword,
});

/** The token of an email link, in its query string or its confirmation form. */
export const linkTokenSchema = z.object({
  token: z.string({ error: 'This link is not valid.' }).min(20, 'This link is not valid.').max(100, 'This link is not valid.'),
});

/** Confirming a deletion: the password, or the word DELETE for accounts without one. */
export const deleteAccountSchema = z.object({
  password: z.string({ error: 'Type your password.' }).max(200, 'That is not your password.').optional(),
  confirm: z.string({ error: 'Type DELETE to confirm.' }).max(20, 'Type DELETE to confirm.').optional(),
});

/** "Keep me signed in" is a checkbox: "1" when ticked, absent otherwise. */
export const rememberSchema = z.object({ remember: z.literal('1').optional().catch(undefined) });

/** Field name → first message, for re-rendering a form. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}
