import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';
import { frameworkErrorHandler, problemOf, routerProblemOf, sendProblem } from '../../platform/http/problem.ts';
import { withDeclaredErrors } from '../../platform/http/routes.ts';
import {
  isProblem,
  notSupportedCode,
  toOAuthError,
  toPartnerCenterError,
  type NotFoundResource,
} from './partner-center.errors.ts';
import { toGraphError } from './graph.errors.ts';
import { OAuthErrorBody, PcError, PcThrottle } from './partner-center.schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Compatible API: the resource a 404 of this route is about (Partner Center's code for it). */
    pcResource?: NotFoundResource;
  }
}

/** Response schemas of a compatible route: its successes, Partner Center errors, the throttling shape for 429. */
export function pcResponses<T extends Record<number, z.ZodType>>(success: T, errors: readonly ErrorCode[] = []) {
  return withDeclaredErrors({ ...success, 429: PcThrottle, '4xx': PcError, '5xx': PcError }, errors);
}

/** The token endpoint's: RFC 6749 errors, the throttling shape for 429. */
export function oauthResponses<T extends Record<number, z.ZodType>>(success: T, errors: readonly ErrorCode[] = []) {
  return withDeclaredErrors({ ...success, 429: PcThrottle, '4xx': OAuthErrorBody, '5xx': OAuthErrorBody }, errors);
}

/** `CompanyProfile` → `companyProfile`, at every depth: requests are accepted in PascalCase (SDKs) and camelCase. */
export function camelCaseKeys(value: unknown, depth = 0): unknown {
  if (depth > 16) return value;
  if (Array.isArray(value)) return value.map((v) => camelCaseKeys(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const camel = /^[A-Z]/.test(key) && !/^[A-Z0-9_]+$/.test(key) ? `${key[0]?.toLowerCase() ?? ''}${key.slice(1)}` : key;
    // A key given in both spellings keeps the first: never two values for one field.
    if (!(camel in out)) out[camel] = camelCaseKeys(item, depth + 1);
  }
  return out;
}

type ErrorShape = 'partner_center' | 'oauth' | 'graph';

/**
 * Hooks of the compatible API's scopes: errors (the app's problem+json, from any hook, handler or
 * the framework) leave in Partner Center's shape (or RFC 6749's on the token endpoint) with the
 * native code in `Tierlink-Error-Code`; MS-RequestId and MS-CorrelationId are echoed (made up
 * when missing, as Partner Center does).
 */
export function registerCompatibleHooks(scope: FastifyInstance, shape: ErrorShape): void {
  if (shape === 'partner_center') {
    scope.addHook('preValidation', async (request) => {
      if (request.body !== undefined && request.body !== null) request.body = camelCaseKeys(request.body);
    });
  }
  scope.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!isProblem(payload)) return payload;
    reply.type('application/json; charset=utf-8').header('Tierlink-Error-Code', payload.code);
    const retryAfter = Number(reply.getHeader('retry-after'));
    const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
    if (payload.status === 429 && wait === null) reply.header('Retry-After', '1');
    if (shape === 'oauth' && payload.status !== 429) return toOAuthError(payload);
    if (shape === 'graph' && payload.status !== 429) return toGraphError(payload);
    return toPartnerCenterError(payload, wait, request.routeOptions.config.pcResource);
  });
  scope.addHook('onSend', async (request, reply) => {
    if (shape === 'graph') {
      // Graph echoes the caller's client-request-id (its request-id is the app's Request-Id).
      const clientRequestId = request.headers['client-request-id'];
      if (typeof clientRequestId === 'string' && clientRequestId !== '') reply.header('client-request-id', clientRequestId);
      return;
    }
    const requestId = request.headers['ms-requestid'];
    const correlationId = request.headers['ms-correlationid'];
    reply.header('MS-RequestId', typeof requestId === 'string' && requestId !== '' ? requestId : randomUUID());
    reply.header('MS-CorrelationId', typeof correlationId === 'string' && correlationId !== '' ? correlationId : randomUUID());
  });
}

export interface BearerResolver {
  fromApiKey(secret: string): Promise<Actor | null>;
  fromAccessToken(token: string): Promise<Actor | null>;
}

/**
 * The compatible API's credentials: `Authorization: Bearer` with an API key or an access token
 * from /oauth2/token. Session cookies are never read here: the compatible API serves app-only
 * callers, as Partner Center's app-only mode. A missing header is left to the route guard (401).
 */
