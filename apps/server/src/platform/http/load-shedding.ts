import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isApiUrl, problemOf, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Health, readiness and metrics: answered however full the in-flight bound is, and not counted in it. */
    unbounded?: boolean;
  }
}

/** How much work the server takes on at once (see docs/deployment.md, "Overload"). */
export interface InFlightLimit {
  /** Requests worked on at once. */
  maxInFlight: number;
  /** Requests that may wait for a slot once all are taken; beyond them a request is refused at once. */
  maxQueued: number;
  /** How long a waiting request may wait for a slot before it is refused. */
  queueMs: number;
  /** What the refusal's Retry-After says, in seconds. */
  retryAfterSeconds: number;
}

/**
 * One request per pool connection: more would only wait in the pool's own queue, and on the bench
 * (docs/scale.md, "Overload") twice as many doubled the answers' latency for no more throughput.
 */
export const inFlightPerPoolConnection = 1;
/**
 * A request beyond the bound waits this long for a slot (newest served first), then gets its 503.
 * Refused at once, a client that ignores Retry-After (autocannon; a retry loop) comes straight
 * back, and answering those refusals took half the server's CPU from the admitted requests.
 */
export const queueMsDefault = 500;

/** Waiting requests: each holds only its connection, which is open anyway until it is answered. */
export const maxQueuedDefault = 1000;

export function defaultInFlightLimit(poolSize: number): InFlightLimit {
  const maxInFlight = poolSize * inFlightPerPoolConnection;
  return { maxInFlight, maxQueued: maxQueuedDefault, queueMs: queueMsDefault, retryAfterSeconds: 1 };
}

/** What the bound holds right now (for tests and metrics). */
export interface InFlightState {
  readonly inFlight: number;
  readonly queued: number;
}

/**
 * Bounds the requests in flight. Registered before every other onRequest hook, so that a refused
 * request does no work at all (no API key lookup, no body read). A slot is taken in `onRequest`
 * and given back when the response closes: sent, or its connection gone (an abort, a timeout);
 * errors end in a sent problem, so every way out passes there exactly once. A freed slot goes to
 * the newest queued request, if any; a request queued for `queueMs` is refused. Routes with
 * `config.unbounded`, and everything outside `/api/` (the portal's files), are never counted.
 */
export function registerInFlightLimit(app: FastifyInstance, limit: InFlightLimit): InFlightState {
  let inFlight = 0;
  const queue: { grant: () => void }[] = [];

  const release = () => {
    // Newest first: under a sustained overload the oldest waiters are the ones that time out, and
    // the request served has waited least (a FIFO would serve only requests that waited longest).
    const next = queue.pop();
    // The slot passes to the waiter as it is: the count does not change.
    if (next !== undefined) next.grant();
    else inFlight -= 1;
  };
  const holdUntilClosed = (reply: FastifyReply) => {
    let held = true;
    const free = () => {
      if (!held) return;
      held = false;
      release();
    };
    // 'close' follows 'finish' on a sent response and also comes alone when the connection ends first.
    if (reply.raw.destroyed) free();
    else reply.raw.once('close', free);
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(
      reply.header('retry-after', String(limit.retryAfterSeconds)),
      problemOf('overloaded', request.id, 'The server is at capacity; retry after the number of seconds in Retry-After.'),
    );

  /** Resolves true once a slot is handed over, false when the wait timed out or the client left. */
  const waitForSlot = (reply: FastifyReply) =>
    new Promise<boolean>((resolve) => {
      const entry = {
        grant: () => {
          clearTimeout(timer);
          reply.raw.removeListener('close', leave);
          resolve(true);
        },
      };
      const drop = () => {
        const at = queue.indexOf(entry);
        if (at >= 0) queue.splice(at, 1);
        resolve(false);
      };
      const leave = () => {
        clearTimeout(timer);
        drop();
      };
      const timer = setTimeout(() => {
        reply.raw.removeListener('close', leave);
        drop();
      }, limit.queueMs);
      queue.push(entry);
      reply.raw.once('close', leave);
    });

  app.addHook('onRequest', async (request, reply) => {
    // Only the API takes database connections: the portal's files (a first visit fetches dozens of
    // chunks at once) are read from disk and never wait for a slot.
    if (request.routeOptions.config.unbounded === true || !isApiUrl(request.url)) return;
    if (inFlight < limit.maxInFlight) {
      inFlight += 1;
      holdUntilClosed(reply);
      return;
    }
    if (limit.queueMs <= 0 || queue.length >= limit.maxQueued || !(await waitForSlot(reply))) return refuse(request, reply);
    holdUntilClosed(reply);
  });

  return {
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return queue.length;
    },
  };
}
