import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActorResolver } from '../src/modules/identity/index.ts';
import { runInTransaction } from '../src/platform/unit-of-work.ts';
import { commerceWorld, type CommerceWorld } from './commerce-fixture.ts';
import { connect, createCustomer, createOperator, createPartner, createTestContext, expectOk, queryRows, relate, signIn, type Client, type TestContext } from './harness.ts';

/*
 * Stable plans: every statement of a hot path is a named prepared statement that PostgreSQL plans
 * once — after its five custom plans it keeps the generic one — and whose generic plan reads the
 * index it was written for. With a pool of one connection, the app's statements and this test's
 * queries share one session, whose `pg_prepared_statements` counts each statement's plans
 * (PostgreSQL 14+). The plan is read on a second connection with `plan_cache_mode =
 * force_generic_plan` and `EXPLAIN EXECUTE` (PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN)),
 * sequential scans off: the test's tables are small enough that a scan would win where
 * production's would not, and a generic plan that cannot use the index (a parameter where the
 * partial index's constant must be) still shows none.
 *
 * Statistics hold still while the test runs: autovacuum is off for the database's tables, and
 * one ANALYZE follows the fixtures. An analyze invalidates the plans that read its table, and
 * PostgreSQL then weighs the rebuilt generic plan against the average of the custom plans it made
 * under the old statistics: it may plan a few calls with their values until that average catches
 * up (with an analyze every second, the outbox claim made up to 29 custom plans in 30 calls). That
 * is a re-choice per analyze, timed by the autovacuum launcher, not a re-plan per call, which is
 * what this test is for.
 */

interface PlanStats {
  name: string;
  generic_plans: number;
  custom_plans: number;
  parameters: number;
}

async function statsOf(t: TestContext, name: string): Promise<PlanStats | undefined> {
  const [row] = await queryRows<PlanStats>(
    t,
    sql`select name, generic_plans::int, custom_plans::int, coalesce(cardinality(parameter_types), 0) as parameters
          from pg_prepared_statements where name = ${name}`,
  );
  return row;
}

/**
 * The statement's generic plan as text, made on a connection of its own: the statement's text and
 * parameter types are prepared there again under `force_generic_plan` and explained with NULLs (a
 * generic plan does not look at them). The app's session is left alone: `DISCARD PLANS` or a plan
 * built there under the probe's settings would change how that session plans the statements
 * checked after this one.
 */
async function genericPlan(t: TestContext, probe: pg.Client, name: string): Promise<string> {
  const [source] = await queryRows<{ statement: string; types: string[] }>(
    t,
    sql`select statement, coalesce(parameter_types::text[], '{}') as types from pg_prepared_statements where name = ${name}`,
  );
  if (source === undefined) throw new Error(`${name} is not prepared`);
  const types = source.types.length === 0 ? '' : `(${source.types.join(', ')})`;
  const args = source.types.length === 0 ? '' : `(${source.types.map(() => 'NULL').join(', ')})`;
  await probe.query(`prepare probe${types} as ${source.statement}`);
  try {
    const result = await probe.query<{ 'QUERY PLAN': string }>(`explain execute probe${args}`);
    return result.rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await probe.query('deallocate probe');
  }
}

/** True when the plan reads the index: an index (only) scan `using` it or a bitmap index scan `on` it. */
function readsIndex(plan: string, index: string): boolean {
  return plan.includes(` using ${index} `) || plan.includes(`Bitmap Index Scan on ${index} `);
}

/**
 * Runs `times` requests, then checks the statement was planned generically, scans no table and reads
 * every index named; where several are given as a list, any of them (on the test's few rows the planner may
 * break a tie between two indexes that both read one key's rows).
 */
