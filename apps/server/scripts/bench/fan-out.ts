import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchFixtures } from './fixtures.ts';
import { cpuMsOf, postgresCpuMs } from './processes.ts';

/*
 * webhooks.fanout: one reseller's admin subscribes 10 endpoints (every event type) on a receiver on
 * loopback; orders of that reseller are placed at a fixed rate for a bounded time, each growing a
 * subscription and so publishing one event (`order.completed`) that fans out to the 10 endpoints.
 * The receiver acknowledges at once and notes when each message arrived; the latency is from the
 * event's `timestamp` (its change, just before COMMIT) to receipt. The app must run with
 * WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true to send to loopback.
 */

export interface FanOutSettings {
  endpoints: number;
  /** Writes per second, sent open-loop (at most `maxInFlight` at once), for `seconds`. */
  rate: number;
  seconds: number;
  /** After the load, how long the deliveries may take to finish at most. */
  drainSeconds: number;
}

export const defaultFanOut: FanOutSettings = { endpoints: 10, rate: 10, seconds: 20, drainSeconds: 30 };
const maxInFlight = 16;

export interface FanOutResult {
  name: 'webhooks.fanout';
  description: string;
  settings: FanOutSettings;
  writes: { sent: number; ok: number; failed: number };
  /** Messages the receiver should get: successful writes × endpoints. */
  expectedMessages: number;
  /** Distinct `webhook-id`s acknowledged (200). */
  acknowledged: number;
  duplicates: number;
  /** From the first write to the last receipt. */
  elapsedMs: number;
  /** Acknowledged messages per second, over `elapsedMs`; events are those divided by the endpoints. */
  messagesPerSecond: number;
  eventsPerSecond: number;
  /** Commit (the event's timestamp) → receipt, over every acknowledged message. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** CPU of the server and of PostgreSQL per acknowledged message, µs. */
  cpu: { serverUs: number; postgresUs: number };
  /** Outbox messages the earlier scenarios left pending, and how long they took to be handled before the load began. */
  outboxBefore?: { pending: number; waitedMs: number; pendingAtStart: number };
}

interface Receipt {
  latencyMs: number;
  at: number;
}

/** The receiver: records the first receipt of each `webhook-id`, answers 200 at once. */
async function startReceiver(): Promise<{ url: (path: string) => string; receipts: Map<string, Receipt>; duplicates: () => number; close: () => Promise<void> }> {
  const receipts = new Map<string, Receipt>();
  let duplicates = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const at = Date.now();
      const id = String(request.headers['webhook-id']);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string };
      if (receipts.has(id)) duplicates += 1;
      else receipts.set(id, { latencyMs: at - Date.parse(body.timestamp), at });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    receipts,
    duplicates: () => duplicates,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pending outbox messages, from the app's own gauge (GET /metrics). */
async function pendingOutbox(appUrl: string): Promise<number> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  return Number(/^tierlink_outbox_messages\{state="pending"\} (\d+)$/m.exec(text)?.[1] ?? '0');
}

/**
 * The earlier scenarios' writes leave events for the relay (thousands after orders.create); the
 * load's events would queue behind them, so the scenario starts once they are handled (2 min at most).
 */
async function waitForOutbox(appUrl: string): Promise<NonNullable<FanOutResult['outboxBefore']>> {
  const pending = await pendingOutbox(appUrl);
  const started = Date.now();
  let now = pending;
  while (now > 0 && Date.now() - started < 120_000) {
    await sleep(500);
    now = await pendingOutbox(appUrl);
  }
  return { pending, waitedMs: Date.now() - started, pendingAtStart: now };
}

