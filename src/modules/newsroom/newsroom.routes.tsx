// The newsroom's article desk: the dashboard, the list of articles, the editor
// (with its autosave, the workflow moves and comments), previews, revisions and
// their comparison, the editor's pick, the writing rules and the audit log.
// The people desk is declared here too, in the same guarded scope.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ArticleStatus, RoleName } from '../../db/schema.js';
import { zonedToUtc } from '../../lib/dates.js';
import { diffWords } from '../../lib/diff.js';
import { docToText, textToDoc } from '../../lib/plain-text.js';
import { parseDoc, parseRichDoc, type RichNode } from '../../lib/rich-text.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../web/errors.js';
import { sendHtml, wantsJson } from '../../web/http.js';
import { field, fieldErrors, idParams, isId, one, page, pathId, noticeQuery } from '../../web/schemas.js';
import { zodRoutes } from '../../web/zod.js';
import { htmlOf } from '../../web/view.js';
import type { PageContext, ViewerKind } from '../../web/page-context.js';
import { csrfToken } from '../../web/viewer.js';
import { ArticlePageView, newsArticleJsonLd, type ArticlesService } from '../articles/index.js';
import { pictureUrl, picturesByIds } from '../media/index.js';
import { RegistrationWall, wallPreview } from '../reading/index.js';
import { articleInputSchema, withPickedPeople } from './article-input.js';
import { peopleLookups } from '../people/index.js';
import { ConsentRefusalPage, GuardianConsentRequired } from '../consent/index.js';
import { removesOwnAccess, SaveRefusedError, STATUS_LABELS, type NewsroomService } from './newsroom.service.js';
import { WritingRulesPage } from './views/writing-rules-page.js';
import {
  canChooseEditorsPick,
  canEdit,
  canEditCredits,
  canRecomputeAges,
  canSetWritingRules,
  movesFor,
  requireStaff,
  staffOf,
  staffRoleNames,
  type Actor,
} from '../access/index.js';
import { ArticleListPage, AuditPage, DashboardPage, NewArticlePage } from './views/desk-pages.js';
import { EditorPage, SITE_ZONE, type EditorData } from './views/editor-page.js';
import { ComparePage, RevisionsPage } from './views/revisions-page.js';
import { peopleDeskRoutes } from './people-desk.routes.js';

export interface NewsroomRoutesOptions {
  desk: NewsroomService;
  articles: ArticlesService;
  pageContext: (path: string, viewer?: ViewerKind, staffRoles?: RoleName[]) => Promise<PageContext>;
  renderBodyHtml: (doc: RichNode) => Promise<string>;
  previewParagraphs: number;
}

const STATUSES = Object.keys(STATUS_LABELS) as [ArticleStatus, ...ArticleStatus[]];
/** A long article posted as a form carries its text twice (the document and its plain-text fallback): room for 10,000 words and more. */
const ARTICLE_FORM_LIMIT = 4 * 1024 * 1024;
const asList = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/** An optional filter or choice: what is not one of the offered values is no filter at all. */
const optionalId = z.string().refine(isId).optional().catch(undefined);

const NOTICES = {
  saved: 'Saved.',
  moved: 'Done: the article moved on.',
  commented: 'Comment added.',
  restored: 'The revision is restored (as a new revision).',
  picked: 'This is now the editor’s pick on the home page.',
};
/** `?done=` names what was just done; anything else shows no notice. */
const doneQuery = noticeQuery(NOTICES);

