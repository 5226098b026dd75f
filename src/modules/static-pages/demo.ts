// The demo magazine's own pages, published and in the footer menu in this order.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { rt, type RichNode } from '../../lib/rich-text.js';
import { addPublishedPage } from './pages.service.js';

interface DemoPage {
  slug: string;
  title: string;
  dek: string;
  doc: RichNode;
}

export const DEMO_PAGES: DemoPage[] = [
  {
    slug: 'about',
    title: 'About us',
    dek: 'A magazine written and edited by teenagers, with adult mentors who help and never take over.',
    doc: rt.doc(
      rt.p(
        'Harbinger is made by young reporters, photographers and editors aged thirteen to nineteen. They pitch the stories, go out and report them, ',
        'and argue over every headline. Volunteer mentors — working journalists and teachers — answer questions and check the hard parts.',
      ),
      rt.h2('What we publish'),
      rt.p(
        'News from schools and neighbourhoods, science and climate explained, culture reviewed by the people it is made for, and long reads when a story needs room.',
      ),
      rt.h2('How we are run'),
      rt.p(
        'An editor-in-chief chosen by the newsroom leads the magazine for a year. Section editors look after their pages. Nothing is published until a second person has read it.',
      ),
      rt.p('Want to take part? Read ', rt.link('how to join the team', '/join'), '.'),
    ),
  },
  {
    slug: 'join',
    title: 'Join the team',
    dek: 'Anyone from 13 to 19 can write for us. No experience needed, only curiosity.',
    doc: rt.doc(
      rt.p(
        'We are always looking for new voices: writers, photographers, illustrators, fact-checkers and people who simply notice things.',
      ),
      rt.h2('How it works'),
      rt.ul(
        'Send us an idea for a story, or ask for one from our list.',
        'A section editor works with you on your first piece, from the pitch to the final draft.',
        'After three published pieces you can become a staff writer and join the weekly meeting.',
      ),
      rt.h2('What you need'),
      rt.p(
        'An account on this site and, if you are under 16, a parent or guardian who agrees. We never publish your date of birth, your school or your email address.',
      ),
      rt.p('Before you start, please read our ', rt.link('code of conduct', '/code-of-conduct'), '.'),
    ),
  },
  {
    slug: 'code-of-conduct',
    title: 'Code of conduct',
    dek: 'How we treat the people we write about, the people we work with, and our readers.',
    doc: rt.doc(
      rt.h2('In the newsroom'),
      rt.ul(
        'Be kind in comments on each other’s drafts: criticise the text, not the writer.',
        'Keep what is said in the newsroom in the newsroom, unless someone is at risk.',
        'Tell a mentor or the editor-in-chief when something makes you uncomfortable. You will be taken seriously.',
      ),
      rt.h2('When reporting'),
      rt.ul(
        'Say who you are and that you are writing for Harbinger.',
        'Check every fact you can, and say so when you could not.',
        'Never name a young person who could be harmed by being named.',
        'Correct mistakes openly, at the foot of the article.',
      ),
      rt.p('Breaking this code can mean losing access to the newsroom. Every decision can be appealed to the mentors.'),
    ),
  },
  {
    slug: 'privacy',
    title: 'Privacy',
    dek: 'What we keep about you, why, and how to get it or have it deleted.',
    doc: rt.doc(
      rt.p('Most of our writers and readers are under 18, so we keep as little as we can and show even less.'),
      rt.h2('Readers'),
      rt.p(
        'A reader account holds an email address, a display name and the articles you bookmark. You can download all of it or delete your account from your account page at any time.',
      ),
      rt.h2('Writers'),
      rt.p(
        'For writers we also keep a date of birth, to show an age next to a byline when the writer agrees. The date itself is never published, nor is a writer’s school or email address.',
      ),
      rt.h2('No tracking'),
      rt.p('We use no advertising and no third-party trackers. One cookie keeps you signed in; another protects our forms.'),
    ),
  },
  {
    slug: 'contact',
    title: 'Contact',
    dek: 'Tips, corrections, questions from parents and teachers: how to reach the newsroom.',
    doc: rt.doc(
      rt.p('The quickest way to reach us is by email, read every weekday by the editor-in-chief and a mentor.'),
      rt.ul(
        'Story tips and ideas: tips@harbinger.example',
        'Corrections: corrections@harbinger.example — please name the article and what is wrong.',
        'Parents, teachers and schools: mentors@harbinger.example',
      ),
      rt.p('We do not publish the names or addresses of the young people who write to us.'),
    ),
  },
];

/** Adds the demo pages, published and in the footer menu, in the seed's transaction. */
export async function seedDemoPages(trx: Kysely<Database> | Transaction<Database>): Promise<void> {
  for (const page of DEMO_PAGES) await addPublishedPage(trx, { ...page, inMenu: true });
}
