import pg from 'pg';
import { createSealer } from '../../src/platform/seal.ts';
import { HttpClient, NoAnswer, type HttpReply } from './http.ts';
import { seededRandom } from './proof-profile.ts';
import { pause } from './server-process.ts';
import { partnerPassword, type ApiWorld, type CustomerHandle } from './world.ts';

/*
 * A mixed write load against a running server, a ledger of every answer, the retry of every
 * request whose outcome the client could not know, and the invariants checked on the database.
 *
 * A client learns that a write committed only from a 2xx. A 4xx is a definite "no" (the use case
 * threw, its transaction rolled back). No answer at all, or a 5xx, leaves the outcome open: that
 * request is retried after the crash exactly as a careful client would (same Idempotency-Key, same
 * If-Match), and the retry's answer plus the database tell what had happened.
 */

export type Outcome = 'acked' | 'refused' | 'unknown';
export type Resolution = 'committed-before-crash' | 'committed-by-retry' | 'not-committed';

interface Attempt {
  reply: HttpReply | null;
  error: string | null;
}

function outcomeOf(attempt: Attempt): Outcome {
  if (attempt.reply === null || attempt.reply.status >= 500) return 'unknown';
  return attempt.reply.status < 300 ? 'acked' : 'refused';
}

async function attempt(send: () => Promise<HttpReply>): Promise<Attempt> {
  try {
    return { reply: await send(), error: null };
  } catch (error) {
    if (error instanceof NoAnswer) return { reply: null, error: error.message };
    throw error;
  }
}

/** Retries a request whose outcome is open until it gets a real answer (the server may still be coming back). */
async function retryUntilAnswered(send: () => Promise<HttpReply>): Promise<HttpReply> {
  let last = '';
  for (let tries = 0; tries < 60; tries += 1) {
    const result = await attempt(send);
    if (result.reply !== null && result.reply.status < 500) return result.reply;
    last = result.reply?.raw ?? result.error ?? '';
    await pause(250);
  }
  throw new Error(`a retried request never got a definite answer: ${last}`);
}

interface OpBase {
  cycle: number;
  /** Set when the request was sent after the database had been stopped (CRASH-02). */
  duringOutage: boolean;
  first: Attempt;
  outcome: Outcome;
  resolution: Resolution | null;
}

export interface OrderOp extends OpBase {
  type: 'order';
  customerId: string;
  placedBy: 'provider' | 'reseller';
  key: string;
  body: Record<string, unknown>;
  orderId: string | null;
}
export interface SignupOp extends OpBase {
  type: 'signup';
  domain: string;
  body: Record<string, unknown>;
}
export interface InviteOp extends OpBase {
  type: 'invite';
  email: string;
  invitationId: string | null;
}
export interface AcceptOp extends OpBase {
  type: 'accept';
  customerId: string;
  invitationId: string;
  token: string;
  admin: HttpClient;
}
export interface PatchOp extends OpBase {
  type: 'patch';
  customerId: string;
  subscriptionId: string;
  ifMatch: string;
  quantity: number;
}
export interface LicenseOp extends OpBase {
  type: 'license';
  action: 'assign' | 'remove';
  customerId: string;
  userId: string;
  subscriptionId: string;
}
export type Op = OrderOp | SignupOp | InviteOp | AcceptOp | PatchOp | LicenseOp;

/** What the client knows, as a model: seats per seat subscription, licenses per user. */
interface SeatModel {
  quantity: number;
  committedPatches: number;
  licenses: Map<string, boolean>;
}

export interface Figures {
  requests: number;
  acked: number;
  refused: number;
  /** No answer or 5xx: retried. */
  open: number;
  /** Open requests that the retry showed had committed (the answer was lost, not the write). */
  committedBeforeCrash: number;
  /** Answers received while the database was down (CRASH-02). */
  outageAnswers: number;
  orders: number;
  lostWrites: number;
  duplicates: number;
}