const listQuery = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  section: optionalId,
  /** A person's id: links made before the Author filter was a text field, and its choices. */
  author: optionalId,
  /** The Author filter as typed: a name or part of one. */
  by: field.transform((by) => by.trim().slice(0, 100)),
  q: field.transform((q) => q.slice(0, 100)),
  page,
});
/** How many people the Author filter offers when a name matches several. */
const AUTHOR_CHOICES = 20;
const newArticleBody = z.object({ title: field.transform((t) => t.trim()), sectionId: field });
/** The editor's form: text fields, and the people pickers' lists. */
const articleForm = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
/** The editor script's autosave: the form's fields and the version they were typed over. */
const autosaveBody = z.object({
  version: z.unknown().transform(Number),
  fields: z.record(z.string(), z.union([z.string(), z.array(z.string())])).catch({}),
});
const writingRulesBody = z.object({ minWords: field.transform((v) => v.trim()) });
/** A step of the workflow; one that does not exist is null (and the move is a 404). */
const moveBody = z.object({
  to: z.enum(STATUSES).nullable().catch(null),
  scheduledAt: field,
  note: field,
  recomputeAges: field,
});
const commentBody = z.object({ body: field, parentId: field.transform((v) => (isId(v) ? v : null)) });
const previewQuery = z.object({ as: field.transform((as): ViewerKind => (as === 'anonymous' ? 'anonymous' : 'reader')) });
/** The two revisions to compare; a missing or malformed one is null (and the page is a 404). */
const compareQuery = z.object({ a: z.string().refine(isId).nullable().catch(null), b: z.string().refine(isId).nullable().catch(null) });
const revisionParams = z.object({ id: pathId, rev: pathId });

