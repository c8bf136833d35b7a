// The limit baseline's drivers: per app scenario, the same inputs sent (a) straight through `pg` by a
// loop of as many clients as the scenario has connections, no HTTP, and (b) with autocannon to the
// bare Fastify server (`limit-server.ts`). See limit-sql.ts for the statements.
import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import pg from 'pg';
import type { z } from 'zod';
import { AcceptedInvitation, countedPage, Customer, Order, Subscription } from '@tierlink/contract';
import type { BenchFixtures, Invitation, LimitInputs, Patch } from './fixtures.ts';
import { limitAccept, limitConnectionOptions, limitGet, limitList, limitOrder, limitPatch, type LimitAnswer } from './limit-sql.ts';
import { meterPostgresCpu } from './processes.ts';
import { cycle, listVariants, walAround, type Contender, type Repetition, type Scenario } from './scenarios.ts';

/** One app scenario's limit work: a call per request for the `pg` loop, and the same as an HTTP scenario. */
export interface LimitWork {
  /** The app scenario it stands beside. */
  name: string;
  connections: number;
  description: string;
  call: (client: pg.ClientBase) => Promise<LimitAnswer>;
  /** True once a scenario that consumes its inputs (accepts) has used them all. */
  exhausted?: () => boolean;
  /** The contract's document a 2xx answer must be exactly (checked on the first one of each run). */
  answers?: z.ZodType;
  http: Scenario;
}

/**
 * Why `body` is not exactly a document of `schema` (null when it is): invalid, or carrying fields
 * the contract does not declare (the parse drops them), or in another order than the app writes.
 */
function contractMismatch(schema: z.ZodType, body: unknown): string | null {
  const plain: unknown = JSON.parse(JSON.stringify(body));
  const parsed = schema.safeParse(plain);
  if (!parsed.success) return parsed.error.message;
  return JSON.stringify(parsed.data) === JSON.stringify(plain) ? null : 'fields the contract does not declare, or in another order';
}

const apiKeyId = randomUUID();
const json = { 'content-type': 'application/json' };

/** Subscriptions to patch, each with the version its last answer gave (a 412 answers the current one). */
function patchQueue(items: Patch[]) {
  const ready = items.slice();
  const inFlight = new Map<object, Patch>();
  return {
    next(owner: object): Patch {
      const item = ready.shift();
      if (item === undefined) throw new Error('no subscription left to patch');
      inFlight.set(owner, item);
      return item;
    },
    answered(owner: object, status: number, body: unknown): void {
      const item = inFlight.get(owner);
      inFlight.delete(owner);
      if (item === undefined) return;
      // A 200 is the contract's Subscription (the version in its ETag); a 412 names the current version.
      const answer = body as { version?: number; etag?: string; quantity?: number };
      const version = typeof answer.etag === 'string' ? Number(answer.etag.replaceAll('"', '')) : answer.version;
      if ((status === 200 || status === 412) && typeof version === 'number' && Number.isInteger(version) && typeof answer.quantity === 'number') {
        item.version = version;
        item.quantity = answer.quantity;
      }
      ready.push(item);
    },
    /** Between runs: a request cut by the run's end may or may not have been applied; its next 412 tells. */
    settle(): void {
      ready.push(...inFlight.values());
      inFlight.clear();
    },
  };
}

/** The invitee's session secret, from the cookie the app's request sends. */
const sessionOf = (item: Invitation) => item.cookie.slice(item.cookie.indexOf('=') + 1);

const nextQuantity = (p: Patch) => (p.quantity === p.base ? p.base + 1 : p.base);

function invitationSource(items: Invitation[]) {
  let i = 0;
  return {
    /** Past the last, the last again (answered 410, counted as non-2xx): autocannon must not throw mid-run. */
    next(): Invitation {
      const item = items[Math.min(i, items.length - 1)];
      i += 1;
      if (item === undefined) throw new Error('no invitations prepared for the limit baseline');
      return item;
    },
    exhausted: () => i > items.length,
  };
}

