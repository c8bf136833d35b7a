import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../../db/database.ts';
import { outboxMessages } from '../../db/schema.ts';
import type { InFlightState } from './load-shedding.ts';

/** A figure a background task keeps (e.g. the last sweep's finding), exposed as a gauge. */
export interface TaskGauge {
  name: string;
  help: string;
  value(): number;
}

/**
 * Prometheus metrics at GET /metrics: request durations by route template (bounded labels, never
 * ids or tenants), requests in flight and queued, process metrics, and the outbox backlog. A registry per app instance.
 */
export function registerMetrics(app: FastifyInstance, db: Database, inFlight: InFlightState, taskGauges: readonly TaskGauge[] = []): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'tierlink_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'tierlink_outbox_messages',
    help: 'Outbox messages by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const rows = await db
        .select({ state: outboxMessages.state, count: sql<number>`count(*)::int` })
        .from(outboxMessages)
        .groupBy(outboxMessages.state);
      this.reset();
      for (const row of rows) this.set({ state: row.state }, row.count);
    },
  });

  new Gauge({
    name: 'tierlink_http_requests_in_flight',
    help: 'Requests holding a slot of the in-flight bound (MAX_IN_FLIGHT)',
    registers: [registry],
    collect() {
      this.set(inFlight.inFlight);
    },
  });
  new Gauge({
    name: 'tierlink_http_requests_queued',
    help: 'Requests waiting for a slot of the in-flight bound',
    registers: [registry],
    collect() {
      this.set(inFlight.queued);
    },
  });

  for (const gauge of taskGauges) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      registers: [registry],
      collect() {
        this.set(gauge.value());
      },
    });
  }

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true }, config: { access: 'public', unbounded: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
