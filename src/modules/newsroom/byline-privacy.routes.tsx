// Byline privacy in the newsroom: a person chooses how the public sees them
// (name, places, portrait, listing, age on bylines) from their own profile, or an
// editor on the people desk chooses for them. The people module applies the
// choice everywhere; this page only reads the form and drops the cached pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendHtml } from '../../web/http.js';
import { field, idParams, noticeQuery } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import { ForbiddenError } from '../../web/errors.js';
import { firstNameAndInitial, NAME_SHOWN, peopleAdmin, type BylinePrivacy, type NameShown } from '../people/index.js';
import { canManagePeople, requireStaff, staffOf, staffRoleNames, type Actor } from '../access/index.js';
import type { RoleName } from '../../db/schema.js';
import { BylinePrivacyPage } from './views/byline-privacy-page.js';

const NOTICES = {
  saved: 'Saved: every public page now shows the new choice.',
  moved: 'Saved: every public page now shows the new choice, and the profile has a new address (the old one no longer answers).',
};
const doneQuery = noticeQuery(NOTICES);

const privacyBody = z.object({
  nameShown: field,
  penName: field,
  showPlace: field,
  showPortrait: field,
  listed: field,
  hideAge: field,
});

function readPrivacy(body: z.output<typeof privacyBody>): BylinePrivacy {
  return {
    nameShown: (NAME_SHOWN as string[]).includes(body.nameShown) ? (body.nameShown as NameShown) : ('' as NameShown),
    penName: body.penName.slice(0, 200),
    showPlace: body.showPlace === '1',
    showPortrait: body.showPortrait === '1',
    listed: body.listed === '1',
    hideAge: body.hideAge === '1',
  };
}

export interface BylinePrivacyRoutesOptions {
  pageContext: (path: string, viewer: ViewerKind, roles: RoleName[]) => Promise<PageContext>;
  /** Drops every cached public page: a name or a portrait may be on any of them. */
  contentChanged: () => Promise<void>;
}

export async function bylinePrivacyRoutes(fastify: FastifyInstance, opts: BylinePrivacyRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  app.addHook(
    'onRequest',
    requireStaff({ refusal: 'The newsroom is for the magazine’s writers, editors and mentors. Your account is a reader account.' }),
  );

  const editor = (actor: Actor): peopleAdmin.PeopleEditor => ({
    userId: actor.userId,
    personId: actor.personId,
    name: actor.name,
    roles: actor.roles.map((r) => r.role),
  });

  /** The people desk's managers, or the person themself. */
  function mayEdit(actor: Actor, id: string): void {
    if (!canManagePeople(actor) && actor.personId !== id) throw new ForbiddenError('You can change only how you are shown.');
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: string,
    extra: { values?: BylinePrivacy; errors?: Record<string, string>; notice?: string },
    status = 200,
  ) {
    const person = await peopleAdmin.bylinePrivacyForEdit(app.db, editor(actor), id);
    return sendHtml(
      reply,
      BylinePrivacyPage({
        ctx: await opts.pageContext(`/newsroom/people/${id}/byline`, 'staff', staffRoleNames(request)),
        csrf: csrfToken(reply),
        person: { ...person, initial: firstNameAndInitial(person.name) },
        values: extra.values ?? person.privacy,
        errors: extra.errors ?? {},
        notice: extra.notice,
        own: actor.personId === id,
        penNameMax: peopleAdmin.PEN_NAME_MAX,
      }),
      status,
    );
  }

  app.get('/newsroom/people/:id/byline', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    mayEdit(actor, request.params.id);
    const { done } = request.query;
    return page(request, reply, actor, request.params.id, done ? { notice: NOTICES[done] } : {});
  });

  app.post(
    '/newsroom/people/:id/byline',
    { preValidation: app.csrfProtection, schema: { params: idParams, body: privacyBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { id } = request.params;
      mayEdit(actor, id);
      const values = readPrivacy(request.body);
      const errors = peopleAdmin.bylinePrivacyErrors(values);
      if (Object.keys(errors).length > 0) return page(request, reply, actor, id, { values, errors }, 422);
      const { slugChanged } = await peopleAdmin.setBylinePrivacy(app.db, editor(actor), id, values);
      await opts.contentChanged();
      return reply.redirect(`/newsroom/people/${id}/byline?done=${slugChanged ? 'moved' : 'saved'}`, 303);
    },
  );
}
