import { sql, type Logger } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import * as schema from '../../src/db/schema.ts';
import type { Actor } from '../../src/platform/actor.ts';
import { runInTransaction, type UnitOfWorkDeps, type UseCaseContext } from '../../src/platform/unit-of-work.ts';
import { placeOrder, presentSubscription, subscriptionsLeftBehind } from '../../src/modules/commerce/index.ts';
import { removeRelationship } from '../../src/modules/customers/remove-relationship.ts';
import { enroll } from '../../src/modules/enrollment/index.ts';
import { addUser } from '../../src/modules/identity/add-user.ts';
import { confirmMfaEnrollment } from '../../src/modules/identity/confirm-mfa-enrollment.ts';
import { createActorResolver } from '../../src/modules/identity/index.ts';
import { acceptInvitation } from '../../src/modules/invitations/accept-invitation.ts';
import { commerceWorld, type CommerceWorld } from '../commerce-fixture.ts';
import { createCustomer, createOperator, createTestContext, expectOk, issuedFrom, password, queryRows, type Client, type TestContext } from '../harness.ts';
import { reportFigures } from './proof-profile.ts';

/*
 * CRASH-03: all or nothing. Each multi-step use case runs in `runInTransaction` against the real
 * database through a second Drizzle instance whose logger throws just before statement N+1 — the
 * use case sees a failing statement exactly as it would see a dropped connection or a constraint.
 * This wraps the real transaction's statement stream; nothing of ours is replaced. For N = 1, 2, …
 * every table's rows (count and content digest) must be exactly as before, until N is large
 * enough for the use case to finish — then its effects must all be there.
 */

class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

/** Counts the statements of the armed transaction (BEGIN is statement 1) and fails statement `after + 1`, once. */
class FaultInjector implements Logger {
  #after: number | null = null;
  #count = 0;
  fired = false;

  arm(after: number): void {
    this.#after = after;
    this.#count = 0;
    this.fired = false;
  }

  disarm(): { fired: boolean; statements: number } {
    const result = { fired: this.fired, statements: this.#count };
    this.#after = null;
    return result;
  }

  logQuery(query: string): void {
    if (this.#after === null) return;
    this.#count += 1;
    // Only once: the ROLLBACK that follows must reach the server, or the connection would go back
    // to the pool inside an open transaction.
    if (this.#count === this.#after + 1) {
      this.fired = true;
      throw new InjectedFault(`fault before statement ${this.#count}: ${query.slice(0, 80)}`);
    }
  }
}

function causedByFault(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth += 1) {
    if (e instanceof InjectedFault) return true;
    e = e.cause;
  }
  return false;
}

interface TableState {
  table: string;
  rows: number;
  digest: string;
}

describe('CRASH-03: a fault after any statement of a use case leaves nothing behind', () => {
  let t: TestContext;
  let pool: pg.Pool;
  let injector: FaultInjector;
  let faulty: UnitOfWorkDeps;
  let operator: Client;
  let w: CommerceWorld;
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestContext({ poolSize: 4 });
    if (t.database.url === null) throw new Error('CRASH-03 needs PostgreSQL');
    pool = new pg.Pool({ connectionString: t.database.url, max: 2 });
    injector = new FaultInjector();
    faulty = { db: drizzle(pool, { schema, logger: injector }) as unknown as Database, clock: t.clock, sealer: t.sealer, publicUrl: t.uow.publicUrl };
    operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Fault');
  }, 300_000);

  afterAll(async () => {
    reportFigures('CRASH-03', figures);
    await pool?.end();
    await t?.close();
  });