async function expectStablePlan(t: TestContext, probe: pg.Client, name: string, indexes: (string | string[])[], times: number, run: (n: number) => Promise<void>): Promise<void> {
  for (let n = 0; n < times; n += 1) await run(n);
  const stats = await statsOf(t, name);
  expect(stats, `${name} was not prepared under its name`).toBeDefined();
  if (stats === undefined) return;
  // PostgreSQL plans the first five runs with the values, then keeps the generic plan when it is
  // no worse; a statement it keeps re-planning has a generic plan it judges worse.
  expect(stats.custom_plans, `${name}: ${JSON.stringify(stats)}`).toBeLessThanOrEqual(5);
  expect(stats.generic_plans + stats.custom_plans, `${name}: ${JSON.stringify(stats)}`).toBeGreaterThanOrEqual(times);
  if (stats.parameters > 0) expect(stats.generic_plans, `${name}: ${JSON.stringify(stats)}`).toBeGreaterThanOrEqual(times - 5);
  const plan = await genericPlan(t, probe, name);
  // Sequential scans are off: one in the plan is a table the generic plan can read no other way.
  expect(plan, `${name}'s generic plan`).not.toContain('Seq Scan');
  for (const index of indexes) {
    const anyOf = typeof index === 'string' ? [index] : index;
    expect(anyOf.some((i) => readsIndex(plan, i)), `${name}'s generic plan reads none of ${anyOf.join(', ')}:\n${plan}`).toBe(true);
  }
}