export async function runFanOut(appUrl: string, appPid: number, f: BenchFixtures, settings: FanOutSettings, log: (line: string) => void): Promise<FanOutResult> {
  const apiKey = f.orders[0]?.apiKey;
  if (apiKey === undefined) throw new Error('no reseller to order for');
  const orders = f.orders.filter((o) => o.apiKey === apiKey);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const receiver = await startReceiver();
  const created: string[] = [];
  try {
    for (let i = 0; i < settings.endpoints; i += 1) {
      const response = await fetch(`${appUrl}/api/v1/webhook-endpoints`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: receiver.url(`/bench/${i}`), description: `bench fan-out ${i}` }),
      });
      if (response.status !== 201) throw new Error(`creating an endpoint: ${response.status} ${await response.text()}`);
      created.push(((await response.json()) as { endpoint: { id: string } }).endpoint.id);
    }
    const outboxBefore = await waitForOutbox(appUrl);
    log(`  webhooks.fanout: ${outboxBefore.pending} outbox messages were pending, ${outboxBefore.pendingAtStart} after ${outboxBefore.waitedMs} ms`);
    // An endpoint hears of changes made after its creation (compared to the millisecond).
    await sleep(50);

    const cpuBefore = { server: cpuMsOf(appPid), postgres: postgresCpuMs() };
    const writes = { sent: 0, ok: 0, failed: 0 };
    const inFlight = new Set<Promise<void>>();
    const place = async (i: number) => {
      const order = orders[i % orders.length];
      if (order === undefined) return;
      const response = await fetch(`${appUrl}/api/v1/customers/${order.customerId}/orders`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ providerId: order.providerId, lines: [{ skuId: f.orderSkuId, quantity: 1, billingCycle: 'monthly' }] }),
      });
      await response.arrayBuffer();
      if (response.status === 201) writes.ok += 1;
      else writes.failed += 1;
    };
    const started = Date.now();
    const total = Math.round(settings.rate * settings.seconds);
    for (let i = 0; i < total; i += 1) {
      // Open loop: the i-th write is due at i / rate, whatever the answers' speed (bounded in flight).
      const due = started + (i * 1000) / settings.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      writes.sent += 1;
      const p = place(i).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    const expected = writes.ok * settings.endpoints;
    log(`  webhooks.fanout: ${writes.ok} writes in ${((Date.now() - started) / 1000).toFixed(1)} s (${writes.failed} failed); waiting for ${expected} messages…`);
    const deadline = Date.now() + settings.drainSeconds * 1000;
    while (receiver.receipts.size < expected && Date.now() < deadline) await sleep(50);
    const cpuAfter = { server: cpuMsOf(appPid), postgres: postgresCpuMs() };

    const receipts = [...receiver.receipts.values()];
    const latencies = receipts.map((r) => r.latencyMs).sort((a, b) => a - b);
    const last = Math.max(started, ...receipts.map((r) => r.at));
    const elapsedMs = last - started;
    const perMessage = (ms: number) => (receipts.length > 0 ? (ms * 1000) / receipts.length : 0);
    const result: FanOutResult = {
      name: 'webhooks.fanout',
      description:
        `POST /api/v1/customers/{id}/orders at ${settings.rate}/s for ${settings.seconds} s (one reseller's API key, ${orders.length} joint customers in turn; ` +
        `each order publishes order.completed), fanned out to ${settings.endpoints} endpoints of that reseller on a loopback receiver that answers 200 at once`,
      settings,
      writes,
      expectedMessages: expected,
      acknowledged: receipts.length,
      duplicates: receiver.duplicates(),
      elapsedMs,
      messagesPerSecond: elapsedMs > 0 ? (receipts.length * 1000) / elapsedMs : 0,
      eventsPerSecond: elapsedMs > 0 ? (receipts.length * 1000) / elapsedMs / settings.endpoints : 0,
      latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? Number.NaN },
      cpu: { serverUs: perMessage(cpuAfter.server - cpuBefore.server), postgresUs: perMessage(cpuAfter.postgres - cpuBefore.postgres) },
      outboxBefore,
    };
    log(
      `  webhooks.fanout: ${result.acknowledged}/${expected} messages acknowledged, ${result.messagesPerSecond.toFixed(0)} messages/s ` +
        `(${result.eventsPerSecond.toFixed(1)} events/s), commit → receipt p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`,
    );
    return result;
  } finally {
    // The endpoints go (with their delivery logs), so a later run on the same data starts clean.
    for (const id of created) await fetch(`${appUrl}/api/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: { authorization: headers.authorization } });
    await receiver.close();
  }
}
