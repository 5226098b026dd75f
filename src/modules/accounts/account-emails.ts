// The words of every account email. Each returns subject, text and HTML.
import { renderEmail, type SiteIdentity } from '../../mail/layout.js';

export const accountEmails = {
  verify: (site: SiteIdentity, name: string, url: string) =>
    renderEmail(site, {
      subject: `Confirm your email for ${site.siteName}`,
      paragraphs: [
        `Hello ${name},`,
        `Thanks for creating an account. Confirm your email address to start reading, bookmarking and entering the prize.`,
      ],
      action: { label: 'Confirm my email', url },
      footnote: 'The link works once and expires in 48 hours. If you did not sign up, ignore this email: no account will be created.',
    }),
  alreadyRegistered: (site: SiteIdentity, signInUrl: string, resetUrl: string) =>
    renderEmail(site, {
      subject: `You already have an account at ${site.siteName}`,
      paragraphs: [
        'Someone (probably you) tried to create an account with this email address, but it already has one.',
        `You can sign in at ${signInUrl}, or choose a new password at ${resetUrl}.`,
      ],
      action: { label: 'Sign in', url: signInUrl },
      footnote: 'If this was not you, you can ignore this email.',
    }),
  reset: (site: SiteIdentity, url: string) =>
    renderEmail(site, {
      subject: `Choose a new password for ${site.siteName}`,
      paragraphs: ['We received a request to reset the password of your account.'],
      action: { label: 'Choose a new password', url },
      footnote: 'The link works once and expires in one hour. If you did not ask for it, ignore this email: your password stays as it is.',
    }),
  magicLink: (site: SiteIdentity, url: string) =>
    renderEmail(site, {
      subject: `Your sign-in link for ${site.siteName}`,
      paragraphs: ['Use the button below to sign in. No password needed.'],
      action: { label: 'Sign in', url },
      footnote: 'The link works once and expires in 15 minutes. If you did not ask for it, ignore this email.',
    }),
  changeEmail: (site: SiteIdentity, url: string) =>
    renderEmail(site, {
      subject: `Confirm your new email address for ${site.siteName}`,
      paragraphs: ['Confirm that this is the new email address of your account.'],
      action: { label: 'Confirm my new email', url },
      footnote: 'The link works once and expires in 24 hours. Until you confirm it, your account keeps its old address.',
    }),
  emailChanged: (site: SiteIdentity, newEmail: string) =>
    renderEmail(site, {
      subject: `The email address of your ${site.siteName} account changed`,
      paragraphs: [`Your account now uses ${newEmail}. If you did not make this change, reply to this email straight away.`],
    }),
};