describe('stable plans: hot statements are named, planned once, and their generic plans use their indexes', () => {
  let t: TestContext;
  let w: CommerceWorld;
  let operator: Client;
  let probe: pg.Client;

  beforeAll(async () => {
    // One connection: the app's prepared statements and this test's look at them share a session.
    t = await createTestContext({ poolSize: 1 });
    await queryRows(
      t,
      sql.raw(`do $$ declare r record; begin
        for r in select c.oid::regclass as rel from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') loop
          execute format('alter table %s set (autovacuum_enabled = false)', r.rel);
        end loop; end $$`),
    );
    probe = new pg.Client({ connectionString: t.database.url ?? undefined });
    await probe.connect();
    // Sequential scans are off: one in the plan is a table the generic plan can read no other way.
    await probe.query('set plan_cache_mode = force_generic_plan; set enable_seqscan = off');
    operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Plan');
    const items = Array.from({ length: 30 }, (_, n) => ({
      partnerDomain: w.reseller.domain,
      customerName: `Plan Customer ${String(n).padStart(2, '0')}`,
      customerDomain: `plan-customer-${n}.test`,
      customerCountry: ['US', 'DE', 'FR'][n % 3] ?? 'US',
    }));
    expectOk(await operator.post('/api/v1/operator/reseller-relationships/import', { items }));
    await queryRows(t, sql`analyze`);
  });
  afterAll(async () => {
    await probe.end();
    await t.close();
  });

  const keysetIndexes = {
    name: 'reseller_relationships_partner_keyset_idx',
    domain: 'reseller_relationships_partner_domain_idx',
    country: 'reseller_relationships_partner_country_idx',
    since: 'reseller_relationships_partner_since_idx',
  } as const;

  for (const sort of ['name', 'domain', 'country', 'since'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      it(`the customer page sorted by ${sort} ${order}, first and later pages, with the caller's grants in the same statement`, async () => {
        let cursor = '';
        await expectStablePlan(t, probe, `customers_page_${sort}_${order}_first`, [keysetIndexes[sort], 'delegated_admin_grants_partner_idx'], 10, async () => {
          const page = expectOk(await w.reseller.admin.get<{ items: unknown[]; nextCursor: string | null }>(`/api/v1/customers?sort=${sort}&order=${order}&limit=5`));
          expect(page.items).toHaveLength(5);
          cursor = page.nextCursor ?? '';
        });
        await expectStablePlan(t, probe, `customers_page_${sort}_${order}_after`, [keysetIndexes[sort], 'delegated_admin_grants_partner_idx'], 10, async () => {
          expectOk(await w.reseller.admin.get(`/api/v1/customers?sort=${sort}&order=${order}&limit=5&cursor=${cursor}`));
        });
      });
    }
  }

  it('one customer with its grants', async () => {
    await expectStablePlan(t, probe, 'customers_get', ['reseller_relationships_active_pair_key', 'delegated_admin_grants_partner_idx'], 10, async () => {
      const customer = expectOk(await w.reseller.admin.get<{ delegatedAdmin: unknown[] }>(`/api/v1/customers/${w.solo.id}`));
      expect(customer.delegatedAdmin.length).toBeGreaterThan(0);
    });
  });

  it('the access hook: the session, its touch, an API key; the delegated admin check', async () => {
    await expectStablePlan(t, probe, 'identity_session_actor', ['sessions_pkey', 'users_pkey', 'organizations_pkey'], 10, async () => {
      expectOk(await w.reseller.admin.get('/api/v1/me'));
    });
    await expectStablePlan(t, probe, 'identity_session_touch', ['sessions_pkey'], 10, async () => {
      t.clock.advance(61_000);
      expectOk(await w.reseller.admin.get('/api/v1/me'));
    });
    const { secret } = expectOk(await w.reseller.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'Plan key', roles: ['global_admin'] }), 201);
    // Without the key cache, as on a miss: every call reads the key.
    const resolver = createActorResolver(t.db, t.clock);
    await expectStablePlan(t, probe, 'identity_api_key_actor', ['api_keys_secret_hash_key', 'organizations_pkey'], 10, async () => {
      expect(await resolver.fromApiKey(secret)).not.toBeNull();
    });
    await expectStablePlan(
      t,
      probe,
      'customers_delegated_access',
      ['organizations_pkey', 'reseller_relationships_active_pair_key', 'delegated_admin_grants_partner_idx'],
      10,
      async () => void (await w.reseller.admin.get(`/api/v1/customers/${w.solo.id}/users`)),
    );
  });

  it('sign-in: the user by email, the session written, the second factor taken once', async () => {
    const signInEvery30s = async () => {
      t.clock.advance(31_000);
      await signIn(t, w.reseller.adminEmail);
    };
    await expectStablePlan(t, probe, 'identity_user_by_email', ['users_email_key'], 10, signInEvery30s);
    await expectStablePlan(t, probe, 'identity_session_insert', [], 10, signInEvery30s);
    await expectStablePlan(t, probe, 'identity_totp_step_claim', ['users_pkey'], 10, signInEvery30s);
    // The throttles on a successful sign-in: whether a key is blocked, the MFA code's guess window, clearing the address's count.
    await expectStablePlan(t, probe, 'identity_throttle_blocked_until', ['sign_in_throttles_pkey'], 10, signInEvery30s);
    // No wrong guess is stored here: on the empty table the window index ties with the key's.
    await expectStablePlan(t, probe, 'identity_guess_window', [['guess_failures_key_window_started_at_id_pk', 'guess_failures_window_idx']], 10, signInEvery30s);
    await expectStablePlan(t, probe, 'identity_throttle_delete', ['sign_in_throttles_pkey'], 10, signInEvery30s);
  });

  it('the subscription patch: relationship, lock, SKU, seats, conditional update and the answer in one statement', async () => {
    const orderUrl = `/api/v1/customers/${w.joint.id}/orders`;
    expectOk(
      await w.provider.admin.post(orderUrl, { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 5, billingCycle: 'monthly' }] }, { 'idempotency-key': 'plan-patch' }),
      201,
    );
    const [subscription] = expectOk(await w.provider.admin.get<{ items: { id: string }[] }>(`/api/v1/customers/${w.joint.id}/subscriptions`)).items;
    if (subscription === undefined) throw new Error('no subscription');
    const url = `/api/v1/customers/${w.joint.id}/subscriptions/${subscription.id}`;
    let patches = 0;
    // Raised and lowered in turn; every third a stale ETag (refused 412 by the same statement).
    const patch = async (n: number) => {
      const { etag } = expectOk(await w.provider.admin.get<{ etag: string }>(url));
      if (n % 3 === 2) {
        expect((await w.provider.admin.patch(url, { quantity: 5 }, { 'if-match': '"0"' })).status).toBe(412);
      } else {
        expectOk(await w.provider.admin.patch(url, { quantity: 5 + (n % 2) }, { 'if-match': etag }));
      }
      patches += 1;
    };
    // The view's other joins are index reads too (no Seq Scan); the seats are counted by
    // commerce_seats_assigned, whose own plan PL/pgSQL keeps for the session.
    await expectStablePlan(
      t,
      probe,
      'commerce_subscription_patch',
      ['reseller_relationships_active_pair_key', ['subscriptions_pkey', 'subscriptions_line_key'], 'skus_pkey', 'products_pkey', 'organizations_pkey'],
      12,
      patch,
    );
    expect(patches).toBe(12);
  });

  it('invitation acceptance: the read of everything the checks need, and one write statement per kind', async () => {
    let accepted = 0;
    // Once the test's invitations are accepted, none is pending: the pending invitations' partial
    // index is then the cheapest read of the one pending row by id, which production's many
    // pending invitations would not make it.
    const invitationRead = ['invitations_pkey', 'invitations_expiry_idx', 'invitations_pending_key'];
    await expectStablePlan(
      t,
      probe,
      'invitations_accept_relationship',
      [invitationRead, ['reseller_relationships_active_pair_key', 'reseller_relationships_customer_idx'], ['delegated_admin_grants_partner_idx', 'delegated_admin_grants_organization_idx']],
      10,
      async (n) => {
        const customer = await createCustomer(t, `Plan Accepting Customer ${n}`);
        // Every other one jointly with the provider: two partners, the same statement.
        await relate(w.reseller, customer, n % 2 === 0 ? w.provider.id : undefined);
        accepted += 1;
      },
    );
    await expectStablePlan(t, probe, 'invitations_accept_partnership', [invitationRead, ['partnerships_active_pair_key', 'partnerships_reseller_idx'], 'delegated_admin_grants_partner_idx'], 10, async (n) => {
      await connect(w.provider, await createPartner(t, operator, `Plan Accepting Reseller ${n}`, 'indirect_reseller'));
      accepted += 1;
    });
    // The read ran for each of the twenty acceptances above.
    await expectStablePlan(t, probe, 'invitations_acceptance_subject', ['invitations_pkey', 'organizations_pkey'], 0, async () => undefined);
    expect(accepted).toBe(20);
  });

  it('the outbox relay: the claim, the webhook endpoints of an event, the embedded mailbox, the batch marked sent', async () => {
    const orderUrl = `/api/v1/customers/${w.joint.id}/orders`;
    // Each run queues an order's events and an email, then drains the outbox: no endpoint is subscribed.
    const queueAndDrain = async (n: number) => {
      const lines = [{ skuId: w.skuId, quantity: 1, billingCycle: 'monthly' }];
      expectOk(await w.provider.admin.post(orderUrl, { resellerId: w.reseller.id, lines }, { 'idempotency-key': `plan-relay-${n}` }), 201);
      await runInTransaction(t.uow, null, 'plan', (ctx) => ctx.outbox.email({ to: `relay-${n}@plan.test`, subject: 'Plan', text: 'Plan' }, 'plan.relay'));
      await t.drainOutbox();
    };
    await expectStablePlan(t, probe, 'outbox_claim_20', ['outbox_messages_due_idx', 'outbox_messages_pkey'], 10, queueAndDrain);
    // The other statements ran in each of the drains above.
    await expectStablePlan(t, probe, 'webhooks_enabled_endpoints', ['webhook_endpoints_organization_idx'], 0, async () => undefined);
    await expectStablePlan(t, probe, 'notifications_mailbox_insert', [], 0, async () => undefined);
    await expectStablePlan(t, probe, 'outbox_mark_sent', ['outbox_messages_pkey'], 0, async () => undefined);
  });

  it('order placement: the claim with the facts and the credit counter (the line\'s lock), and the writes', async () => {
    const orderUrl = `/api/v1/customers/${w.joint.id}/orders`;
    const place = async (n: number) => {
      const lines = [{ skuId: w.skuId, quantity: 1, billingCycle: n % 2 === 0 ? 'monthly' : 'annual' }];
      // Every third order has two lines: the same statements whatever the number of lines.
      if (n % 3 === 0) lines.push({ skuId: w.skuId, quantity: 1, billingCycle: 'annual' });
      expectOk(await w.provider.admin.post(orderUrl, { resellerId: w.reseller.id, lines }, { 'idempotency-key': `plan-order-${n}` }), 201);
    };
    await expectStablePlan(
      t,
      probe,
      'commerce_order_facts_claim',
      // The claim's insert names no index in EXPLAIN (ON CONFLICT DO NOTHING has no arbiter listed).
      ['credit_terms_pair_key', 'reseller_relationships_active_pair_key', ['partnerships_active_pair_key', 'partnerships_reseller_idx'], 'skus_pkey', 'organizations_pkey'],
      10,
      place,
    );
    // The writes ran once for each order above: order, subscriptions (their arbiter, `subscriptions_line_key`, is not
    // named by a scan), lines; the key was written once, by the claim.
    await expectStablePlan(t, probe, 'commerce_order_write', [], 0, async () => undefined);
    // Every write's audit events and outbox messages, one JSON array each: one statement for any number of rows.
    await expectStablePlan(t, probe, 'platform_audit_outbox', [], 0, async () => undefined);
  });
});