  /** Every table of the schema: row count and a digest of its content (updates count, not only inserts). */
  async function snapshot(): Promise<TableState[]> {
    const tables = await queryRows<{ name: string }>(
      t,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    const states: TableState[] = [];
    for (const { name } of tables) {
      const [row] = await queryRows<{ rows: number; digest: string | null }>(
        t,
        sql`select count(*)::int as rows, md5(string_agg(x::text, '|' order by x::text)) as digest from ${sql.identifier(name)} x`,
      );
      states.push({ table: name, rows: row?.rows ?? 0, digest: row?.digest ?? '' });
    }
    return states;
  }

  async function actorOf(client: Client): Promise<Actor> {
    const token = client.cookie?.split('=')[1];
    const actor = token === undefined ? null : await createActorResolver(t.db, t.clock).fromSession(token);
    if (actor === null) throw new Error('no session');
    return actor;
  }

  /**
   * Runs `work` with a fault after statement 1, 2, … until it completes; returns the tables before
   * and after. After every fault the database must be exactly as before.
   */
  async function allOrNothing(name: string, actor: Actor, work: (ctx: UseCaseContext) => Promise<unknown>): Promise<{ before: TableState[]; after: TableState[] }> {
    const before = await snapshot();
    for (let after = 1; after < 500; after += 1) {
      injector.arm(after);
      let failure: unknown = null;
      try {
        await runInTransaction(faulty, actor, `fault-${after}`, (ctx) => work({ ...ctx, actor }));
      } catch (error) {
        failure = error;
      }
      const { fired, statements } = injector.disarm();
      if (!fired) {
        expect(failure, `${name} completed`).toBeNull();
        // Statements including BEGIN and COMMIT; a fault was injected before each but the first.
        figures[`${name}: faults injected`] = statements - 1;
        const changed = await snapshot();
        expect(changed, `${name} changed something once it completed`).not.toEqual(before);
        return { before, after: changed };
      }
      expect(causedByFault(failure), `${name}: the failure is the injected one (${String(failure)})`).toBe(true);
      expect(await snapshot(), `${name}: after a fault before statement ${after + 1}`).toEqual(before);
    }
    throw new Error(`${name} never completed`);
  }

  const rowsOf = (states: TableState[], table: string): number => states.find((s) => s.table === table)?.rows ?? 0;
  function grew(result: { before: TableState[]; after: TableState[] }): Record<string, number> {
    const growth: Record<string, number> = {};
    for (const s of result.after) {
      const delta = s.rows - rowsOf(result.before, s.table);
      if (delta !== 0) growth[s.table] = delta;
    }
    return growth;
  }

  it('accepting a joint invitation: invitation, two relationships, two grants, audit and outbox — or none of it', async () => {
    const customer = await createCustomer(t, 'Fault Joint Two');
    const issued = issuedFrom(
      expectOk(await w.reseller.admin.post('/api/v1/customer-invitations', { email: customer.adminEmail, indirectProviderId: w.provider.id, send: true }), 201) as never,
    );
    const result = await allOrNothing('accept joint invitation', await actorOf(customer.admin), (ctx) =>
      acceptInvitation(ctx, issued.id, { token: issued.token, consent: true }),
    );
    expect(grew(result)).toMatchObject({ reseller_relationships: 2, delegated_admin_grants: 2 });
    expect(grew(result)['audit_events']).toBeGreaterThanOrEqual(5);
    expect(grew(result)['outbox_messages']).toBeGreaterThanOrEqual(2);
    const [row] = await queryRows<{ state: string }>(t, sql`select state from invitations where id = ${issued.id}`);
    expect(row?.state).toBe('accepted');
  });

  it('placing an order: idempotency key, order, lines, subscription, audit and event — or none of it; also when it grows a subscription', async () => {
    const actor = await actorOf(w.provider.admin);
    const body = { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 2, billingCycle: 'monthly' as const }] };
    const first = await allOrNothing('place order', actor, (ctx) => placeOrder(ctx, w.joint.id, body, 'fault-order-1'));
    // The order and the subscription it created, each audited and published as an event.
    expect(grew(first)).toEqual({ idempotency_keys: 1, orders: 1, order_lines: 1, subscriptions: 1, audit_events: 2, outbox_messages: 2 });
    const second = await allOrNothing('place order (growing a subscription)', actor, (ctx) => placeOrder(ctx, w.joint.id, body, 'fault-order-2'));
    expect(grew(second)).toEqual({ idempotency_keys: 1, orders: 1, order_lines: 1, audit_events: 1, outbox_messages: 1 });
    const [sub] = await queryRows<{ quantity: number; version: number }>(t, sql`select quantity, version from subscriptions where organization_id = ${w.joint.id}`);
    expect(sub).toEqual({ quantity: 4, version: 2 });
  });

  it('removing a relationship and revoking delegated admin together — or neither', async () => {
    const result = await allOrNothing('remove relationship + revoke delegated admin', await actorOf(w.reseller.admin), (ctx) =>
      removeRelationship(ctx, w.solo.id, { attestation: true, revokeDelegatedAdmin: true, notifyCustomer: true }, async (c, id) =>
        (await subscriptionsLeftBehind(c, id)).map(presentSubscription),
      ),
    );
    expect(grew(result)['audit_events']).toBeGreaterThanOrEqual(2);
    const [row] = await queryRows<{ active: number; grants: number }>(
      t,
      sql`select (select count(*)::int from reseller_relationships where customer_organization_id = ${w.solo.id} and state = 'active') as active,
                 (select count(*)::int from delegated_admin_grants where organization_id = ${w.solo.id} and state = 'active') as grants`,
    );
    expect(row).toEqual({ active: 0, grants: 0 });
  });

  it('enrolling: profile, organization kind, roles, audit and verification email — or none of it', async () => {
    expectOk(
      await operator.post('/api/v1/operator/memberships', {
        membershipId: 'MPN-FAULT-1',
        legalName: 'Fault Enroll Ltd',
        country: 'US',
        accountEmail: 'registry@fault-enroll.test',
        accountPassword: password,
      }),
      201,
    );
    const customer = await createCustomer(t, 'Fault Enroll');
    const signIn = expectOk(
      await customer.admin.post<{ membershipToken: string }>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@fault-enroll.test', accountPassword: password }),
      201,
    );
    const result = await allOrNothing('enroll', await actorOf(customer.admin), (ctx) =>
      enroll(ctx, {
        program: 'indirect_reseller',
        membershipToken: signIn.membershipToken,
        membershipId: 'MPN-FAULT-1',
        legalProfile: { name: 'Fault Enroll Ltd', address: '1 Main Street, Springfield' },
        primaryContact: { name: 'Pat Primary', email: 'pat@fault-enroll.test', phone: '+1 555 0100' },
        supportProfile: { email: 'support@fault-enroll.test', phone: '+1 555 0199', website: 'https://fault-enroll.test/support' },
      }),
    );
    // The verification email and the enrollment.submitted event.
    expect(grew(result)).toEqual({ partner_profiles: 1, audit_events: 1, outbox_messages: 2 });
    const [org] = await queryRows<{ kind: string }>(t, sql`select kind from organizations where id = ${customer.id}`);
    expect(org?.kind).toBe('partner');
  });

  it('confirming MFA: seed, recovery codes, other sessions ended, audit — or none of it', async () => {
    const email = 'admin@fault-mfa.test';
    expectOk(
      await operator.post('/api/v1/operator/partners', {
        organization: { name: 'Fault MFA', domain: 'fault-mfa.test', country: 'US' },
        program: 'indirect_reseller',
        admin: { displayName: 'Fault MFA admin', email, password },
      }),
      201,
    );
    const other = t.client();
    expectOk(await other.post('/api/v1/sessions', { email, password }), 201);
    const client = t.client();
    expectOk(await client.post('/api/v1/sessions', { email, password }), 201);
    const started = expectOk(await client.post<{ secret: string }>('/api/v1/me/mfa/totp'), 201);
    const code = new TOTP({ secret: Secret.fromBase32(started.secret), digits: 6, period: 30 }).generate({ timestamp: t.clock.now().getTime() });
    const result = await allOrNothing('confirm MFA', await actorOf(client), (ctx) => confirmMfaEnrollment(ctx, { code }));
    expect(grew(result)).toEqual({ mfa_recovery_codes: 10, audit_events: 1 });
    const [row] = await queryRows<{ enrolled: boolean; live: number }>(
      t,
      sql`select u.mfa_enrolled_at is not null as enrolled, (select count(*)::int from sessions s where s.user_id = u.id and s.revoked_at is null) as live
            from users u where u.email = ${email}`,
    );
    expect(row).toEqual({ enrolled: true, live: 1 });
  });

  it('adding a user: user, audit and its user.created event — or none of them', async () => {
    const result = await allOrNothing('add user', await actorOf(w.provider.admin), (ctx) =>
      addUser(ctx, { displayName: 'Added Seller', email: 'added@fault-provider.test', roles: ['sales_agent'] }),
    );
    expect(grew(result)).toEqual({ users: 1, audit_events: 1, outbox_messages: 1 });
  });
});
