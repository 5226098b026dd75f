// People and roles in the newsroom: chiefs and admins add people and change
// roles, newsrooms and account links; anyone on staff edits their own public
// fields. Every change is audited and shows on the public pages at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../db/audit.js';
import type { RoleName } from '../../db/schema.js';
import { todayUtc } from '../../lib/dates.js';
import { AppError, BadRequestError, ForbiddenError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import { field, fieldErrors, formOutcome, idParams, isId, pathId, noticeQuery } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import type { PageContext } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import type { ArticlesService } from '../articles/index.js';
import { listRecentPictures } from '../media/index.js';
import { peopleAdmin, peopleLookups, ROLE_NAMES } from '../people/index.js';
import { consentLabel, writersConsent } from '../consent/index.js';
import { docToText, textToDoc } from '../../lib/plain-text.js';
import { parseDoc } from '../../lib/rich-text.js';
import { canManagePeople, requireStaff, staffOf, type Actor } from '../access/index.js';
import { DeleteRolePage, EditPersonPage, NewPersonPage, PeopleAdminPage, type PersonFormValues } from './views/people-pages.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A `YYYY-MM-DD` field, or the message when it is not one. */
const date = (message: string) => z.string({ error: message }).regex(DATE, message);

const roleParams = z.object({ id: pathId, roleId: pathId });
const membershipParams = z.object({ id: pathId, membershipId: pathId });

const NOTICES = {
  created: 'Person added.',
  saved: 'Saved.',
  role: 'Roles updated.',
  roleDeleted: 'The role is deleted.',
  newsroom: 'Newsrooms updated.',
  account: 'Account link updated.',
  invited: 'The invitation is on its way: the link in it works once, for seven days.',
};
type Done = keyof typeof NOTICES;
/** `?done=` names what was just done; anything else shows no notice. */
const doneQuery = noticeQuery(NOTICES);

/** A person's public fields as typed: the form comes back with them when refused. */
const personBody = z.object({
  name: field,
  birthDate: field,
  birthplace: field,
  showBirthplace: field,
  locations: field,
  languages: field,
  bio: field,
  photoMediaId: field,
});

/** What a person's fields must be. */
const personRules = z.object({
  name: z.string().min(1, 'Enter the person’s name.'),
  birthDate: z
    .string()
    .refine((v) => v === '' || (DATE.test(v) && !Number.isNaN(Date.parse(v))), 'Write the date of birth as YYYY-MM-DD, like 2008-05-17.'),
});

/** A role given to a person; a refusal comes back on the person's page. */
const roleForm = z.object({
  role: z.enum(ROLE_NAMES as [RoleName, ...RoleName[]], { error: 'Choose a role from the list.' }),
  startsOn: date('Choose the day the role starts.'),
  sectionId: field.transform((v) => (isId(v) ? v : null)),
  promotion: field.transform((v) => v === '1'),
});

const DATES = 'Dates are written YYYY-MM-DD.';
const roleDatesForm = z.object({
  startsOn: date(DATES),
  endsOn: z.union([z.literal(''), date(DATES)], { error: DATES }).default(''),
});

const MEMBERSHIP = 'Choose a newsroom and the day membership starts.';
const membershipForm = z.object({
  newsroomId: z.string({ error: MEMBERSHIP }).refine(isId, MEMBERSHIP),
  startsOn: date(MEMBERSHIP),
  role: field.transform((v) => v.trim().slice(0, 40) || 'member'),
});

const roleBody = formOutcome(roleForm);
const roleDatesBody = formOutcome(roleDatesForm);
const membershipBody = formOutcome(membershipForm);

/** The day a membership ends: today unless the form names another day. */
const endMembershipBody = z.object({ endsOn: field.transform((v) => (DATE.test(v) ? v : todayUtc())) });
const confirmBody = z.object({ confirm: field });
const emailBody = z.object({ email: field });

/** The data of a form its schema accepted; otherwise a 400 with the first message, which the person's page shows. */
function accepted<T>(parsed: z.ZodSafeParseResult<T>): T {
  if (!parsed.success) throw new BadRequestError(parsed.error.issues[0]!.message, 'invalid_input');
  return parsed.data;
}

export interface PeopleDeskOptions {
  articles: ArticlesService;
  pageContext: (request: FastifyRequest, path: string) => Promise<PageContext>;
  contentChanged: () => Promise<void>;
}

/** The person form as typed (cut to size), its errors, and the fields to save when there are none. */
interface PersonRead {
  values: PersonFormValues;
  errors: Record<string, string>;
  fields: peopleAdmin.PersonFields | null;
}

function readPerson(body: z.output<typeof personBody>): PersonRead {
  const values: PersonFormValues = {
    name: body.name.trim().slice(0, 100),
    birthDate: body.birthDate.trim(),
    birthplace: body.birthplace.trim().slice(0, 100),
    showBirthplace: body.showBirthplace === '1',
    locations: body.locations.slice(0, 1000),
    languages: body.languages.slice(0, 300),
    bio: body.bio.slice(0, 20_000),
    photoMediaId: isId(body.photoMediaId) ? body.photoMediaId : '',
  };
  const checked = personRules.safeParse(values);
  if (!checked.success) return { values, errors: fieldErrors(checked.error), fields: null };
  return {
    values,
    errors: {},
    fields: {
      name: values.name,
      birthDate: values.birthDate || null,
      birthplace: values.birthplace,
      showBirthplace: values.showBirthplace,
      locations: values.locations
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 5),
      languages: values.languages
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 10),
      bio: textToDoc(values.bio, { markup: true }),
      photoMediaId: values.photoMediaId || null,
    },
  };
}

