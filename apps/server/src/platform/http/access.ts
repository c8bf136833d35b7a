import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission, type RouteAccess } from '@tierlink/contract';
import type { Actor } from '../actor.ts';
import { problemOf, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every /api route names its guard; the app refuses to start with one missing. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    authMethod: 'session' | 'api_key' | null;
    /** The portal's origin as this request reached it (see `AccessOptions.anyLoopbackName`); '' outside /api. */
    portalOrigin: string;
  }
}

export interface ActorResolver {
  fromSession(token: string): Promise<Actor | null>;
  fromApiKey(secret: string): Promise<Actor | null>;
  /** Extra per-actor gates (forced password change, MFA, verification), checked after the route guard. */
  gate?(actor: Actor, request: FastifyRequest, access: RouteAccess): ReturnType<typeof problemOf> | null;
}

export interface AccessOptions {
  resolver: ActorResolver;
  publicUrl: string;
  /**
   * PUBLIC_URL was not set: the portal may also be opened on this machine under any loopback name
   * (localhost, 127.0.0.1, [::1]) at the address the request was sent to.
   */
  anyLoopbackName?: boolean;
  cookieName: string;
  /** Test only (AUTHZ-09); the runtime never passes one. See `GuardSwitch`. */
  guardSwitch?: GuardSwitch;
}

/**
 * Test only (AUTHZ-09, "test the tests"): while `disabled` names a route ("METHOD /path", spelled
 * as in the OpenAPI document), that route's guard is skipped — no actor required, no gate, no
 * permission check — so a test can show that its suites notice the missing guard. Only code that
 * builds the app can pass one (`buildApp`'s `guardSwitch`); no configuration or environment
 * variable reaches it, and the runtime (`runtime.ts`) never does.
 */
export interface GuardSwitch {
  disabled: string | null;
}

/** The OpenAPI spelling of a route template: `/customers/:id` → `/customers/{id}`. */
const documentPath = (url: string) => url.replaceAll(/:([A-Za-z0-9_]+)/g, '{$1}');

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a browser's `Origin` is the portal's. With `anyLoopbackName`, also a loopback origin whose
 * host is the `Host` the request was sent to: a page served elsewhere (or a DNS-rebound name) has
 * another hostname, so it stays refused.
 */
export function isPortalOrigin(origin: string | undefined, host: string | undefined, publicOrigin: string, anyLoopbackName: boolean): boolean {
  if (origin === publicOrigin) return true;
  if (!anyLoopbackName || origin === undefined || host === undefined) return false;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && loopbackNames.has(url.hostname) && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** The addresses a person should open, for messages that refuse another origin. */
export function portalAddresses(publicOrigin: string, anyLoopbackName: boolean): string {
  if (!anyLoopbackName) return publicOrigin;
  const port = new URL(publicOrigin).port;
  return ['localhost', '127.0.0.1'].map((name) => `http://${name}${port === '' ? '' : `:${port}`}`).join(' or ');
}

/** One registered route and its guard; `path` is spelled as in the OpenAPI document (`{id}`). */
export interface RouteAccessEntry {
  readonly method: string;
  readonly path: string;
  readonly access: RouteAccess;
}

/** Filled by the onRoute hook below; keyed by the app instance so that several apps stay apart. */
const routeTables = new WeakMap<object, RouteAccessEntry[]>();

/**
 * Every route that declares a guard, in registration order, exactly as the access hook will
 * enforce it: the source for the authorization matrix test and the generated permissions document.
 */
export function routeAccessOf(app: FastifyInstance): readonly RouteAccessEntry[] {
  const table = routeTables.get(app);
  if (table === undefined) throw new Error('The app was built without registerAccessControl');
  return table;
}

export function registerAccessControl(app: FastifyInstance, options: AccessOptions): void {
  const publicOrigin = new URL(options.publicUrl).origin;
  const anyLoopbackName = options.anyLoopbackName ?? false;
  const mismatch = `Open Tierlink at ${portalAddresses(publicOrigin, anyLoopbackName)}: requests with a session, sign-in and sign-up must come from the portal's own address.`;

  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);
  app.decorateRequest('portalOrigin', '');

  const table: RouteAccessEntry[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (route.url.startsWith('/api/v1') && access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} has no access entry`);
    }
    if (access === undefined) return;
    const path = documentPath(route.url);
    for (const method of [route.method].flat()) table.push({ method, path, access });
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const sameHost = `http://${(request.headers.host ?? '').toLowerCase()}`;
    request.portalOrigin = isPortalOrigin(sameHost, request.headers.host, publicOrigin, anyLoopbackName) ? sameHost : publicOrigin;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(authorization);
      const actor = match?.[1] !== undefined ? await options.resolver.fromApiKey(match[1]) : null;
      if (actor === null) return deny(reply, request, 'unauthenticated', 'The API key is not valid.');
      request.actor = actor;
      request.authMethod = 'api_key';
      return;
    }
    const cookie = request.cookies[options.cookieName];
    const unsafe = !safeMethods.has(request.method);
    // Cookie-authenticated writes, and sign-in/sign-up from a browser, must come from our own origin.
    if (unsafe && (cookie !== undefined || request.headers.origin !== undefined) && !isPortalOrigin(request.headers.origin, request.headers.host, publicOrigin, anyLoopbackName)) {
      return deny(reply, request, 'csrf_origin_mismatch', mismatch);
    }
    if (cookie !== undefined) {
      const actor = await options.resolver.fromSession(cookie);
      if (actor !== null) {
        request.actor = actor;
        request.authMethod = 'session';
      }
    }
  });

  app.addHook('preValidation', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    const switched = options.guardSwitch?.disabled;
    if (switched !== undefined && switched !== null && switched === `${request.method} ${documentPath(request.routeOptions.url ?? '')}`) return;
    const actor = request.actor;
    if (actor === null) return deny(reply, request, 'unauthenticated', 'Sign in or send an API key.');
    const gated = options.resolver.gate?.(actor, request, access) ?? null;
    if (gated !== null) return sendProblem(reply, gated);
    if (access === 'authenticated') return;
    if (!hasPermission({ roles: actor.roles, organizationKind: actor.organizationKind, approvedPrograms: actor.approvedPrograms }, access)) {
      return deny(reply, request, 'forbidden', 'Your role does not allow this.');
    }
  });
}

function deny(reply: FastifyReply, request: FastifyRequest, code: 'unauthenticated' | 'forbidden' | 'csrf_origin_mismatch', detail: string): FastifyReply {
  return sendProblem(reply, problemOf(code, request.id, detail));
}