/** The limit's work for every scenario it has, for one driver's inputs (`pg` or `http`). */
export function limitWork(f: BenchFixtures, inputs: LimitInputs): LimitWork[] {
  const lists = listVariants(f).map((v): LimitWork => {
    const after = v.key === 'large-deep' ? f.large.deepAfter : null;
    const query = `partner=${v.partnerId}${after === null ? '' : `&name=${encodeURIComponent(after.name)}&id=${after.id}`}`;
    return {
      name: `customers.list ${v.key}`,
      connections: 10,
      description: `one statement: page + grants aggregated per row — ${v.label}`,
      call: (client) => limitList(client, { partnerId: v.partnerId, after, limit: 50 }),
      answers: countedPage(Customer),
      http: { name: '', description: '', connections: 10, request: () => ({ method: 'GET', path: `/limit/customers?${query}` }) },
    };
  });
  const customer = cycle(f.customerIds);
  const order = cycle(inputs.orders);
  const orderInput = () => {
    const o = order();
    return { resellerId: o.resellerId, providerId: o.providerId, customerId: o.customerId, skuId: f.orderSkuId, quantity: 1, idempotencyKey: randomUUID(), apiKeyId };
  };
  const invitations = invitationSource(inputs.invitations);
  const patches = patchQueue(inputs.patches);
  const patchInput = (p: Patch) => ({ partnerId: p.resellerId, customerId: p.customerId, version: p.version, quantity: nextQuantity(p), apiKeyId });
  return [
    ...lists,
    {
      name: 'customers.get',
      connections: 10,
      description: 'one statement: the customer + its grants aggregated',
      call: (client) => limitGet(client, { partnerId: f.large.id, customerId: customer() }),
      answers: Customer,
      http: { name: '', description: '', connections: 10, request: () => ({ method: 'GET', path: `/limit/customers/${customer()}?partner=${f.large.id}` }) },
    },
    {
      name: 'invitations.accept',
      connections: 16,
      exhausted: invitations.exhausted,
      description: `one statement (autocommit): session (its last-seen mark slid when due, as the app does once a minute) and guess window read, conditional update as lock + checks, relationship, grant, 3 audit + 4 outbox rows; ${inputs.invitations.length} invitations prepared`,
      answers: AcceptedInvitation,
      call: (client) => {
        const item = invitations.next();
        return limitAccept(client, { invitationId: item.id, token: item.token, session: sessionOf(item), clientAddress: '127.0.0.1', requestId: randomUUID() });
      },
      http: {
        name: '',
        description: '',
        connections: 16,
        request: () => {
          const item = invitations.next();
          return {
            method: 'POST',
            path: `/limit/invitations/${item.id}/accept`,
            headers: json,
            body: JSON.stringify({ token: item.token, session: sessionOf(item) }),
          };
        },
        exhausted: invitations.exhausted,
      },
    },
    {
      name: 'orders.create',
      connections: 16,
      description: 'BEGIN; claim key + credit counter + checks; order + subscription + line + audit + outbox; COMMIT',
      call: (client) => limitOrder(client, { ...orderInput(), requestId: randomUUID() }),
      answers: Order,
      http: { name: '', description: '', connections: 16, request: () => ({ method: 'POST', path: '/limit/orders', headers: json, body: JSON.stringify(orderInput()) }) },
    },
    {
      name: 'subscriptions.patch',
      connections: 10,
      description: 'one statement (autocommit): checks + versioned update + audit + outbox + the view',
      answers: Subscription,
      call: async (client) => {
        const item = patches.next(client);
        const answer = await limitPatch(client, { ...patchInput(item), subscriptionId: item.subscriptionId, requestId: randomUUID() });
        patches.answered(client, answer.status, answer.body);
        return answer;
      },
      http: {
        name: '',
        description: '',
        connections: 10,
        request: (connection) => {
          const item = patches.next(connection);
          return { method: 'PATCH', path: `/limit/subscriptions/${item.subscriptionId}`, headers: json, body: JSON.stringify(patchInput(item)) } satisfies autocannon.Request;
        },
        onResponse: (status, body, connection) => patches.answered(connection, status, body === '' ? {} : JSON.parse(body)),
        afterRun: async () => patches.settle(),
      },
    },
  ];
}

/**
 * The `pg` driver of one scenario: `connections` clients, each calling back to back until the run
 * ends. The clients stay connected across runs, so each statement is prepared once per connection.
 */
export async function loopContender(databaseUrl: string, work: LimitWork): Promise<Contender & { close: () => Promise<void> }> {
  const clients = await Promise.all(
    Array.from({ length: work.connections }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl, options: limitConnectionOptions });
      await client.connect();
      return client;
    }),
  );
  const measure = (seconds: number): Promise<Repetition> =>
    walAround(async () => {
      const latencies: number[] = [];
      const statusCodes: Record<string, number> = {};
      let errors = 0;
      const cpuBefore = { own: process.cpuUsage() };
      const stopMeter = meterPostgresCpu();
      const started = performance.now();
      const until = started + seconds * 1000;
      let mismatch: string | null = null;
      let checked = work.answers === undefined;
      await Promise.all(
        clients.map(async (client) => {
          while (performance.now() < until && work.exhausted?.() !== true) {
            const t = performance.now();
            try {
              const answer = await work.call(client);
              statusCodes[String(answer.status)] = (statusCodes[String(answer.status)] ?? 0) + 1;
              if (!checked && work.answers !== undefined && answer.status < 300) {
                checked = true;
                mismatch = contractMismatch(work.answers, answer.body);
              }
            } catch {
              errors += 1;
            }
            latencies.push(performance.now() - t);
          }
        }),
      );
      if (mismatch !== null) throw new Error(`${work.name}: the limit baseline's answer is not the contract's document: ${mismatch}`);
      const elapsed = (performance.now() - started) / 1000;
      const own = process.cpuUsage(cpuBefore.own);
      const postgres = stopMeter();
      const requests = latencies.length;
      const perRequest = (ms: number) => (requests > 0 ? (ms * 1000) / requests : 0);
      latencies.sort((a, b) => a - b);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
      const non2xx = Object.entries(statusCodes).reduce((n, [code, count]) => (code.startsWith('2') ? n : n + count), 0);
      return {
        requestsPerSecond: requests / elapsed,
        p50Ms: Math.round(at(0.5) * 100) / 100,
        p99Ms: Math.round(at(0.99) * 100) / 100,
        requests,
        non2xx,
        errors,
        timeouts: 0,
        statusCodes,
        maxRssMiB: process.memoryUsage().rss / 1024 ** 2,
        // The driver's own CPU stands where the server's is for an HTTP contender: here it is the client.
        cpu: { serverUs: perRequest((own.user + own.system) / 1000), postgresUs: perRequest(postgres.backendsMs), loadUs: 0, postgresBackgroundUs: perRequest(postgres.backgroundMs) },
      };
    });
  return {
    meta: {
      name: `limit (pg) ${work.name}`,
      description: `straight through pg, ${work.connections} clients, no HTTP — ${work.description}`,
      connections: work.connections,
      ...(work.exhausted === undefined ? {} : { exhausted: work.exhausted }),
    },
    measure,
    close: async () => {
      await Promise.all(clients.map((c) => c.end()));
    },
  };
}
