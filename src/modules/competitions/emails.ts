// The prize's emails: the receipt of an entry, the results, a juror's
// invitation and a winner's offer of a place. Words only; sending goes through
// the job queue.
import { renderEmail, type SiteIdentity } from '../../mail/layout.js';

export const prizeEmails = {
  receipt(
    site: SiteIdentity,
    e: { prize: string; reference: string; category: string; title: string; detail: string; submittedAt: string; url: string },
  ) {
    return renderEmail(site, {
      subject: `Your entry to ${e.prize}: ${e.reference}`,
      paragraphs: [
        `Thank you for entering ${e.prize}. We have received your entry.`,
        `Entry reference: ${e.reference}`,
        `Category: ${e.category}`,
        `Title: ${e.title}`,
        e.detail,
        `Received: ${e.submittedAt}`,
        'Keep this email: quote the reference if you write to us about your entry. As the rules say, entries are final and cannot be changed.',
      ],
      action: { label: 'See your entry', url: e.url },
      footnote: 'You received this email because you submitted an entry with your account.',
    });
  },

  results(site: SiteIdentity, e: { prize: string; reference: string; title: string; outcome: string; url: string }) {
    return renderEmail(site, {
      subject: `The results of ${e.prize} are out`,
      paragraphs: [
        `The jury of ${e.prize} has decided, and the results are now public.`,
        `Your entry “${e.title}” (${e.reference}): ${e.outcome}`,
        'Thank you for writing for us. We hope to read more of your work.',
      ],
      action: { label: 'See the winners', url: e.url },
      footnote: 'You received this email because you entered the prize.',
    });
  },

  jurorInvitation(site: SiteIdentity, e: { prize: string; category: string; role: 'chair' | 'member'; url: string }) {
    return renderEmail(site, {
      subject: `You are on the jury of ${e.prize}`,
      paragraphs: [
        `You have been asked to ${e.role === 'chair' ? 'chair' : 'sit on'} the jury for “${e.category}” in ${e.prize}.`,
        'Judging is blind: you will read each entry with its reference only, never the entrant’s name, school, country or age. Score each entry on the rubric and leave a comment; if you recognise an entry, declare a conflict and it is taken off your list.',
        'The button signs you in (it works once, for a day). Afterwards, sign in with this email address and a link whenever you come back.',
      ],
      action: { label: 'Open the judging desk', url: e.url },
    });
  },

  placeOffered(site: SiteIdentity, e: { prize: string; category: string; url: string }) {
    return renderEmail(site, {
      subject: `Join the magazine: you won ${e.prize}`,
      paragraphs: [
        `Congratulations on winning ${e.prize}: ${e.category}.`,
        'As a winner, you are offered a place on the magazine as a contributor. Nothing happens until you say yes: if you accept, you get a page on the magazine with your name, and your winning piece becomes a draft in the newsroom, where an editor will prepare it for publication with you.',
        'The button opens the offer; sign in with this email address to accept it.',
      ],
      action: { label: 'See the offer', url: e.url },
    });
  },

  placeWithdrawn(site: SiteIdentity, e: { prize: string; category: string; url: string }) {
    return renderEmail(site, {
      subject: `About your place on the magazine (${e.prize})`,
      paragraphs: [
        `The organisers of ${e.prize} changed the results in ${e.category} before they were final, and the place on the magazine we offered you is no longer open. We are sorry for the disappointment.`,
        'Your entry and its receipt are unchanged.',
      ],
      action: { label: 'See your entry', url: e.url },
    });
  },
};
