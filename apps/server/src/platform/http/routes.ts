import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Problem } from '@tierlink/contract';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { runInTransaction, runRead, type AnonymousContext, type UnitOfWorkDeps, type UseCaseContext } from '../unit-of-work.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse<IncomingMessage>, FastifyBaseLogger, ZodTypeProvider>;

/** Runs a use case for the signed-in actor in one transaction. */
export function runAsActor<T>(deps: UnitOfWorkDeps, request: FastifyRequest, work: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
  const actor = request.actor;
  if (actor === null) throw new AppError('unauthenticated', 'Sign in or send an API key.');
  if (isRead(request)) return runRead(deps, actor, (ctx) => work({ ...ctx, actor }));
  return runInTransaction(deps, actor, request.id, (ctx) => work({ ...ctx, actor }));
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

/** Success schemas plus the problem+json answers every route may give. */
export function responses<T extends Record<number, z.ZodType>>(success: T) {
  return { ...success, '4xx': Problem, '5xx': Problem } as const;
}
