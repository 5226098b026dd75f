// The actor of each request and the hooks that guard routes. The actor (a staff
// member with the roles they hold today) is loaded at most once per request and
// only when something asks. A guard runs as the request arrives (an onRequest
// hook: before its body is read, checked or validated), sends visitors to sign in
// (or answers 401 to a script) and refuses with a 403 those its rule leaves out,
// so a handler only ever sees someone allowed in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoleName } from '../../db/schema.js';
import { AppError, ForbiddenError } from '../../web/errors.js';
import { wantsJson } from '../../web/http.js';
import type { Viewer } from '../../web/viewer.js';
import { canWrite, type Actor, type HeldRole } from './rules.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A fingerprinted file served from a guarded plugin: no guard applies to it. */
    publicAsset?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in staff member with today's roles (null for readers and visitors); loaded once per request. */
    actor(): Promise<Actor | null>;
  }
}

export interface AccessOptions {
  /** The roles a person holds today, from the people module. */
  rolesOf(personId: string): Promise<HeldRole[]>;
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

const actors = new WeakMap<FastifyRequest, Promise<Actor | null>>();
const admitted = new WeakMap<FastifyRequest, Actor>();
const readers = new WeakMap<FastifyRequest, Viewer>();

export function registerAccess(app: FastifyInstance, options: AccessOptions): void {
  app.decorateRequest('actor', function actor(this: FastifyRequest): Promise<Actor | null> {
    let loaded = actors.get(this);
    if (!loaded) {
      loaded = loadActor(this.viewer, options);
      actors.set(this, loaded);
    }
    return loaded;
  });
}

async function loadActor(viewer: Viewer | null, options: AccessOptions): Promise<Actor | null> {
  if (!viewer?.staff) return null;
  const roles = await options.rolesOf(viewer.staff.personId);
  return { userId: viewer.userId, personId: viewer.staff.personId, name: viewer.staff.name, roles };
}

export interface SignInOptions {
  /** Where sign-in leads back after a form post; pages (and, without it, posts) come back to their own address. */
  home?: string;
  /** The 401's message for a script that is not signed in. */
  signIn?: string;
  /** Where sign-in leads back, when the route knows better than its own address. */
  next?: (request: FastifyRequest) => string;
}

export interface StaffGuardOptions extends SignInOptions {
  /** Who gets through (every staff member when left out). */
  may?: (actor: Actor) => boolean;
  /** The 403's message for someone signed in whom the rule leaves out. */
  refusal: string;
  code?: string;
}

function sendToSignIn(request: FastifyRequest, reply: FastifyReply, options: SignInOptions): FastifyReply {
  if (wantsJson(request)) throw new AppError(401, 'sign_in_required', options.signIn ?? 'Please sign in again.', 'Sign in required');
  const next = options.next?.(request) ?? (request.method === 'GET' || !options.home ? request.url : options.home);
  return reply.redirect(`/account/sign-in?next=${encodeURIComponent(next)}`, 303);
}

/** A guard for staff pages: visitors sign in, people the rule leaves out get a 403. */
export function requireStaff(options: StaffGuardOptions): Guard {
  const may = options.may ?? canWrite;
  return async (request, reply) => {
    if (request.routeOptions.config.publicAsset) return undefined;
    if (!request.viewer) return sendToSignIn(request, reply, options);
    const actor = await request.actor();
    if (!actor || !may(actor)) throw new ForbiddenError(options.refusal, options.code);
    admitted.set(request, actor);
    return undefined;
  };
}

/** A guard for a signed-in reader's pages: visitors are sent to sign in. */
export function requireReader(options: SignInOptions = {}): Guard {
  return async (request, reply) => {
    if (!request.viewer) return sendToSignIn(request, reply, options);
    readers.set(request, request.viewer);
    return undefined;
  };
}

/** The actor a staff guard let through; a route without the guard fails loudly instead of acting for nobody. */
export function staffOf(request: FastifyRequest): Actor {
  const actor = admitted.get(request);
  if (!actor) throw new Error(`${request.routeOptions.url ?? request.url} has no staff guard`);
  return actor;
}

/** The role names of the staff member a guard let through: what the newsroom's tabs are chosen by. */
export function staffRoleNames(request: FastifyRequest): RoleName[] {
  return staffOf(request).roles.map((r) => r.role);
}

/** The signed-in viewer a reader guard let through. */
export function readerOf(request: FastifyRequest): Viewer {
  const viewer = readers.get(request);
  if (!viewer) throw new Error(`${request.routeOptions.url ?? request.url} has no reader guard`);
  return viewer;
}
