import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorStatus, Problem, type ErrorCode } from '@tierlink/contract';
import type { z } from 'zod';
import type { Actor } from '../actor.ts';
import { AppError } from '../errors.ts';
import { runInTransaction, runOneStatement, runRead, type AnonymousContext, type UnitOfWorkDeps, type UseCaseContext } from '../unit-of-work.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse<IncomingMessage>, FastifyBaseLogger, ZodTypeProvider>;

/** The request's actor; a request without one is refused (401). */
function signedInActor(request: FastifyRequest): Actor {
  if (request.actor === null) throw new AppError('unauthenticated', 'Sign in or send an API key.');
  return request.actor;
}

/** Runs a use case for the signed-in actor in one transaction. */
export function runAsActor<T>(deps: UnitOfWorkDeps, request: FastifyRequest, work: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
  const actor = signedInActor(request);
  if (isRead(request)) return runRead(deps, actor, (ctx) => work({ ...ctx, actor }));
  return runInTransaction(deps, actor, request.id, (ctx) => work({ ...ctx, actor }));
}

/**
 * Runs a use case for the signed-in actor whose write is one statement, its audit and outbox rows
 * included, in autocommit (`runOneStatement`): the statement is the transaction.
 */
export function runAsActorInOneStatement<T>(deps: UnitOfWorkDeps, request: FastifyRequest, work: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
  return runOneStatement(deps, signedInActor(request), request.id, work);
}

/** Runs a use case that may have no actor (sign-up, sign-in, invitation preview). */
export function runAnonymous<T>(deps: UnitOfWorkDeps, request: FastifyRequest, work: (ctx: AnonymousContext) => Promise<T>): Promise<T> {
  if (isRead(request)) return runRead(deps, request.actor, work);
  return runInTransaction(deps, request.actor, request.id, work);
}

/** GET and HEAD never change state (HTTP semantics, and the routes keep to it): no transaction. */
function isRead(request: FastifyRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

type WithProblems<T> = T & { '4xx': typeof Problem; '5xx': typeof Problem };

/** The error codes a route's use case answers, by the response object `responses` made (read by the OpenAPI transform). */
const declaredErrors = new WeakMap<object, readonly ErrorCode[]>();

export function declaredErrorsOf(response: unknown): readonly ErrorCode[] {
  return typeof response === 'object' && response !== null ? (declaredErrors.get(response) ?? []) : [];
}

/**
 * Success schemas plus problem+json. `errors` names the codes the route's use case answers beyond
 * those every route of its shape gives (validation, credentials, guard, a path id, body, races,
 * outage: added by the OpenAPI document, `errorStatusesOf` in openapi.ts). The document declares
 * exactly those statuses; `4xx`/`5xx` stay for the serializer only, so no answer goes unchecked.
 */
export function responses<T extends Record<number, z.ZodType>>(success: T, errors: readonly ErrorCode[] = []): WithProblems<T> {
  const declared: Record<number, typeof Problem> = {};
  for (const code of errors) declared[errorStatus[code]] = Problem;
  const all: WithProblems<T> = { ...declared, ...success, '4xx': Problem, '5xx': Problem };
  declaredErrors.set(all, errors);
  return all;
}

/**
 * Names the error codes of a response object built without `responses` (the compatible API's,
 * whose errors have another shape), so that the OpenAPI document lists its statuses alike.
 */
export function withDeclaredErrors<T extends object>(response: T, errors: readonly ErrorCode[]): T {
  declaredErrors.set(response, errors);
  return response;
}
