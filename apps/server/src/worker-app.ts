import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/database.ts';
import type { Logger } from './platform/logger.ts';
import { registerHealthRoutes } from './platform/http/health.ts';
import { serializerCompiler, zodSchemaController } from './platform/http/zod-compilers.ts';
import type { TaskGauge } from './platform/http/metrics.ts';
import { clientErrorHandler, errorHandler, problemOf, sendProblem } from './platform/http/problem.ts';
import type { App } from './platform/http/routes.ts';

/** Nothing is bounded here: a worker serves no requests but these probes. */
const noRequestsInFlight = { inFlight: 0, queued: 0 };

/**
 * The HTTP side of a worker process (PROCESS_ROLE=worker): /healthz, /readyz and /metrics (the
 * outbox backlog, the background tasks' gauges) for the load balancer and monitoring. No API, no
 * portal: everything else is a 404 problem.
 */
export async function buildWorkerApp(deps: { db: Database; logger: Logger; ping: () => Promise<void>; taskGauges: readonly TaskGauge[] }): Promise<App> {
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({ loggerInstance: logger, genReqId: () => randomUUID(), requestIdHeader: false, requestTimeout: 30_000, clientErrorHandler, schemaController: zodSchemaController }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problemOf('not_found', request.id, 'A worker process serves only /healthz, /readyz and /metrics.')));
  registerHealthRoutes(app, { db: deps.db, ping: deps.ping, inFlight: noRequestsInFlight, taskGauges: deps.taskGauges });
  await app.ready();
  return app;
}
