import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import type { InFlightState } from './load-shedding.ts';
import { registerMetrics, type TaskGauge } from './metrics.ts';
import { problemOf, sendProblem } from './problem.ts';
import type { App } from './routes.ts';

export interface HealthDeps {
  db: Database;
  /** The readiness check (`DatabaseHandle.ping`, which never waits behind requests); without it /readyz runs `select 1` on `db`. */
  ping?: () => Promise<void>;
  inFlight: InFlightState;
  taskGauges?: readonly TaskGauge[];
}

/**
 * /healthz (the process answers), /readyz (its database answers) and /metrics, which every process
 * role serves. They never wait behind work: outside the in-flight bound.
 */
export function registerHealthRoutes(app: App, deps: HealthDeps): void {
  app.get('/healthz', { schema: { hide: true }, config: { access: 'public', unbounded: true } }, () => ({ status: 'ok' }));
  registerMetrics(app, deps.db, deps.inFlight, deps.taskGauges);
  app.get(
    '/readyz',
    // No response schema, as /healthz: the answer goes through JSON.stringify, not a compiled
    // serializer, whose first use requires fast-json-stringify (a restart's first /readyz would
    // wait for that).
    { schema: { hide: true }, config: { access: 'public', unbounded: true } },
    async (request, reply) => {
      try {
        await (deps.ping === undefined ? deps.db.execute(sql`select 1`) : deps.ping());
        return { status: 'ready' };
      } catch {
        return sendProblem(reply, problemOf('service_unavailable', request.id, 'The database is not reachable.'));
      }
    },
  );
}