/** The person form, read into what `readPerson` gives. */
const personForm = personBody.transform(readPerson);

export async function peopleDeskRoutes(fastify: FastifyInstance, opts: PeopleDeskOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const csrf = { preValidation: app.csrfProtection };
  const pictures = () => listRecentPictures(app.db, 100);

  const site = { siteName: app.config.siteName, siteUrl: app.config.siteUrl };

  async function audit(actor: Actor, action: string, subjectId: string, details: object) {
    await recordAudit(app.db, { userId: actor.userId, actorName: actor.name, action, subjectType: 'person', subjectId, details });
  }

  /** The actor as the people service's rules see them. */
  const editor = (actor: Actor): peopleAdmin.PeopleEditor => ({
    userId: actor.userId,
    personId: actor.personId,
    name: actor.name,
    roles: actor.roles.map((r) => r.role),
  });

  // The people desk is for the chiefs and administrators: a guard of its own after the newsroom's.
  const managers = {
    onRequest: requireStaff({
      may: canManagePeople,
      refusal: 'Only the editor-in-chief, mentors and administrators manage people and roles.',
    }),
  };

  async function editPage(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: string,
    extra: {
      values?: PersonFormValues;
      errors?: Record<string, string>;
      message?: string;
      notice?: string;
      invite?: { email: string; error: string };
    },
    status = 200,
  ) {
    if (!canManagePeople(actor) && actor.personId !== id) throw new ForbiddenError('You can edit your own profile only.');
    const person = await peopleAdmin.personForEdit(app.db, editor(actor), id);
    const values: PersonFormValues = extra.values ?? {
      name: person.name,
      birthDate: person.birth_date ?? '',
      birthplace: person.birthplace ?? '',
      showBirthplace: person.show_birthplace === 1,
      locations: person.locations.join('\n'),
      languages: person.languages.join(', '),
      bio: docToText(parseDoc(person.bio_json), { markup: true }),
      photoMediaId: person.photo_media_id ?? '',
    };
    const [sections, newsrooms, pics] = await Promise.all([
      opts.articles.sections(),
      peopleLookups.listNewsroomsForPicker(app.db),
      pictures(),
    ]);
    return sendHtml(
      reply,
      EditPersonPage({
        ctx: await opts.pageContext(request, `/newsroom/people/${id}`),
        csrf: csrfToken(reply),
        person: { id: person.id, slug: person.slug, email: person.email, roles: person.roles, memberships: person.memberships },
        values,
        errors: extra.errors ?? (extra.invite ? { inviteEmail: extra.invite.error } : {}),
        invite: extra.invite,
        message: extra.message,
        notice: extra.notice,
        pictures: pics,
        sections,
        newsrooms,
        canManage: canManagePeople(actor),
        today: todayUtc(),
      }),
      status,
    );
  }

  /** Runs a change; a refused one comes back as the page with its message. */
  async function change(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, run: () => Promise<void>, done: Done) {
    try {
      await run();
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 403 && err.status !== 404)
        return editPage(request, reply, actor, id, { message: err.message }, 422);
      throw err;
    }
    await opts.contentChanged();
    return reply.redirect(`/newsroom/people/${id}?done=${done}`, 303);
  }

  app.get('/newsroom/people', managers, async (request, reply) => {
    const actor = staffOf(request);
    const people = await peopleAdmin.listPeopleAdmin(app.db, editor(actor));
    const consents = await writersConsent(
      app.db,
      people.map((p) => p.id),
      todayUtc(),
    );
    const consent = new Map([...consents].map(([id, c]) => [id, consentLabel(c)]));
    return sendHtml(reply, PeopleAdminPage({ ctx: await opts.pageContext(request, '/newsroom/people'), people, consent }));
  });

  app.get('/newsroom/people/new', managers, async (request, reply) => {
    const values: PersonFormValues = {
      name: '',
      birthDate: '',
      birthplace: '',
      showBirthplace: false,
      locations: '',
      languages: '',
      bio: '',
      photoMediaId: '',
    };
    return sendHtml(
      reply,
      NewPersonPage({
        ctx: await opts.pageContext(request, '/newsroom/people/new'),
        csrf: csrfToken(reply),
        values,
        errors: {},
        pictures: await pictures(),
      }),
    );
  });

  app.post('/newsroom/people', { ...managers, ...csrf, schema: { body: personForm } }, async (request, reply) => {
    const actor = staffOf(request);
    const { values, errors, fields } = request.body;
    if (!fields)
      return sendHtml(
        reply,
        NewPersonPage({
          ctx: await opts.pageContext(request, '/newsroom/people/new'),
          csrf: csrfToken(reply),
          values,
          errors,
          pictures: await pictures(),
        }),
        422,
      );
    const { id } = await peopleAdmin.createPerson(app.db, editor(actor), fields);
    await audit(actor, 'person.created', id, { name: fields.name });
    await opts.contentChanged();
    return reply.redirect(`/newsroom/people/${id}?done=created`, 303);
  });

  app.get('/newsroom/people/:id', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const { done } = request.query;
    return editPage(request, reply, actor, request.params.id, done ? { notice: NOTICES[done] } : {});
  });

  app.post('/newsroom/people/:id', { ...csrf, schema: { params: idParams, body: personForm } }, async (request, reply) => {
    const actor = staffOf(request);
    const { id } = request.params;
    if (!canManagePeople(actor) && actor.personId !== id) throw new ForbiddenError('You can edit your own profile only.');
    const { values, errors, fields } = request.body;
    if (!fields) return editPage(request, reply, actor, id, { values, errors }, 422);
    return change(request, reply, actor, id, () => peopleAdmin.updatePerson(app.db, editor(actor), id, fields), 'saved');
  });

  app.post('/newsroom/people/:id/roles', { ...managers, ...csrf, schema: { params: idParams, body: roleBody } }, async (request, reply) => {
    const actor = staffOf(request);
    const { id } = request.params;
    return change(
      request,
      reply,
      actor,
      id,
      async () => {
        const { role, startsOn, sectionId, promotion } = accepted(request.body.parsed);
        await peopleAdmin.addRole(app.db, editor(actor), id, { role, sectionId, newsroomId: null, startsOn, endsOn: null, promotion });
      },
      'role',
    );
  });

  app.post(
    '/newsroom/people/:id/roles/:roleId',
    { ...managers, ...csrf, schema: { params: roleParams, body: roleDatesBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { id, roleId } = request.params;
      return change(
        request,
        reply,
        actor,
        id,
        async () => {
          const { startsOn, endsOn } = accepted(request.body.parsed);
          await peopleAdmin.setRoleDates(app.db, editor(actor), id, roleId, startsOn, endsOn || null);
        },
        'role',
      );
    },
  );

  // Deleting a role entered by mistake asks first: the page says what goes and how to end a role instead.
  app.get('/newsroom/people/:id/roles/:roleId/delete', { ...managers, schema: { params: roleParams } }, async (request, reply) => {
    const actor = staffOf(request);
    const role = await peopleAdmin.roleForDeletion(app.db, editor(actor), request.params.id, request.params.roleId);
    return sendHtml(
      reply,
      DeleteRolePage({
        ctx: await opts.pageContext(request, `/newsroom/people/${request.params.id}`),
        csrf: csrfToken(reply),
        personId: request.params.id,
        role,
      }),
    );
  });

  app.post(
    '/newsroom/people/:id/roles/:roleId/delete',
    { ...managers, ...csrf, schema: { params: roleParams, body: confirmBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { id, roleId } = request.params;
      if (request.body.confirm !== 'yes') return reply.redirect(`/newsroom/people/${id}/roles/${roleId}/delete`, 303);
      return change(request, reply, actor, id, () => peopleAdmin.deleteRole(app.db, editor(actor), id, roleId), 'roleDeleted');
    },
  );

  app.post(
    '/newsroom/people/:id/memberships',
    { ...managers, ...csrf, schema: { params: idParams, body: membershipBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { id } = request.params;
      return change(
        request,
        reply,
        actor,
        id,
        async () => {
          const { newsroomId, startsOn, role } = accepted(request.body.parsed);
          await peopleAdmin.addMembership(app.db, editor(actor), id, { newsroomId, role, startsOn, endsOn: null });
          await audit(actor, 'newsroom.member_added', id, { newsroomId });
        },
        'newsroom',
      );
    },
  );

  app.post(
    '/newsroom/people/:id/memberships/:membershipId/end',
    { ...managers, ...csrf, schema: { params: membershipParams, body: endMembershipBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { id, membershipId } = request.params;
      return change(
        request,
        reply,
        actor,
        id,
        async () => {
          await peopleAdmin.endMembership(app.db, editor(actor), id, membershipId, request.body.endsOn);
          await audit(actor, 'newsroom.member_ended', id, { membershipId });
        },
        'newsroom',
      );
    },
  );

  app.post(
    '/newsroom/people/:id/account',
    { ...managers, ...csrf, schema: { params: idParams, body: emailBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { id } = request.params;
      const email = request.body.email.trim();
      return change(request, reply, actor, id, () => peopleAdmin.linkAccount(app.db, editor(actor), id, email || null), 'account');
    },
  );

  app.post(
    '/newsroom/people/:id/invite',
    { ...managers, ...csrf, schema: { params: idParams, body: emailBody } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { id } = request.params;
      const email = request.body.email.trim().slice(0, 300);
      try {
        await peopleAdmin.invitePerson(app.db, site, editor(actor), id, email);
      } catch (err) {
        if (err instanceof AppError && err.status === 400)
          return editPage(request, reply, actor, id, { invite: { email, error: err.message } }, 422);
        throw err;
      }
      return reply.redirect(`/newsroom/people/${id}?done=invited`, 303);
    },
  );
}