export function registerBearerAuthentication(scope: FastifyInstance, resolver: BearerResolver): void {
  scope.addHook('onRequest', async (request, reply) => {
    const authorization = request.headers.authorization;
    if (authorization === undefined) return;
    const token = /^Bearer ([A-Za-z0-9_.-]{10,2000})$/.exec(authorization)?.[1];
    const actor = token === undefined ? null : token.startsWith('tl_') ? await resolver.fromApiKey(token) : await resolver.fromAccessToken(token);
    if (actor === null) {
      reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return sendProblem(reply, problemOf('unauthenticated', request.id, 'The bearer token is not valid or has expired.'));
    }
    request.actor = actor;
    request.authMethod = 'api_key';
  });
}

/** Partner Center operations Tierlink does not offer, and why (docs/partner-center-api.md). */
const notSupported: readonly NotSupported[] = [
  {
    method: 'POST',
    path: /^\/v1\/customers\/?$/,
    why: 'Creating a customer tenant is not supported: in Tierlink a reseller relationship begins when the customer\'s admin accepts an invitation (POST /v1/customers/relationshiprequests) or by the operator\'s import.',
  },
  {
    method: 'GET',
    path: /^\/v1\/customers\/relationshiprequests\/?$/,
    why: 'Tierlink\'s relationship request links are single-use and bound to the invitee: POST /v1/customers/relationshiprequests with the invitee\'s Email returns one.',
  },
  { method: 'PATCH', path: /^\/v1\/customers\/[^/]+\/users\/[^/]+\/?$/, why: 'Updating a customer\'s user through delegated admin is not supported; POST /api/v1/customers/{id}/users/{uid}/password-reset resets a password.' },
  {
    method: 'GET',
    path: /^\/v1\/customers\/[^/]+\/directoryroles/,
    why: 'Listing a customer\'s directory roles and their members is not supported; GET /v1/customers/{id}/users/{uid}/directoryroles lists one user\'s.',
  },
  {
    method: 'POST',
    path: /^\/v1\/customers\/[^/]+\/directoryroles\//,
    why: 'Assigning directory roles through delegated admin is not supported: the user_admin role is Entra\'s User Administrator, which may remove users who hold no admin role but never assigns directory roles.',
  },
  { method: 'GET', path: /^\/v1\/customers\/[^/]+\/orders\/[^/]+\/provisioningstatus/, why: 'Orders complete in one step; there is no provisioning status.' },
  { method: 'DELETE', path: /^\/v1\/customers\/[^/]+\/?$/, why: 'Deleting customer tenants is not supported.' },
];

export interface NotSupported {
  method: string;
  path: RegExp;
  why: string;
}

/**
 * A scope's catch-all: unknown paths answer 404 in the scope's error shape (a route of the scope,
 * since the portal's own catch-all would otherwise answer GETs); a known operation Tierlink lacks
 * answers 501 with `body(why)`.
 */
export function registerCatchAll(scope: FastifyInstance, unsupported: readonly NotSupported[], body: (why: string) => unknown): void {
  // No access entry: these answer nothing but refusals, so they stay out of the route table and the docs.
  scope.all('/*', { schema: { hide: true } }, catchAllAnswer(unsupported, body));
}

function catchAllAnswer(unsupported: readonly NotSupported[], body: (why: string) => unknown) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    const found = unsupported.find((n) => n.method === request.method && n.path.test(path));
    if (found === undefined) return sendProblem(reply, problemOf('not_found', request.id, 'No such route.'));
    return reply.code(501).header('Tierlink-Error-Code', 'not_supported').type('application/json; charset=utf-8').send(body(found.why));
  };
}

/** Unknown /v1 paths, and Partner Center operations Tierlink lacks (501 with the reason). */
export function registerNotFound(scope: FastifyInstance): void {
  const body = (why: string) => ({ code: notSupportedCode, description: why, data: [], source: 'PartnerFD' });
  registerCatchAll(scope, notSupported, body);
  // Would otherwise be read as GET /customers/{id} with an id that is no uuid.
  scope.get('/customers/relationshiprequests', { schema: { hide: true } }, catchAllAnswer(notSupported, body));
}

/**
 * The router's refusals (a path that is not UTF-8, a segment too long) come before any route or
 * hook: on the compatible API's paths they are answered in its shape here, the rest as usual.
 */
export function compatibleFrameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = routerProblemOf(error, request.id);
  const oauth = request.url.startsWith('/oauth2/');
  const graph = request.url.startsWith('/v1.0/');
  if (problem === null || (!request.url.startsWith('/v1/') && !oauth && !graph)) return frameworkErrorHandler(error, request, reply);
  return reply
    .header('Request-Id', request.id)
    .header('Cache-Control', 'no-store')
    .header('Tierlink-Error-Code', problem.code)
    .code(problem.status)
    .type('application/json; charset=utf-8')
    .send(oauth ? toOAuthError(problem) : graph ? toGraphError(problem) : toPartnerCenterError(problem, null));
}
