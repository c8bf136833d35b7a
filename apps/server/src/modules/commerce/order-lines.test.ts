import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, expectPublished } from '../../../test/audit-records.ts';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { createOperator, createTestContext, expectOk, queryRows, signIn, type TestContext } from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
  detail?: string;
  message?: string;
}
interface OrderReply {
  id: string;
  totalAmount: number;
  lines: { skuId: string; quantity: number; billingCycle: string; subscriptionId: string; amount: number }[];
}

// Lines of one SKU and cycle share a subscription: they grow it once, yet read as grown line by line.
describe('orders with several lines, checks after the writes, and what an order leaves behind', () => {
  let t: TestContext;
  let w: CommerceWorld;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Lines');
  });
  afterAll(() => t.close());

  const url = () => `/api/v1/customers/${w.joint.id}/orders`;
  const counts = async () => {
    const [row] = await queryRows<{ orders: number; lines: number; subs: number; audits: number; events: number; keys: number }>(
      t,
      sql`select (select count(*)::int from orders) as orders, (select count(*)::int from order_lines) as lines,
                 (select count(*)::int from subscriptions) as subs, (select count(*)::int from audit_events where action = 'order.completed') as audits,
                 (select count(*)::int from outbox_messages where topic = 'order.completed') as events, (select count(*)::int from idempotency_keys) as keys`,
    );
    if (row === undefined) throw new Error('no counts');
    return row;
  };

  it('a line below the minimum fails on its own quantity, even when a later line of the SKU would reach it; nothing is written', async () => {
    const before = await counts();
    const reply = await w.provider.admin.post<Problem>(
      url(),
      { lines: [{ skuId: w.annualOnlySkuId, quantity: 2, billingCycle: 'annual' }, { skuId: w.annualOnlySkuId, quantity: 3, billingCycle: 'annual' }] },
      { 'idempotency-key': 'below' },
    );
    expect([reply.status, reply.body.code, reply.body.field]).toEqual([422, 'quantity_out_of_range', 'lines.0.quantity']);
    expect(JSON.stringify(reply.body)).toContain('this order would make 2.');
    expect(await counts()).toEqual(before);
  });

  it('lines of one SKU and cycle grow one subscription, one version per line; the reply is what a replay reads back', async () => {
    const body = {
      resellerId: w.reseller.id,
      lines: [
        { skuId: w.skuId, quantity: 2, billingCycle: 'monthly' },
        { skuId: w.annualOnlySkuId, quantity: 5, billingCycle: 'annual' },
        { skuId: w.skuId, quantity: 3, billingCycle: 'monthly' },
        { skuId: w.skuId, quantity: 1, billingCycle: 'annual' },
      ],
    };
    const before = await counts();
    const first = await w.provider.admin.post<OrderReply>(url(), body, { 'idempotency-key': 'several' });
    expect(first.status).toBe(201);
    expect(first.body.lines.map((l) => [l.skuId, l.quantity, l.billingCycle])).toEqual(body.lines.map((l) => [l.skuId, l.quantity, l.billingCycle]));
    expect(first.body.totalAmount).toBe(5 * 1000 + 5 * 3000 + 10_000);
    const [a, b, c, d] = first.body.lines.map((l) => l.subscriptionId);
    expect(a).toBe(c);
    expect(new Set([a, b, d]).size).toBe(3);
    const subs = await queryRows<{ id: string; quantity: number; version: number }>(t, sql`select id, quantity, version from subscriptions where organization_id = ${w.joint.id}`);
    expect(subs.find((s) => s.id === a)).toMatchObject({ quantity: 5, version: 2 });
    expect(subs.find((s) => s.id === b)).toMatchObject({ quantity: 5, version: 1 });
    const replay = await w.provider.admin.post<OrderReply>(url(), body, { 'idempotency-key': 'several' });
    expect([replay.status, replay.raw]).toEqual([201, first.raw]);
    const listed = expectOk(await w.provider.admin.get<{ items: OrderReply[] }>(url())).items.find((o) => o.id === first.body.id);
    expect(JSON.stringify(listed)).toBe(first.raw);
    expect(await counts()).toEqual({ ...before, orders: before.orders + 1, lines: before.lines + 4, subs: before.subs + 3, audits: before.audits + 1, events: before.events + 1, keys: before.keys + 1 });
    const [audit] = await queryRows<{ after: { total: number; lines: { subscriptionId: string }[] }; organization_ids: string[] }>(
      t,
      sql`select after, organization_ids from audit_events where action = 'order.completed' and target_id = ${first.body.id}`,
    );
    expect(audit?.after.total).toBe(first.body.totalAmount);
    expect(audit?.after.lines.map((l) => l.subscriptionId)).toEqual([a, b, c, d]);
    expect(new Set(audit?.organization_ids)).toEqual(new Set([w.joint.id, w.provider.id, w.reseller.id]));
    // The write statement recorded the order, then each subscription it created in line order, and their events.
    const records = await auditRecords(t, sql`request_id = (select request_id from audit_events where target_id = ${first.body.id})`);
    expect(records.map((r) => [r.action, r.targetId])).toEqual([
      ['order.completed', first.body.id],
      ['subscription.created', a],
      ['subscription.created', b],
      ['subscription.created', d],
    ]);
    expect(records[1]?.after).toEqual({ skuId: w.skuId, billingCycle: 'monthly', quantity: 5, orderId: first.body.id });
    expect(records.every((r) => r.actorOrganizationId === w.provider.id && r.organizationIds.join() === [w.joint.id, w.provider.id, w.reseller.id].join())).toBe(true);
    await expectPublished(t, records);
  });

  it('a later line over the maximum fails on its own cumulative quantity', async () => {
    const reply = await w.provider.admin.post<Problem>(
      url(),
      { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 300, billingCycle: 'monthly' }, { skuId: w.skuId, quantity: 300, billingCycle: 'monthly' }] },
      { 'idempotency-key': 'above' },
    );
    expect([reply.status, reply.body.code, reply.body.field]).toEqual([422, 'quantity_out_of_range', 'lines.1.quantity']);
    // 5 seats before, 305 after the first line, 605 after the second.
    expect(JSON.stringify(reply.body)).toContain('this order would make 605.');
  });

  it('credit is checked before seat bounds; an expired key is claimed again and draws credit anew', async () => {
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 20_000, currency: 'USD' }));
    const through = (lines: { skuId: string; quantity: number; billingCycle: string }[], key: string) =>
      w.reseller.admin.post<Problem & OrderReply>(url(), { providerId: w.provider.id, lines }, { 'idempotency-key': key });
    // Over the credit (the provider's order above counts 30,000) and over the seat bound: credit answers.
    const both = await through([{ skuId: w.skuId, quantity: 600, billingCycle: 'monthly' }], 'both');
    expect([both.status, both.body.code]).toEqual([422, 'credit_limit_exceeded']);
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
    const seats = await through([{ skuId: w.skuId, quantity: 600, billingCycle: 'monthly' }], 'both');
    expect([seats.status, seats.body.code]).toEqual([422, 'quantity_out_of_range']);
    expectOk(await through([{ skuId: w.skuId, quantity: 10, billingCycle: 'monthly' }], 'again'), 201);
    const exposure = () => w.reseller.admin.get<{ exposure: number }>(`/api/v1/indirect-providers/${w.provider.id}/credit`);
    const used = expectOk(await exposure()).exposure;
    t.clock.advance(24 * 60 * 60 * 1000 + 1);
    w.reseller.admin = await signIn(t, w.reseller.adminEmail);
    const renewed = await through([{ skuId: w.skuId, quantity: 10, billingCycle: 'monthly' }], 'again');
    expect(renewed.status).toBe(201);
    expect(renewed.headers['idempotent-replayed']).toBeUndefined();
    expect(expectOk(await exposure()).exposure).toBe(used + 10_000);
  });
});
