// People and roles in the newsroom: chiefs and admins add people and change
// roles, newsrooms and account links; anyone on staff edits their own public
// fields. Every change is audited and shows on the public pages at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../db/audit.js';
import type { RoleName } from '../../db/schema.js';
import { todayUtc } from '../../lib/dates.js';
import { AppError, ForbiddenError } from '../../web/errors.js';
import { sendHtml } from '../../web/http.js';
import type { PageContext } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import type { ArticlesService } from '../articles/index.js';
import { listRecentPictures } from '../media/index.js';
import { peopleAdmin } from '../people/index.js';
import { ROLE_NAMES } from '../people/index.js';
import { docToText, textToDoc } from '../../lib/plain-text.js';
import * as repo from './newsroom.repository.js';
import { canManagePeople, staffOf, type Actor } from '../access/index.js';
import { DeleteRolePage, EditPersonPage, NewPersonPage, PeopleAdminPage, type PersonFormValues } from './views/people-pages.js';

type Body = Record<string, string | undefined>;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-f-]{36}$/;

export interface PeopleDeskOptions {
  articles: ArticlesService;
  pageContext: (request: FastifyRequest, path: string) => Promise<PageContext>;
  contentChanged: () => Promise<void>;
}

function readPerson(body: Body): { values: PersonFormValues; errors: Record<string, string>; fields: peopleAdmin.PersonFields | null } {
  const values: PersonFormValues = {
    name: (body.name ?? '').trim().slice(0, 100),
    birthDate: (body.birthDate ?? '').trim(),
    birthplace: (body.birthplace ?? '').trim().slice(0, 100),
    showBirthplace: body.showBirthplace === '1',
    locations: (body.locations ?? '').slice(0, 1000),
    languages: (body.languages ?? '').slice(0, 300),
    bio: (body.bio ?? '').slice(0, 20_000),
    photoMediaId: ID.test(body.photoMediaId ?? '') ? body.photoMediaId! : '',
  };
  const errors: Record<string, string> = {};
  if (values.name === '') errors.name = 'Enter the person’s name.';
  if (values.birthDate !== '' && (!DATE.test(values.birthDate) || Number.isNaN(Date.parse(values.birthDate)))) errors.birthDate = 'Write the date of birth as YYYY-MM-DD, like 2008-05-17.';
  if (Object.keys(errors).length) return { values, errors, fields: null };
  return {
    values,
    errors,
    fields: {
      name: values.name,
      birthDate: values.birthDate || null,
      birthplace: values.birthplace,
      showBirthplace: values.showBirthplace,
      locations: values.locations.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 5),
      languages: values.languages.split(',').map((l) => l.trim()).filter(Boolean).slice(0, 10),
      bio: textToDoc(values.bio, { markup: true }),
      photoMediaId: values.photoMediaId || null,
    },
  };
}