export async function newsroomRoutes(fastify: FastifyInstance, opts: NewsroomRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  const { desk } = opts;
  const csrf = { preValidation: app.csrfProtection };
  // The people pickers send these fields once per person chosen.
  const pickers = { config: { listFields: ['authorIds', 'editorIds', 'addAuthorId', 'addEditorId'] } };
  const ctx = (request: FastifyRequest, path: string) => opts.pageContext(path, 'staff', staffRoleNames(request));

  app.addHook(
    'onRequest',
    requireStaff({ refusal: 'The newsroom is for the magazine’s writers, editors and mentors. Your account is a reader account.' }),
  );

  app.get('/newsroom', async (request, reply) => {
    const actor = staffOf(request);
    return sendHtml(reply, DashboardPage({ ctx: await ctx(request, '/newsroom'), name: actor.name, data: await desk.dashboard(actor) }));
  });

  app.get('/newsroom/articles', { schema: { querystring: listQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const { status, section, author, by, q, page } = request.query;
    // The Author filter is typed: a name that is one person's filters by them; one that
    // matches several offers them to choose from (links with their id); none says so.
    let authorId = author;
    let authorText = by;
    let authorError: string | undefined;
    let authorChoices: { id: string; name: string }[] = [];
    if (author) authorText = (await peopleLookups.personName(app.db, author)) ?? by;
    else if (by) {
      const named = await peopleLookups.peopleNamed(app.db, by, AUTHOR_CHOICES + 1);
      const exact = named.filter((p) => p.name.toLowerCase() === by.toLowerCase());
      const one = named.length === 1 ? named[0] : exact.length === 1 ? exact[0] : undefined;
      if (one) authorId = one.id;
      else if (named.length === 0) authorError = `No one’s name contains “${by}”. Check the spelling, or type part of the name.`;
      else authorChoices = named;
    }
    const filter = {
      ...(status ? { status } : {}),
      ...(section ? { sectionId: section } : {}),
      ...(authorId ? { authorId } : {}),
      ...(q ? { q } : {}),
    };
    // Until the name says who, no list: it would not be the one asked for.
    const unresolved = Boolean(authorError) || authorChoices.length > 0;
    const { rows, more } = unresolved ? { rows: [], more: false } : await desk.list(actor, filter, page);
    const sections = await opts.articles.sections();
    return sendHtml(
      reply,
      ArticleListPage({
        ctx: await ctx(request, '/newsroom/articles'),
        rows,
        filter,
        author: {
          text: authorText,
          ...(authorError ? { error: authorError } : {}),
          choices: authorChoices.slice(0, AUTHOR_CHOICES),
          moreChoices: authorChoices.length > AUTHOR_CHOICES,
        },
        sections,
        page,
        more,
      }),
    );
  });

  app.get('/newsroom/articles/new', async (request, reply) => {
    return sendHtml(
      reply,
      NewArticlePage({
        ctx: await ctx(request, '/newsroom/articles/new'),
        csrf: csrfToken(reply),
        sections: await opts.articles.sections(),
        values: {},
        errors: {},
      }),
    );
  });

  app.post('/newsroom/articles', { ...csrf, bodyLimit: ARTICLE_FORM_LIMIT, schema: { body: newArticleBody } }, async (request, reply) => {
    const actor = staffOf(request);
    const { title, sectionId } = request.body;
    const sections = await opts.articles.sections();
    const errors: Record<string, string> = {};
    if (title === '' || title.length > 200) errors.title = 'Give the article a working headline (up to 200 characters).';
    if (!sections.some((s) => s.id === sectionId)) errors.sectionId = 'Choose a section.';
    if (Object.keys(errors).length) {
      return sendHtml(
        reply,
        NewArticlePage({
          ctx: await ctx(request, '/newsroom/articles/new'),
          csrf: csrfToken(reply),
          sections,
          values: { title, sectionId },
          errors,
        }),
        422,
      );
    }
    const id = await desk.create(actor, { title, sectionId });
    return reply.redirect(`/newsroom/articles/${id}`, 303);
  });

  /** Byline ages that a corrected birth date would change, said before a republication. */
  async function ageNotes(
    actor: Actor,
    row: { id: string; published_at: string | null },
    facts: { authorIds: string[] },
    people: { id: string; name: string }[],
  ): Promise<Pick<EditorData, 'ageCorrections' | 'canRecomputeAges'>> {
    if (!row.published_at) return {};
    const corrections = await desk.ageCorrections(row.id);
    if (corrections.length === 0) return {};
    const name = (id: string) => people.find((p) => p.id === id)?.name ?? 'An author';
    return {
      ageCorrections: corrections
        .filter((c) => facts.authorIds.includes(c.personId))
        .map((c) => ({ name: name(c.personId), frozen: c.frozen, current: c.current })),
      canRecomputeAges: canRecomputeAges(actor),
    };
  }

  async function editorData(actor: Actor, id: string, overrides: Partial<EditorData> = {}): Promise<EditorData> {
    const opened = await desk.open(actor, id);
    const { row, facts } = opened;
    const [sections, newsrooms, people, pictures] = await Promise.all([
      opts.articles.sections(),
      peopleLookups.listNewsroomsForPicker(app.db),
      peopleLookups.listPeopleForPicker(app.db),
      picturesByIds(app.db, [row.hero_media_id]),
    ]);
    const body = parseDoc(row.body_json);
    const hero = row.hero_media_id ? pictures.get(row.hero_media_id) : undefined;
    // Until the queue has made the variants, the stripped master stands in.
    const thumb = hero ? pictureUrl(hero, hero.variants.find((v) => v.format === 'jpeg')?.file ?? hero.original) : null;
    return {
      row,
      values: {
        version: String(row.version),
        title: row.title,
        dek: row.dek,
        bylinePhrase: row.byline_phrase,
        sectionId: row.section_id,
        newsroomId: row.newsroom_id ?? '',
        tags: opened.tags.join(', '),
        authorIds: facts.authorIds,
        editorIds: facts.editorIds,
        heroMediaId: row.hero_media_id ?? '',
        heroCaption: row.hero_caption,
        heroAlt: row.hero_alt,
        heroCreditCreator: row.hero_credit_creator,
        heroCreditSource: row.hero_credit_source,
        access: row.access,
        previewParagraphs: row.preview_paragraphs === null ? '' : String(row.preview_paragraphs),
        bodyJson: row.body_json,
        bodyText: docToText(body, { markup: true }),
      },
      errors: {},
      sections,
      newsrooms,
      people,
      selfId: actor.personId,
      selfLockout: removesOwnAccess(
        actor,
        facts,
        facts.authorIds.filter((p) => p !== actor.personId),
      ),
      minSubmitWords: await desk.minSubmitWords(),
      canSetWritingRules: canSetWritingRules(actor),
      safeBodyHtml: row.body_html,
      heroThumb: thumb,
      canEdit: canEdit(actor, facts),
      canEditCredits: canEditCredits(actor),
      canPick: row.status === 'published' && canChooseEditorsPick(actor),
      moves: movesFor(actor, facts),
      ...(await ageNotes(actor, row, facts, people)),
      events: opened.events,
      comments: opened.comments,
      revisionsCount: opened.revisions.length,
      wordCount: row.word_count,
      ...overrides,
    };
  }

  app.get('/newsroom/articles/:id', { schema: { params: idParams, querystring: doneQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    const { done } = request.query;
    const data = await editorData(actor, request.params.id, { notice: done && NOTICES[done] });
    return sendHtml(
      reply,
      EditorPage({ ctx: await ctx(request, `/newsroom/articles/${request.params.id}`), csrf: csrfToken(reply), data }),
    );
  });

  /**
   * The editor's form: "Save", or "Submit for review" (which saves first). On any
   * failure the page comes back with everything typed, the body included.
   */
  const editorForm = { ...csrf, ...pickers, bodyLimit: ARTICLE_FORM_LIMIT, schema: { params: idParams, body: articleForm } };
  app.post('/newsroom/articles/:id', editorForm, async (request, reply) => {
    const actor = staffOf(request);
    const id = request.params.id;
    const typed = withPickedPeople(request.body);
    const parsed = articleInputSchema.safeParse(typed);
    const intent = one(typed.intent) === 'submit' ? 'submit' : 'save';
    const confirmRemoveSelf = one(typed.confirmRemoveSelf) === 'yes';
    const rerender = async (status: number, overrides: Partial<EditorData>) => {
      const base = await editorData(actor, id);
      const values: Record<string, string | string[]> = { ...base.values };
      for (const [name, value] of Object.entries(typed)) if (value !== undefined) values[name] = value;
      values.version = one(typed.version) || one(base.values.version);
      values.authorIds = asList(typed.authorIds);
      if (typed.editorIds !== undefined) values.editorIds = asList(typed.editorIds);
      // The body comes back as it was sent: the editor's document, or the typed text.
      const sentJson = one(typed.bodyJson);
      const sentDoc = sentJson ? parseRichDoc(sentJson) : null;
      if (sentDoc?.ok) {
        values.bodyJson = sentJson;
        values.bodyText = docToText(sentDoc.doc, { markup: true });
      } else if (typed.bodyText !== undefined) {
        values.bodyText = one(typed.bodyText);
        values.bodyJson = JSON.stringify(textToDoc(values.bodyText, { markup: true }));
      } else {
        values.bodyJson = base.values.bodyJson ?? '';
        values.bodyText = base.values.bodyText ?? '';
      }
      return sendHtml(
        reply,
        EditorPage({
          ctx: await ctx(request, `/newsroom/articles/${id}`),
          csrf: csrfToken(reply),
          data: { ...base, values, ...overrides },
        }),
        status,
      );
    };
    if (!parsed.success) return rerender(422, { errors: fieldErrors(parsed.error) });
    const version = Number(one(typed.version));
    try {
      if (intent === 'submit') await desk.saveAndSubmit(actor, id, parsed.data, version, one(typed.submitNote), { confirmRemoveSelf });
      else await desk.save(actor, id, parsed.data, version, 'save', { confirmRemoveSelf });
    } catch (err) {
      if (err instanceof ConflictError) return rerender(409, { conflict: true, message: err.message });
      if (err instanceof SaveRefusedError)
        return rerender(422, {
          errors: { [err.field]: err.message },
          message: intent === 'submit' ? 'Not submitted. Please correct the following:' : 'Not saved. Please correct the following:',
        });
      throw err;
    }
    return reply.redirect(`/newsroom/articles/${id}?done=${intent === 'submit' ? 'moved' : 'saved'}`, 303);
  });

  // The writing rules are the editor-in-chief's (and administrators'): a guard of their own after the newsroom's.
  const rulesSetter = {
    onRequest: requireStaff({ may: canSetWritingRules, refusal: 'The editor-in-chief sets the newsroom’s writing rules.' }),
  };

  app.get('/newsroom/writing-rules', { ...rulesSetter, schema: { querystring: doneQuery } }, async (request, reply) => {
    const minWords = String(await desk.minSubmitWords());
    return sendHtml(
      reply,
      WritingRulesPage({
        ctx: await ctx(request, '/newsroom/writing-rules'),
        csrf: csrfToken(reply),
        minWords,
        errors: {},
        saved: request.query.done === 'saved',
      }),
    );
  });

  app.post('/newsroom/writing-rules', { ...rulesSetter, ...csrf, schema: { body: writingRulesBody } }, async (request, reply) => {
    const actor = staffOf(request);
    const typed = request.body.minWords;
    const words = /^\d{1,6}$/.test(typed) ? Number(typed) : Number.NaN;
    try {
      await desk.setMinSubmitWords(actor, words);
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      return sendHtml(
        reply,
        WritingRulesPage({
          ctx: await ctx(request, '/newsroom/writing-rules'),
          csrf: csrfToken(reply),
          minWords: typed,
          errors: { minWords: err.message },
          saved: false,
        }),
        422,
      );
    }
    return reply.redirect('/newsroom/writing-rules?done=saved', 303);
  });

  /** Autosave from the editor script: JSON in, JSON out, 409 on a stale version. */
  const autosave = {
    ...csrf,
    bodyLimit: ARTICLE_FORM_LIMIT,
    config: { jsonDocument: true },
    schema: { params: idParams, body: autosaveBody },
  };
  app.post('/newsroom/articles/:id/autosave', autosave, async (request, reply) => {
    const actor = staffOf(request);
    const { version } = request.body;
    const fields = withPickedPeople(request.body.fields);
    const parsed = articleInputSchema.safeParse(fields);
    if (!parsed.success) {
      return reply
        .code(422)
        .type('application/problem+json')
        .send({
          type: 'about:blank',
          title: 'Not saved',
          status: 422,
          detail: Object.values(fieldErrors(parsed.error))[0] ?? 'Some fields are not valid.',
          errors: fieldErrors(parsed.error),
        });
    }
    try {
      return reply.header('cache-control', 'no-store').send(
        await desk.save(actor, request.params.id, parsed.data, version, 'autosave', {
          confirmRemoveSelf: one(fields.confirmRemoveSelf) === 'yes',
        }),
      );
    } catch (err) {
      if (err instanceof ConflictError) {
        const current = (err as ConflictError & { currentVersion?: number }).currentVersion;
        return reply.code(409).type('application/problem+json').send({
          type: 'about:blank',
          title: 'Someone else saved a newer version',
          status: 409,
          detail: err.message,
          code: err.code,
          currentVersion: current,
        });
      }
      if (err instanceof SaveRefusedError) {
        return reply
          .code(422)
          .type('application/problem+json')
          .send({
            type: 'about:blank',
            title: 'Not saved',
            status: 422,
            detail: err.message,
            code: err.code,
            errors: { [err.field]: err.message },
          });
      }
      throw err;
    }
  });

  app.post('/newsroom/articles/:id/move', { ...csrf, schema: { params: idParams, body: moveBody } }, async (request, reply) => {
    const actor = staffOf(request);
    const { to, scheduledAt: local, note, recomputeAges } = request.body;
    if (!to) throw new NotFoundError('There is no such step in the workflow.');
    let scheduledAt: string | undefined;
    if (to === 'scheduled' && local) {
      try {
        scheduledAt = zonedToUtc(local, SITE_ZONE).toISOString();
      } catch {
        scheduledAt = undefined;
      }
    }
    try {
      await desk.move(actor, request.params.id, to, note, scheduledAt, { recomputeAges: to === 'published' && recomputeAges === '1' });
    } catch (err) {
      // Refused for want of a guardian's consent: the page names the writers and links to their consent pages.
      if (!(err instanceof GuardianConsentRequired) || wantsJson(request)) throw err;
      const page = ConsentRefusalPage({
        ctx: await ctx(request, '/newsroom/articles'),
        articleId: request.params.id,
        step: err.step,
        message: err.message,
        writers: err.writers,
      });
      return sendHtml(reply, page, err.status);
    }
    return reply.redirect(`/newsroom/articles/${request.params.id}?done=moved`, 303);
  });

  app.post('/newsroom/articles/:id/comments', { ...csrf, schema: { params: idParams, body: commentBody } }, async (request, reply) => {
    const actor = staffOf(request);
    const { body, parentId } = request.body;
    await desk.comment(actor, request.params.id, body, parentId);
    return reply.redirect(`/newsroom/articles/${request.params.id}?done=commented#comments-heading`, 303);
  });

  app.get('/newsroom/articles/:id/preview', { schema: { params: idParams, querystring: previewQuery } }, async (request, reply) => {
    const actor = staffOf(request);
    await desk.open(actor, request.params.id);
    const article = await opts.articles.forPreview(request.params.id);
    if (!article) throw new NotFoundError();
    const { as } = request.query;
    const page = await opts.pageContext(`/articles/${article.slug}`, as);
    const gated = as === 'anonymous' && article.access === 'registered';
    const view = gated
      ? {
          safeBodyHtml: await opts.renderBodyHtml(wallPreview(article, opts.previewParagraphs)),
          after: RegistrationWall({ slug: article.slug, articleId: article.id, siteName: app.config.siteName }),
          jsonLd: newsArticleJsonLd(page, article, null, '.article__gated'),
          preview: true,
        }
      : { safeBodyHtml: article.safeBodyHtml, jsonLd: newsArticleJsonLd(page, article, docToText(article.body), null), preview: true };
    const html = htmlOf(ArticlePageView({ ctx: page, article, view }))
      .replace(
        '<main id="main" tabindex="-1">',
        `<main id="main" tabindex="-1"><p class="notice notice--info preview-banner">Preview as ${as === 'anonymous' ? 'a visitor who is not signed in' : 'a signed-in reader'}. <a href="/newsroom/articles/${article.id}">Back to the editor</a></p>`,
      )
      .replace(/<!--slot:[^>]*-->/g, '');
    return sendHtml(reply, html);
  });

  app.get('/newsroom/articles/:id/revisions', { schema: { params: idParams } }, async (request, reply) => {
    const actor = staffOf(request);
    const opened = await desk.open(actor, request.params.id);
    return sendHtml(
      reply,
      RevisionsPage({
        ctx: await ctx(request, `/newsroom/articles/${request.params.id}/revisions`),
        articleId: request.params.id,
        title: opened.row.title,
        revisions: opened.revisions,
        csrf: csrfToken(reply),
        canRestore: canEdit(actor, opened.facts),
      }),
    );
  });

  app.get(
    '/newsroom/articles/:id/revisions/compare',
    { schema: { params: idParams, querystring: compareQuery } },
    async (request, reply) => {
      const actor = staffOf(request);
      const { a, b } = request.query;
      if (!a || !b) throw new NotFoundError('Choose two revisions to compare.');
      let [older, newer] = await Promise.all([desk.revision(actor, request.params.id, a), desk.revision(actor, request.params.id, b)]);
      if (older.created_at > newer.created_at) [older, newer] = [newer, older];
      const text = (json: string) => docToText(parseDoc(json));
      const fields = [
        { label: 'Headline', parts: diffWords(older.title, newer.title) },
        { label: 'Standfirst', parts: diffWords(older.dek, newer.dek) },
        { label: 'Body', parts: diffWords(text(older.body_json), text(newer.body_json)) },
      ];
      return sendHtml(
        reply,
        ComparePage({
          ctx: await ctx(request, `/newsroom/articles/${request.params.id}/revisions/compare`),
          articleId: request.params.id,
          older,
          newer,
          fields,
        }),
      );
    },
  );

  app.post('/newsroom/articles/:id/revisions/:rev/restore', { ...csrf, schema: { params: revisionParams } }, async (request, reply) => {
    const actor = staffOf(request);
    await desk.restore(actor, request.params.id, request.params.rev);
    return reply.redirect(`/newsroom/articles/${request.params.id}?done=restored`, 303);
  });

  await peopleDeskRoutes(app, { articles: opts.articles, pageContext: ctx, contentChanged: () => app.contentVersion.bump() });

  app.post('/newsroom/articles/:id/pick', { ...csrf, schema: { params: idParams } }, async (request, reply) => {
    const actor = staffOf(request);
    await desk.chooseEditorsPick(actor, request.params.id);
    return reply.redirect(`/newsroom/articles/${request.params.id}?done=picked`, 303);
  });

  app.get('/newsroom/audit', { schema: { querystring: z.object({ page }) } }, async (request, reply) => {
    const { page } = request.query;
    const { rows, names, pagination } = await desk.auditLog(staffOf(request), page);
    return sendHtml(reply, AuditPage({ ctx: await ctx(request, '/newsroom/audit'), rows, names, page, pages: pagination.pages }));
  });
}
