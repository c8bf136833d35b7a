import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { checkCreditExposure } from './check-credit-exposure.ts';
import { createOperator, createTestContext, expectOk, queryRows, type TestContext } from '../../../test/harness.ts';

interface OrderReply {
  id: string;
  lines: { subscriptionId: string }[];
}
interface SubscriptionReply {
  quantity: number;
  etag: string;
}

// Races on PostgreSQL with a pool of 20: requests really run side by side.
describe('commerce under concurrency', () => {
  let t: TestContext;
  let w: CommerceWorld;

  beforeAll(async () => {
    t = await createTestContext({ poolSize: 20 });
    const operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Race');
  });
  afterAll(() => t.close());

  const orderUrl = () => `/api/v1/customers/${w.joint.id}/orders`;
  const oneSeat = () => ({ resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 1, billingCycle: 'monthly' }] });

  it('IDEM-03: 50 concurrent duplicates execute once', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => w.provider.admin.post<OrderReply & { code?: string }>(orderUrl(), oneSeat(), { 'idempotency-key': 'burst' })),
    );
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    const ok = replies.filter((r) => r.status === 201);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    for (const r of replies.filter((x) => x.status !== 201)) expect([r.status, r.body.code]).toEqual([409, 'idempotency_in_progress']);
    const [rows] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from orders where organization_id = ${w.joint.id}`);
    expect(rows?.n).toBe(1);
  });

  it('20 concurrent orders of one SKU grow one subscription by exactly 20 seats', async () => {
    const before = await queryRows<{ quantity: number }>(t, sql`select quantity from subscriptions where organization_id = ${w.joint.id}`);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => w.provider.admin.post<OrderReply>(orderUrl(), oneSeat(), { 'idempotency-key': `grow-${i}` })));
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 201));
    const after = await queryRows<{ quantity: number }>(t, sql`select quantity from subscriptions where organization_id = ${w.joint.id}`);
    expect(after).toHaveLength(1);
    expect(after[0]?.quantity).toBe((before[0]?.quantity ?? 0) + 20);
  });

  it('IDEM-08/09: 100 concurrent seat changes with If-Match: no lost update, final count exact', async () => {
    const [sub] = expectOk(await w.provider.admin.get<{ items: (SubscriptionReply & { id: string })[] }>(`/api/v1/customers/${w.joint.id}/subscriptions`)).items;
    if (sub === undefined) throw new Error('no subscription');
    const url = `/api/v1/customers/${w.joint.id}/subscriptions/${sub.id}`;
    const replies = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const current = expectOk(await w.provider.admin.get<SubscriptionReply>(url));
        const delta = i % 2 === 0 ? 1 : -1;
        const reply = await w.provider.admin.patch<SubscriptionReply>(url, { quantity: current.quantity + delta }, { 'if-match': current.etag });
        return { status: reply.status, delta, before: current.quantity, after: reply.body.quantity };
      }),
    );
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    expect(replies.every((r) => r.status === 200 || r.status === 412)).toBe(true);
    const winners = replies.filter((r) => r.status === 200);
    expect(winners.length).toBeGreaterThan(0);
    // Every success moved the quantity from the value it read: the final value is the sum of the deltas.
    const final = expectOk(await w.provider.admin.get<SubscriptionReply>(url)).quantity;
    expect(final).toBe(sub.quantity + winners.reduce((sum, r) => sum + r.delta, 0));
    // Two writers with the same ETag: exactly one wins.
    const current = expectOk(await w.provider.admin.get<SubscriptionReply>(url));
    const pair = await Promise.all([1, 2].map((n) => w.provider.admin.patch(url, { quantity: current.quantity + n }, { 'if-match': current.etag })));
    expect(pair.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it('licenses never exceed seats, also when 12 assignments race for 5 seats', async () => {
    const order = expectOk(
      await w.provider.admin.post<OrderReply>(orderUrl(), { resellerId: w.reseller.id, lines: [{ skuId: w.annualOnlySkuId, quantity: 5, billingCycle: 'annual' }] }, { 'idempotency-key': 'seats' }),
      201,
    );
    const subscriptionId = order.lines[0]?.subscriptionId ?? '';
    const users: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const created = expectOk(
        await w.joint.admin.post<{ user: { id: string } }>(`/api/v1/customers/${w.joint.id}/users`, { displayName: `Seat ${i}`, email: `seat${i}@race-joint.test` }),
        201,
      );
      users.push(created.user.id);
    }
    const replies = await Promise.all(users.map((uid) => w.reseller.admin.post<{ code?: string }>(`/api/v1/customers/${w.joint.id}/users/${uid}/licenses`, { subscriptionId })));
    expect(replies.filter((r) => r.status === 204)).toHaveLength(5);
    for (const r of replies.filter((x) => x.status !== 204)) expect([r.status, r.body.code]).toEqual([409, 'seats_exhausted']);
    const [count] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from license_assignments where subscription_id = ${subscriptionId}`);
    expect(count?.n).toBe(5);
  });
  it('a lowered quantity counts the seat assigned by the transaction whose lock the patch waited for', async () => {
    const order = expectOk(
      await w.provider.admin.post<OrderReply>(orderUrl(), { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 3, billingCycle: 'annual' }] }, { 'idempotency-key': 'seat-wait' }),
      201,
    );
    const subscriptionId = order.lines[0]?.subscriptionId ?? '';
    const url = `/api/v1/customers/${w.joint.id}/subscriptions/${subscriptionId}`;
    const users: string[] = [];
    for (const n of [1, 2]) {
      const created = expectOk(
        await w.joint.admin.post<{ user: { id: string } }>(`/api/v1/customers/${w.joint.id}/users`, { displayName: `Waiting Seat ${n}`, email: `wait${n}@race-joint.test` }),
        201,
      );
      users.push(created.user.id);
    }
    expect((await w.reseller.admin.post(`/api/v1/customers/${w.joint.id}/users/${users[0] ?? ''}/licenses`, { subscriptionId })).status).toBe(204);
    const { etag } = expectOk(await w.provider.admin.get<SubscriptionReply>(url));
    // An assignment holds the subscription's lock (as assignLicense does) while the patch starts:
    // the patch's statement begins before the second seat commits and must still count it.
    let lowered: Promise<{ status: number; body: { code?: string } }> | undefined;
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`select id from subscriptions where id = ${subscriptionId} for update`);
      await tx.execute(sql`insert into license_assignments (id, organization_id, subscription_id, user_id, created_at)
        values (gen_random_uuid(), ${w.joint.id}, ${subscriptionId}, ${users[1] ?? ''}, now())`);
      lowered = w.provider.admin.patch<{ code?: string }>(url, { quantity: 1 }, { 'if-match': etag });
      for (let tries = 0; tries < 250; tries += 1) {
        const [waiting] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if ((waiting?.n ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const reply = await lowered;
    expect([reply?.status, reply?.body.code]).toEqual([409, 'seats_in_use']);
    expect(expectOk(await w.provider.admin.get<SubscriptionReply>(url)).quantity).toBe(3);
  });

  it('concurrent orders drawing one credit line never exceed it; concurrent duplicates through it execute once', async () => {
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
    const credit = () => w.reseller.admin.get<{ limit: number; exposure: number }>(`/api/v1/indirect-providers/${w.provider.id}/credit`);
    const { exposure } = expectOk(await credit());
    // Room for exactly 7 orders of 1000.
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: exposure + 7000, currency: 'USD' }));
    const through = { providerId: w.provider.id, lines: [{ skuId: w.skuId, quantity: 1, billingCycle: 'monthly' }] };
    const replies = await Promise.all(Array.from({ length: 15 }, (_, i) => w.reseller.admin.post<{ code?: string }>(orderUrl(), through, { 'idempotency-key': `credit-${i}` })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(7);
    for (const r of replies.filter((x) => x.status !== 201)) expect([r.status, r.body.code]).toEqual([422, 'credit_limit_exceeded']);
    expect(expectOk(await credit()).exposure).toBe(exposure + 7000);
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: exposure + 100_000, currency: 'USD' }));
    const duplicates = await Promise.all(Array.from({ length: 30 }, () => w.reseller.admin.post<OrderReply & { code?: string }>(orderUrl(), through, { 'idempotency-key': 'credit-burst' })));
    expect(duplicates.filter((r) => r.status >= 500)).toEqual([]);
    expect(new Set(duplicates.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(1);
    for (const r of duplicates.filter((x) => x.status !== 201)) expect([r.status, r.body.code]).toEqual([409, 'idempotency_in_progress']);
    expect(expectOk(await credit()).exposure).toBe(exposure + 8000);
  });

  it('16 concurrent orders over three credit lines: each running counter equals the sum of its orders, and exactly the orders over a limit are refused', async () => {
    const more = [await commerceWorld(t, w.operator, 'Race Two'), await commerceWorld(t, w.operator, 'Race Three')];
    const [two, three] = more;
    if (two === undefined || three === undefined) throw new Error('worlds missing');
    const roomFor = async (world: CommerceWorld, orders: number) => {
      expectOk(await world.provider.admin.put(`/api/v1/indirect-resellers/${world.reseller.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
      const { exposure } = expectOk(await world.reseller.admin.get<{ exposure: number }>(`/api/v1/indirect-providers/${world.provider.id}/credit`));
      expectOk(await world.provider.admin.put(`/api/v1/indirect-resellers/${world.reseller.id}/credit`, { limit: exposure + orders * 1000, currency: 'USD' }));
    };
    await roomFor(w, 4);
    await roomFor(two, 3);
    expectOk(await three.provider.admin.put(`/api/v1/indirect-resellers/${three.reseller.id}/credit`, { limit: 1000, currency: 'USD' }));
    const through = (world: CommerceWorld, i: number) =>
      world.reseller.admin.post<{ code?: string }>(`/api/v1/customers/${world.joint.id}/orders`, { providerId: world.provider.id, lines: [{ skuId: world.skuId, quantity: 1, billingCycle: 'monthly' }] }, { 'idempotency-key': `lines-${i}` });
    // Orders a provider places naming its reseller draw no credit but count in the exposure.
    const naming = (world: CommerceWorld, i: number) =>
      world.provider.admin.post<{ code?: string }>(`/api/v1/customers/${world.joint.id}/orders`, { resellerId: world.reseller.id, lines: [{ skuId: world.skuId, quantity: 2, billingCycle: 'monthly' }] }, { 'idempotency-key': `lines-${i}` });
    const plan = [...Array.from({ length: 6 }, () => w), ...Array.from({ length: 5 }, () => two), ...Array.from({ length: 5 }, () => three)];
    const replies = await Promise.all(plan.map((world, i) => (world === three ? naming(world, i) : through(world, i)).then((r) => ({ world, ...r }))));
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    const outcome = (world: CommerceWorld) => {
      const mine = replies.filter((r) => r.world === world);
      for (const r of mine.filter((x) => x.status !== 201)) expect([r.status, r.body.code]).toEqual([422, 'credit_limit_exceeded']);
      return mine.filter((r) => r.status === 201).length;
    };
    expect([outcome(w), outcome(two), outcome(three)]).toEqual([4, 3, 5]);
    const lines = await queryRows<{ counter: number; sum: number; limit_amount: number }>(
      t,
      sql`select c.exposure_amount::int as counter, c.limit_amount,
            (select coalesce(sum(o.total_amount), 0)::int from orders o
              where o.provider_organization_id = c.provider_organization_id and o.reseller_organization_id = c.reseller_organization_id
                and o.state = 'completed' and o.created_at >= c.exposure_period) as sum
          from credit_terms c where c.reseller_organization_id in (${w.reseller.id}, ${two.reseller.id}, ${three.reseller.id})
          order by c.limit_amount`,
    );
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.counter).toBe(line.sum);
    // The lines drawn by the reseller are exactly full; the provider's orders took 5 × 2000.
    expect(lines.filter((l) => l.counter === l.limit_amount)).toHaveLength(2);
    expect(lines.find((l) => l.limit_amount === 1000)?.counter).toBe(10_000);
    expect(await checkCreditExposure(t.db, t.clock.now(), { warn: () => undefined })).toEqual([]);
  });
});