export async function peopleDeskRoutes(app: FastifyInstance, opts: PeopleDeskOptions): Promise<void> {
  const csrf = { preValidation: app.csrfProtection };
  const pictures = () => listRecentPictures(app.db, 100);

  const site = { siteName: app.config.siteName, siteUrl: app.config.siteUrl };

  async function audit(actor: Actor, action: string, subjectId: string, details: object) {
    await recordAudit(app.db, { userId: actor.userId, actorName: actor.name, action, subjectType: 'person', subjectId, details });
  }

  /** The actor as the people service's rules see them. */
  const editor = (actor: Actor): peopleAdmin.PeopleEditor => ({ userId: actor.userId, personId: actor.personId, name: actor.name, roles: actor.roles.map((r) => r.role) });

  /** The staff member the newsroom let in, if they manage people; a 403 for the others. */
  function manager(request: FastifyRequest): Actor {
    const actor = staffOf(request);
    if (!canManagePeople(actor)) throw new ForbiddenError('Only the editor-in-chief, mentors and administrators manage people and roles.');
    return actor;
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, extra: { values?: PersonFormValues; errors?: Record<string, string>; message?: string; notice?: string; invite?: { email: string; error: string } }, status = 200) {
    if (!canManagePeople(actor) && actor.personId !== id) throw new ForbiddenError('You can edit your own profile only.');
    const person = await peopleAdmin.personForEdit(app.db, editor(actor), id);
    const values: PersonFormValues = extra.values ?? {
      name: person.name,
      birthDate: person.birth_date ?? '',
      birthplace: person.birthplace ?? '',
      showBirthplace: person.show_birthplace === 1,
      locations: person.locations.join('\n'),
      languages: person.languages.join(', '),
      bio: docToText(JSON.parse(person.bio_json), { markup: true }),
      photoMediaId: person.photo_media_id ?? '',
    };
    const [sections, newsrooms, pics] = await Promise.all([opts.articles.sections(), repo.listNewsroomsForPicker(app.db), pictures()]);
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
  async function change(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, actor: Actor, run: () => Promise<void>, done: string) {
    try {
      await run();
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 403 && err.status !== 404) return editPage(request, reply, actor, request.params.id, { message: err.message }, 422);
      throw err;
    }
    await opts.contentChanged();
    return reply.redirect(`/newsroom/people/${request.params.id}?done=${done}`, 303);
  }

  app.get('/newsroom/people', async (request, reply) => {
    const actor = manager(request);
    return sendHtml(reply, PeopleAdminPage({ ctx: await opts.pageContext(request, '/newsroom/people'), people: await peopleAdmin.listPeopleAdmin(app.db, editor(actor)) }));
  });

  app.get('/newsroom/people/new', async (request, reply) => {
    manager(request);
    const values: PersonFormValues = { name: '', birthDate: '', birthplace: '', showBirthplace: false, locations: '', languages: '', bio: '', photoMediaId: '' };
    return sendHtml(reply, NewPersonPage({ ctx: await opts.pageContext(request, '/newsroom/people/new'), csrf: csrfToken(reply), values, errors: {}, pictures: await pictures() }));
  });

  app.post<{ Body: Body }>('/newsroom/people', csrf, async (request, reply) => {
    const actor = manager(request);
    const { values, errors, fields } = readPerson(request.body);
    if (!fields) return sendHtml(reply, NewPersonPage({ ctx: await opts.pageContext(request, '/newsroom/people/new'), csrf: csrfToken(reply), values, errors, pictures: await pictures() }), 422);
    const { id } = await peopleAdmin.createPerson(app.db, editor(actor), fields);
    await audit(actor, 'person.created', id, { name: fields.name });
    await opts.contentChanged();
    return reply.redirect(`/newsroom/people/${id}?done=created`, 303);
  });

  const notices: Record<string, string> = { created: 'Person added.', saved: 'Saved.', role: 'Roles updated.', roleDeleted: 'The role is deleted.', newsroom: 'Newsrooms updated.', account: 'Account link updated.', invited: 'The invitation is on its way: the link in it works once, for seven days.' };

  app.get<{ Params: { id: string }; Querystring: Body }>('/newsroom/people/:id', async (request, reply) => {
    const actor = staffOf(request);
    if (!ID.test(request.params.id)) return reply.callNotFound();
    return editPage(request, reply, actor, request.params.id, { ...(notices[request.query.done ?? ''] ? { notice: notices[request.query.done ?? '']! } : {}) });
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/people/:id', csrf, async (request, reply) => {
    const actor = staffOf(request);
    if (!ID.test(request.params.id)) return reply.callNotFound();
    if (!canManagePeople(actor) && actor.personId !== request.params.id) throw new ForbiddenError('You can edit your own profile only.');
    const { values, errors, fields } = readPerson(request.body);
    if (!fields) return editPage(request, reply, actor, request.params.id, { values, errors }, 422);
    return change(request, reply, actor, () => peopleAdmin.updatePerson(app.db, editor(actor), request.params.id, fields), 'saved');
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/people/:id/roles', csrf, async (request, reply) => {
    const actor = manager(request);
    const b = request.body;
    const role = b.role as RoleName;
    return change(request, reply, actor, async () => {
      if (!ROLE_NAMES.includes(role)) throw new AppError(400, 'bad_role', 'Choose a role from the list.');
      if (!DATE.test(b.startsOn ?? '')) throw new AppError(400, 'bad_date', 'Choose the day the role starts.');
      const sectionId = ID.test(b.sectionId ?? '') ? b.sectionId! : null;
      await peopleAdmin.addRole(app.db, editor(actor), request.params.id, { role, sectionId, newsroomId: null, startsOn: b.startsOn!, endsOn: null, promotion: b.promotion === '1' });
    }, 'role');
  });

  app.post<{ Params: { id: string; roleId: string }; Body: Body }>('/newsroom/people/:id/roles/:roleId', csrf, async (request, reply) => {
    const actor = manager(request);
    const b = request.body;
    return change(request, reply, actor, async () => {
      if (!DATE.test(b.startsOn ?? '') || (b.endsOn && !DATE.test(b.endsOn))) throw new AppError(400, 'bad_date', 'Dates are written YYYY-MM-DD.');
      await peopleAdmin.setRoleDates(app.db, editor(actor), request.params.id, request.params.roleId, b.startsOn!, b.endsOn || null);
    }, 'role');
  });

  // Deleting a role entered by mistake asks first: the page says what goes and how to end a role instead.
  app.get<{ Params: { id: string; roleId: string } }>('/newsroom/people/:id/roles/:roleId/delete', async (request, reply) => {
    const actor = manager(request);
    if (!ID.test(request.params.id) || !ID.test(request.params.roleId)) return reply.callNotFound();
    const role = await peopleAdmin.roleForDeletion(app.db, editor(actor), request.params.id, request.params.roleId);
    return sendHtml(reply, DeleteRolePage({ ctx: await opts.pageContext(request, `/newsroom/people/${request.params.id}`), csrf: csrfToken(reply), personId: request.params.id, role }));
  });

  app.post<{ Params: { id: string; roleId: string }; Body: Body }>('/newsroom/people/:id/roles/:roleId/delete', csrf, async (request, reply) => {
    const actor = manager(request);
    if (!ID.test(request.params.id) || !ID.test(request.params.roleId)) return reply.callNotFound();
    if (request.body.confirm !== 'yes') return reply.redirect(`/newsroom/people/${request.params.id}/roles/${request.params.roleId}/delete`, 303);
    return change(request, reply, actor, () => peopleAdmin.deleteRole(app.db, editor(actor), request.params.id, request.params.roleId), 'roleDeleted');
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/people/:id/memberships', csrf, async (request, reply) => {
    const actor = manager(request);
    const b = request.body;
    return change(request, reply, actor, async () => {
      if (!ID.test(b.newsroomId ?? '') || !DATE.test(b.startsOn ?? '')) throw new AppError(400, 'bad_membership', 'Choose a newsroom and the day membership starts.');
      await peopleAdmin.addMembership(app.db, editor(actor), request.params.id, { newsroomId: b.newsroomId!, role: (b.role ?? 'member').trim().slice(0, 40) || 'member', startsOn: b.startsOn!, endsOn: null });
      await audit(actor, 'newsroom.member_added', request.params.id, { newsroomId: b.newsroomId });
    }, 'newsroom');
  });

  app.post<{ Params: { id: string; membershipId: string }; Body: Body }>('/newsroom/people/:id/memberships/:membershipId/end', csrf, async (request, reply) => {
    const actor = manager(request);
    return change(request, reply, actor, async () => {
      await peopleAdmin.endMembership(app.db, editor(actor), request.params.id, request.params.membershipId, DATE.test(request.body.endsOn ?? '') ? request.body.endsOn! : todayUtc());
      await audit(actor, 'newsroom.member_ended', request.params.id, { membershipId: request.params.membershipId });
    }, 'newsroom');
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/people/:id/account', csrf, async (request, reply) => {
    const actor = manager(request);
    const email = (request.body.email ?? '').trim();
    return change(request, reply, actor, () => peopleAdmin.linkAccount(app.db, editor(actor), request.params.id, email || null), 'account');
  });

  app.post<{ Params: { id: string }; Body: Body }>('/newsroom/people/:id/invite', csrf, async (request, reply) => {
    const actor = manager(request);
    if (!ID.test(request.params.id)) return reply.callNotFound();
    const email = (typeof request.body.email === 'string' ? request.body.email : '').trim().slice(0, 300);
    try {
      await peopleAdmin.invitePerson(app.db, site, editor(actor), request.params.id, email);
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return editPage(request, reply, actor, request.params.id, { invite: { email, error: err.message } }, 422);
      throw err;
    }
    return reply.redirect(`/newsroom/people/${request.params.id}?done=invited`, 303);
  });
}
