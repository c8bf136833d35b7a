import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
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
});