export interface LoadState {
  cycle: number;
  stopped: boolean;
  acked: number;
  outage: boolean;
  /** Answers to requests sent during the outage: status and content type. */
  outageReplies: { status: number; contentType: string; code: string | null }[];
}

export class Ledger {
  readonly ops: Op[] = [];
  readonly seats = new Map<string, SeatModel>();
  #serial = 0;

  constructor(
    readonly world: ApiWorld,
    readonly tag: string,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    for (const customer of world.customers) {
      this.seats.set(customer.id, { quantity: 5, committedPatches: 0, licenses: new Map(customer.userIds.map((id) => [id, false])) });
    }
  }
  readonly random: ReturnType<typeof seededRandom>;

  serial(): number {
    this.#serial += 1;
    return this.#serial;
  }

  #record(op: Op, state: LoadState): void {
    this.ops.push(op);
    if (op.outcome === 'acked') state.acked += 1;
    // Sent and answered while the database was down: nothing else is evidence about the outage.
    if (op.duringOutage && state.outage && op.first.reply !== null) {
      const body = op.first.reply.body as { code?: unknown } | null;
      state.outageReplies.push({ status: op.first.reply.status, contentType: op.first.reply.contentType, code: typeof body?.code === 'string' ? body.code : null });
    }
  }

  // ---- workers: each runs until the state says stop; the ones with non-idempotent writes end at their first open outcome.

  async orderWorker(state: LoadState, worker: number): Promise<void> {
    const { world } = this;
    while (!state.stopped) {
      const customer = this.random.pick(world.customers);
      const placedBy = this.random.next() < 0.5 ? 'provider' : 'reseller';
      const body =
        placedBy === 'provider'
          ? { resellerId: world.reseller.id, lines: [{ skuId: world.orderSkuId, quantity: this.random.int(1, 3), billingCycle: 'monthly' }] }
          : { providerId: world.provider.id, lines: [{ skuId: world.orderSkuId, quantity: this.random.int(1, 3), billingCycle: 'monthly' }] };
      const key = `${this.tag}-c${state.cycle}-w${worker}-${this.serial()}`;
      const client = placedBy === 'provider' ? world.provider.api : world.reseller.api;
      const duringOutage = state.outage;
      const first = await attempt(() => client.post(`/api/v1/customers/${customer.id}/orders`, body, { 'idempotency-key': key }));
      const outcome = outcomeOf(first);
      const orderId = outcome === 'acked' ? String((first.reply?.body as { id?: unknown }).id) : null;
      this.#record({ type: 'order', cycle: state.cycle, duringOutage, first, outcome, resolution: null, customerId: customer.id, placedBy, key, body, orderId }, state);
      // Orders are idempotent by key: the worker goes on; open ones are retried later.
      if (outcome === 'unknown') await pause(20);
    }
  }

  /** Sign-up → joint invitation (sent by email) → acceptance by the new customer's admin. */
  async chainWorker(state: LoadState): Promise<void> {
    const { world } = this;
    while (!state.stopped) {
      const name = `${this.tag} Chain ${state.cycle}-${this.serial()}`;
      const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`;
      const adminEmail = `admin@${domain}`;
      const admin = new HttpClient(world.base);
      const body = { organization: { name, domain, country: 'US' }, admin: { displayName: `${name} admin`, email: adminEmail, password: partnerPassword } };
      let duringOutage = state.outage;
      const signup = await attempt(() => admin.post('/api/v1/organizations', body));
      const signupOutcome = outcomeOf(signup);
      this.#record({ type: 'signup', cycle: state.cycle, duringOutage, first: signup, outcome: signupOutcome, resolution: null, domain, body }, state);
      if (signupOutcome !== 'acked') return;
      const customerId = String((signup.reply?.body as { organization: { id: string } }).organization.id);
      if (state.stopped) return;

      duringOutage = state.outage;
      const inviteBody = { email: adminEmail, indirectProviderId: world.provider.id, send: true };
      const invite = await attempt(() => world.reseller.api.post('/api/v1/customer-invitations', inviteBody));
      const inviteOutcome = outcomeOf(invite);
      const issued = inviteOutcome === 'acked' ? (invite.reply?.body as { invitation: { id: string }; email: { link: string } }) : null;
      this.#record({ type: 'invite', cycle: state.cycle, duringOutage, first: invite, outcome: inviteOutcome, resolution: null, email: adminEmail, invitationId: issued?.invitation.id ?? null }, state);
      if (issued === null) return;
      if (state.stopped) return;

      const token = new URL(issued.email.link).searchParams.get('token') ?? '';
      duringOutage = state.outage;
      const accept = await attempt(() => admin.post(`/api/v1/invitations/${issued.invitation.id}/accept`, { token, consent: true }));
      const acceptOutcome = outcomeOf(accept);
      this.#record(
        { type: 'accept', cycle: state.cycle, duringOutage, first: accept, outcome: acceptOutcome, resolution: null, customerId, invitationId: issued.invitation.id, token, admin },
        state,
      );
      if (acceptOutcome !== 'acked') return;
    }
  }

  /** The only writer of the seat subscription's quantity: so a 412 on a retry can only mean "mine committed". */
  async patchWorker(state: LoadState, customer: CustomerHandle): Promise<void> {
    const { world } = this;
    const model = this.#seatModel(customer.id);
    const url = `/api/v1/customers/${customer.id}/subscriptions/${customer.seatSubscriptionId}`;
    while (!state.stopped) {
      const readInOutage = state.outage;
      const read = await attempt(() => world.provider.api.get<{ quantity: number; etag: string }>(url));
      if (read.reply === null || read.reply.status !== 200) {
        if (readInOutage && state.outage && read.reply !== null) this.#outageRead(state, read.reply);
        await pause(20);
        continue;
      }
      const current = read.reply.body as { quantity: number; etag: string };
      const quantity = current.quantity <= 1 || this.random.next() < 0.55 ? current.quantity + 1 : current.quantity - 1;
      const duringOutage = state.outage;
      const first = await attempt(() => world.provider.api.patch(url, { quantity }, { 'if-match': current.etag }));
      const outcome = outcomeOf(first);
      if (outcome === 'acked') {
        model.quantity = quantity;
        model.committedPatches += 1;
      }
      this.#record({ type: 'patch', cycle: state.cycle, duringOutage, first, outcome, resolution: null, customerId: customer.id, subscriptionId: customer.seatSubscriptionId, ifMatch: current.etag, quantity }, state);
      if (outcome === 'unknown') return;
    }
  }

  /** Assigns and removes seats of the subscription the patch worker resizes at the same time. */
  async licenseWorker(state: LoadState, customer: CustomerHandle): Promise<void> {
    const model = this.#seatModel(customer.id);
    while (!state.stopped) {
      const userId = this.random.pick(customer.userIds);
      const action = model.licenses.get(userId) === true ? 'remove' : 'assign';
      const sid = customer.seatSubscriptionId;
      const duringOutage = state.outage;
      const first = await attempt(() =>
        action === 'assign'
          ? customer.admin.post(`/api/v1/customers/${customer.id}/users/${userId}/licenses`, { subscriptionId: sid })
          : customer.admin.delete(`/api/v1/customers/${customer.id}/users/${userId}/licenses/${sid}`),
      );
      const outcome = outcomeOf(first);
      if (outcome === 'acked') model.licenses.set(userId, action === 'assign');
      this.#record({ type: 'license', cycle: state.cycle, duringOutage, first, outcome, resolution: null, action, customerId: customer.id, userId, subscriptionId: sid }, state);
      if (outcome === 'unknown') return;
    }
  }

  #outageRead(state: LoadState, reply: HttpReply): void {
    const body = reply.body as { code?: unknown } | null;
    state.outageReplies.push({ status: reply.status, contentType: reply.contentType, code: typeof body?.code === 'string' ? body.code : null });
  }

  #seatModel(customerId: string): SeatModel {
    const model = this.seats.get(customerId);
    if (model === undefined) throw new Error(`no seat model for ${customerId}`);
    return model;
  }

  /** Every worker of one cycle; resolves when all have stopped. */
  run(state: LoadState): Promise<void> {
    const workers = [this.orderWorker(state, 1), this.orderWorker(state, 2), this.chainWorker(state)];
    for (const customer of this.world.customers) workers.push(this.patchWorker(state, customer), this.licenseWorker(state, customer));
    return Promise.all(workers).then(() => undefined);
  }

  // ---- after the crash

  /** Retries, in the order they were sent, the requests of `cycle` whose outcome was open, and resolves each. */
  async retryOpen(db: pg.Pool, cycle: number): Promise<void> {
    for (const op of this.ops) {
      if (op.cycle !== cycle || op.outcome !== 'unknown' || op.resolution !== null) continue;
      op.resolution = await this.#retry(db, op);
    }
  }

  async #retry(db: pg.Pool, op: Op): Promise<Resolution> {
    const { world } = this;
    switch (op.type) {
      case 'order': {
        const client = op.placedBy === 'provider' ? world.provider.api : world.reseller.api;
        const reply = await retryUntilAnswered(() => client.post(`/api/v1/customers/${op.customerId}/orders`, op.body, { 'idempotency-key': op.key }));
        if (reply.status !== 201) return 'not-committed';
        op.orderId = String((reply.body as { id?: unknown }).id);
        return reply.headers.get('idempotent-replayed') === 'true' ? 'committed-before-crash' : 'committed-by-retry';
      }
      case 'signup': {
        const reply = await retryUntilAnswered(() => new HttpClient(world.base).post('/api/v1/organizations', op.body));
        if (reply.status === 201) return 'committed-by-retry';
        const rows = await query<{ n: number }>(db, 'select count(*)::int as n from organizations where domain = $1', [op.domain]);
        return rows[0]?.n === 1 ? 'committed-before-crash' : 'not-committed';
      }
      case 'invite': {
        const before = await query<{ n: number }>(db, 'select count(*)::int as n from invitations where email = $1', [op.email]);
        const reply = await retryUntilAnswered(() =>
          world.reseller.api.post<{ invitation: { id: string } }>('/api/v1/customer-invitations', { email: op.email, indirectProviderId: world.provider.id, send: true }),
        );
        if (reply.status !== 201) throw new Error(`re-sending an invitation failed: ${reply.raw}`);
        op.invitationId = (reply.body as { invitation: { id: string } }).invitation.id;
        // A committed first attempt is now superseded (revoked) by the re-send.
        return before[0]?.n === 1 ? 'committed-before-crash' : 'committed-by-retry';
      }
      case 'accept': {
        const reply = await retryUntilAnswered(() => op.admin.post(`/api/v1/invitations/${op.invitationId}/accept`, { token: op.token, consent: true }));
        if (reply.status === 200) return 'committed-by-retry';
        const rows = await query<{ state: string; by: string | null }>(db, 'select state, accepted_organization_id as by from invitations where id = $1', [op.invitationId]);
        return rows[0]?.state === 'accepted' && rows[0].by === op.customerId ? 'committed-before-crash' : 'not-committed';
      }
      case 'patch': {
        const model = this.#seatModel(op.customerId);
        const url = `/api/v1/customers/${op.customerId}/subscriptions/${op.subscriptionId}`;
        const reply = await retryUntilAnswered(() => world.provider.api.patch(url, { quantity: op.quantity }, { 'if-match': op.ifMatch }));
        let resolution: Resolution = 'not-committed';
        if (reply.status === 200) resolution = 'committed-by-retry';
        else if (reply.status === 412) {
          // Single writer: the version moved on only if this very change committed; the row must show it.
          const [row] = await query<{ version: number; quantity: number }>(db, 'select version, quantity from subscriptions where id = $1', [op.subscriptionId]);
          if (row === undefined || row.version !== Number(op.ifMatch.replaceAll('"', '')) + 1 || row.quantity !== op.quantity) {
            throw new Error(`412 on the retry of the only writer, but the row is ${JSON.stringify(row)} (expected quantity ${op.quantity} after ${op.ifMatch})`);
          }
          resolution = 'committed-before-crash';
        }
        if (resolution !== 'not-committed') {
          model.quantity = op.quantity;
          model.committedPatches += 1;
        }
        return resolution;
      }
      case 'license': {
        const model = this.#seatModel(op.customerId);
        const customer = world.customers.find((c) => c.id === op.customerId);
        if (customer === undefined) throw new Error('unknown customer');
        const reply = await retryUntilAnswered(() =>
          op.action === 'assign'
            ? customer.admin.post(`/api/v1/customers/${op.customerId}/users/${op.userId}/licenses`, { subscriptionId: op.subscriptionId })
            : customer.admin.delete(`/api/v1/customers/${op.customerId}/users/${op.userId}/licenses/${op.subscriptionId}`),
        );
        const rows = await query<{ n: number }>(db, 'select count(*)::int as n from license_assignments where subscription_id = $1 and user_id = $2', [op.subscriptionId, op.userId]);
        const present = rows[0]?.n === 1;
        const done = op.action === 'assign' ? present : !present;
        if (done) model.licenses.set(op.userId, op.action === 'assign');
        if (!done) return 'not-committed';
        return reply.status === 204 ? 'committed-by-retry' : 'committed-before-crash';
      }
    }
  }

  figures(): Figures {
    const open = this.ops.filter((o) => o.outcome === 'unknown');
    return {
      requests: this.ops.length,
      acked: this.ops.filter((o) => o.outcome === 'acked').length,
      refused: this.ops.filter((o) => o.outcome === 'refused').length,
      open: open.length,
      committedBeforeCrash: open.filter((o) => o.resolution === 'committed-before-crash').length,
      outageAnswers: 0,
      orders: this.ops.filter((o) => o.type === 'order' && o.orderId !== null).length,
      lostWrites: 0,
      duplicates: 0,
    };
  }
}

export async function query<T>(db: pg.Pool, text: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(text, params)).rows as T[];
}

export interface Verdict {
  /** Every broken promise, in words; empty when the database keeps every acknowledged write exactly once. */
  violations: string[];
  lostWrites: number;
  duplicates: number;
}

/**
 * Checks the database against the ledger (acknowledged writes present, exactly once) and against
 * the invariants that must hold whatever crashed when.
 */
export async function verify(db: pg.Pool, ledger: Ledger, secretKey: string): Promise<Verdict> {
  const violations: string[] = [];
  let lostWrites = 0;
  let duplicates = 0;
  const lost = (what: string) => {
    lostWrites += 1;
    violations.push(`lost: ${what}`);
  };
  const duplicate = (what: string) => {
    duplicates += 1;
    violations.push(`duplicate: ${what}`);
  };

  // Orders: one per key, every acknowledged one present, none without a key.
  const orderRows = await query<{ id: string; key: string | null; keys: number; audits: number }>(
    db,
    `select o.id,
            (select min(k.key) from idempotency_keys k where k.order_id = o.id) as key,
            (select count(*)::int from idempotency_keys k where k.order_id = o.id) as keys,
            (select count(*)::int from audit_events a where a.action = 'order.completed' and a.target_id = o.id) as audits
       from orders o`,
  );
  const byId = new Map(orderRows.map((r) => [r.id, r]));
  const byKey = new Map<string, string[]>();
  for (const row of orderRows) {
    if (row.keys !== 1) duplicate(`order ${row.id} is referenced by ${row.keys} idempotency keys`);
    if (row.audits !== 1) violations.push(`order ${row.id} has ${row.audits} order.completed audit events`);
    if (row.key !== null) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.id]);
  }
  for (const op of ledger.ops) {
    if (op.type !== 'order') continue;
    const inDb = byKey.get(op.key) ?? [];
    if (inDb.length > 1) duplicate(`key ${op.key} has orders ${inDb.join(', ')}`);
    if (op.orderId !== null) {
      if (!byId.has(op.orderId)) lost(`order ${op.orderId} (key ${op.key}, ${op.outcome})`);
      else if (inDb[0] !== op.orderId) duplicate(`key ${op.key} answered ${op.orderId} but holds ${inDb.join(', ')}`);
    } else if (inDb.length > 0) {
      violations.push(`key ${op.key} was refused (${op.first.reply?.status ?? 'no answer'}) yet holds order ${inDb.join(', ')}`);
    }
  }
  const [orderEvents] = await query<{ n: number }>(db, `select count(*)::int as n from outbox_messages where kind = 'event' and topic = 'order.completed'`);
  if (orderEvents?.n !== orderRows.length) violations.push(`${orderRows.length} orders but ${orderEvents?.n} order.completed outbox events`);

  // Credit lines: each running exposure equals the sum of its pair's orders since its period, whatever crashed when.
  const creditRows = await query<{ id: string; counter: string; sum: string }>(
    db,
    `select c.id, c.exposure_amount::text as counter,
            (select coalesce(sum(o.total_amount), 0)::text from orders o
              where o.provider_organization_id = c.provider_organization_id and o.reseller_organization_id = c.reseller_organization_id
                and o.state = 'completed' and o.created_at >= c.exposure_period) as sum
       from credit_terms c where c.exposure_period is not null`,
  );
  for (const c of creditRows) {
    if (c.counter !== c.sum) violations.push(`credit line ${c.id}: exposure counter ${c.counter} but its orders sum to ${c.sum}`);
  }

  // Subscriptions grown by orders: seats and versions are exactly the sum of their order lines plus audited changes.
  const subscriptionRows = await query<{ id: string; quantity: number; version: number; lines: number; ordered: number; updates: number; patched: number; licenses: number }>(
    db,
    `select s.id, s.quantity, s.version,
            (select count(*)::int from order_lines l where l.subscription_id = s.id) as lines,
            (select coalesce(sum(l.quantity), 0)::int from order_lines l where l.subscription_id = s.id) as ordered,
            (select count(*)::int from audit_events a where a.action = 'subscription.updated' and a.target_id = s.id) as updates,
            (select coalesce(sum((a.after->>'quantity')::int - (a.before->>'quantity')::int), 0)::int from audit_events a
              where a.action = 'subscription.updated' and a.target_id = s.id) as patched,
            (select count(*)::int from license_assignments la where la.subscription_id = s.id) as licenses
       from subscriptions s`,
  );
  for (const s of subscriptionRows) {
    if (s.version !== s.lines + s.updates) violations.push(`subscription ${s.id}: version ${s.version} but ${s.lines} order lines + ${s.updates} audited updates`);
    if (s.quantity !== s.ordered + s.patched) violations.push(`subscription ${s.id}: ${s.quantity} seats but ordered ${s.ordered} + audited changes ${s.patched}`);
    if (s.licenses > s.quantity) violations.push(`subscription ${s.id}: ${s.licenses} licenses > ${s.quantity} seats`);
  }

  // The seat subscriptions against the client's model (acknowledged and resolved changes only).
  for (const customer of ledger.world.customers) {
    const model = ledger.seats.get(customer.id);
    const row = subscriptionRows.find((s) => s.id === customer.seatSubscriptionId);
    if (model === undefined || row === undefined) continue;
    if (row.quantity !== model.quantity) violations.push(`seat subscription of ${customer.id}: ${row.quantity} seats, acknowledged ${model.quantity}`);
    if (row.updates !== model.committedPatches) violations.push(`seat subscription of ${customer.id}: ${row.updates} updates, acknowledged ${model.committedPatches}`);
    const licenses = await query<{ user_id: string; n: number; assigned: number; removed: number }>(
      db,
      `select u.id as user_id,
              (select count(*)::int from license_assignments la where la.user_id = u.id and la.subscription_id = $1) as n,
              (select count(*)::int from audit_events a where a.action = 'license.assigned' and a.target_id = u.id and a.after->>'subscriptionId' = $1::text) as assigned,
              (select count(*)::int from audit_events a where a.action = 'license.removed' and a.target_id = u.id and a.before->>'subscriptionId' = $1::text) as removed
         from users u where u.organization_id = $2`,
      [customer.seatSubscriptionId, customer.id],
    );
    for (const l of licenses) {
      const expected = model.licenses.get(l.user_id);
      if (expected === true && l.n !== 1) lost(`license of user ${l.user_id} on ${customer.seatSubscriptionId}`);
      if (expected === false && l.n !== 0) violations.push(`license of user ${l.user_id} on ${customer.seatSubscriptionId} present, though its last change was a removal or was refused`);
      if (l.assigned - l.removed !== l.n) violations.push(`license of user ${l.user_id}: ${l.n} rows but ${l.assigned} assigned − ${l.removed} removed audit events`);
    }
  }

  // Organizations signed up: acknowledged ones present, each domain once, one audit event each.
  for (const op of ledger.ops) {
    if (op.type !== 'signup') continue;
    const [row] = await query<{ n: number; audits: number }>(
      db,
      `select count(*)::int as n,
              (select count(*)::int from audit_events a join organizations o on a.target_id = o.id where o.domain = $1 and a.action = 'organization.created') as audits
         from organizations where domain = $1`,
      [op.domain],
    );
    const committed = op.outcome === 'acked' || op.resolution === 'committed-before-crash' || op.resolution === 'committed-by-retry';
    if (committed && row?.n !== 1) lost(`organization ${op.domain}`);
    if (!committed && row?.n !== 0) violations.push(`organization ${op.domain} refused yet present`);
    if ((row?.n ?? 0) !== (row?.audits ?? 0)) violations.push(`organization ${op.domain}: ${row?.n} rows, ${row?.audits} organization.created audit events`);
  }

  // Invitations: acknowledged ones present; one audit event per creation; one email queued per sent invitation; one pending per invitee.
  const invitationRows = await query<{ id: string; email: string; state: string; created: number; accepted: number; revoked: number }>(
    db,
    `select i.id, i.email, i.state,
            (select count(*)::int from audit_events a where a.action = 'invitation.created' and a.target_id = i.id) as created,
            (select count(*)::int from audit_events a where a.action = 'invitation.accepted' and a.target_id = i.id) as accepted,
            (select count(*)::int from audit_events a where a.action = 'invitation.revoked' and a.target_id = i.id) as revoked
       from invitations i`,
  );
  const invitationIds = new Set(invitationRows.map((r) => r.id));
  for (const row of invitationRows) {
    if (row.created !== 1) violations.push(`invitation ${row.id}: ${row.created} invitation.created audit events`);
    if (row.accepted !== (row.state === 'accepted' ? 1 : 0)) violations.push(`invitation ${row.id} (${row.state}): ${row.accepted} invitation.accepted audit events`);
    if (row.revoked !== (row.state === 'revoked' ? 1 : 0)) violations.push(`invitation ${row.id} (${row.state}): ${row.revoked} invitation.revoked audit events`);
  }
  const pendingPerEmail = await query<{ email: string; n: number }>(
    db,
    `select email, count(*)::int as n from invitations where state in ('pending', 'accepted') and kind = 'reseller_relationship' group by email, organization_id having count(*) > 1`,
  );
  for (const row of pendingPerEmail) duplicate(`${row.n} live invitations for ${row.email}`);
  const sentTo = await emailRecipients(db, secretKey, 'invitation.reseller_relationship');
  for (const op of ledger.ops) {
    if (op.type !== 'invite') continue;
    if (op.invitationId !== null && !invitationIds.has(op.invitationId)) lost(`invitation ${op.invitationId} to ${op.email}`);
    const created = invitationRows.filter((r) => r.email === op.email).length;
    const queued = sentTo.get(op.email) ?? 0;
    if (queued !== created) violations.push(`${created} invitations to ${op.email} but ${queued} invitation emails in the outbox`);
  }

  // Acceptances: acknowledged ones accepted, with both relationships; one live relationship per pair.
  for (const op of ledger.ops) {
    if (op.type !== 'accept') continue;
    const committed = op.outcome === 'acked' || op.resolution === 'committed-before-crash' || op.resolution === 'committed-by-retry';
    const [row] = await query<{ state: string; relationships: number }>(
      db,
      `select state, (select count(*)::int from reseller_relationships r where r.customer_organization_id = $2 and r.state = 'active') as relationships
         from invitations where id = $1`,
      [op.invitationId, op.customerId],
    );
    if (committed && (row?.state !== 'accepted' || row.relationships !== 2)) lost(`acceptance of ${op.invitationId}: ${JSON.stringify(row)}`);
    if (!committed && row?.state === 'accepted') violations.push(`acceptance of ${op.invitationId} refused yet accepted`);
  }
  const pairs = await query<{ partner: string; customer: string; n: number }>(
    db,
    `select partner_organization_id as partner, customer_organization_id as customer, count(*)::int as n
       from reseller_relationships where state = 'active' group by 1, 2 having count(*) > 1`,
  );
  for (const p of pairs) duplicate(`${p.n} active relationships between ${p.partner} and ${p.customer}`);
  const [relationshipAudit] = await query<{ n: number }>(
    db,
    `select count(*)::int as n from reseller_relationships r
      where (select count(*) from audit_events a where a.action = 'reseller_relationship.created' and a.target_id = r.id) <> 1`,
  );
  if (relationshipAudit?.n !== 0) violations.push(`${relationshipAudit?.n} relationships without exactly one reseller_relationship.created audit event`);
  const [acceptedEvents] = await query<{ accepted: number; events: number }>(
    db,
    `select (select count(*)::int from invitations where state = 'accepted') as accepted,
            (select count(*)::int from outbox_messages where kind = 'event' and topic = 'invitation.accepted') as events`,
  );
  if (acceptedEvents?.accepted !== acceptedEvents?.events) violations.push(`${acceptedEvents?.accepted} accepted invitations, ${acceptedEvents?.events} invitation.accepted outbox events`);

  // Delivered emails: each outbox message at most once in the mailbox, every sent one exactly once.
  const [mailbox] = await query<{ missing: number; extra: number }>(
    db,
    `select (select count(*)::int from outbox_messages o where o.kind = 'email' and o.state = 'sent'
               and not exists (select 1 from mailbox_messages m where m.outbox_message_id = o.id)) as missing,
            (select count(*)::int from mailbox_messages m where not exists
               (select 1 from outbox_messages o where o.id = m.outbox_message_id and o.state = 'sent')) as extra`,
  );
  if (mailbox?.missing !== 0 || mailbox.extra !== 0) violations.push(`mailbox out of step with the outbox: ${JSON.stringify(mailbox)}`);

  return { violations, lostWrites, duplicates };
}

/**
 * How many emails of `topic` each address was queued: pending ones are read from their sealed
 * payload (the key is the server's), sent ones from the embedded mailbox they were delivered to.
 */
async function emailRecipients(db: pg.Pool, secretKey: string, topic: string): Promise<Map<string, number>> {
  const sealer = createSealer(Buffer.from(secretKey, 'hex'));
  const rows = await query<{ payload: string | null; to_address: string | null }>(
    db,
    `select o.payload, m.to_address from outbox_messages o left join mailbox_messages m on m.outbox_message_id = o.id where o.kind = 'email' and o.topic = $1`,
    [topic],
  );
  const counts = new Map<string, number>();
  for (const row of rows) {
    const to = row.to_address ?? (row.payload === null ? null : (JSON.parse(sealer.open(row.payload)) as { to: string }).to);
    if (to === null) continue;
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}
