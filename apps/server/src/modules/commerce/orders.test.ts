import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { auditRecords, expectPublished } from '../../../test/audit-records.ts';
import { createOperator, createPartner, createTestContext, expectOk, queryRows, signIn, type Client, type TestContext } from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
}
interface OrderReply {
  id: string;
  totalAmount: number;
  reseller: { id: string } | null;
  provider: { id: string };
  lines: { subscriptionId: string; amount: number }[];
}
interface SubscriptionReply {
  id: string;
  quantity: number;
  status: string;
  etag: string;
}

let keys = 0;
const key = () => ({ 'idempotency-key': `key-${(keys += 1)}` });

describe('W10: orders, credit terms and subscriptions', () => {
  let t: TestContext;
  let operator: Client;
  let w: CommerceWorld;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Orders');
  });
  afterAll(() => t.close());

  it('catalog: partners read it, only operators write it', async () => {
    const catalog = expectOk(await w.reseller.admin.get<{ items: { name: string; skus: { prices: { monthly: number | null } }[] }[] }>('/api/v1/catalog/products'));
    expect(catalog.items.map((p) => p.name)).toContain('Orders Suite');
    expect((await w.provider.admin.post('/api/v1/operator/catalog/products', { name: 'X', skus: [] })).status).toBe(403);
    const bad = await operator.post<Problem>('/api/v1/operator/catalog/products', {
      name: 'No price',
      skus: [{ name: 'Free', currency: 'USD', prices: {} }],
    });
    expect(bad.status).toBe(400);
    const changed = expectOk(await operator.patch<{ prices: { monthly: number } }>(`/api/v1/operator/catalog/skus/${w.skuId}`, { prices: { monthly: 1000 } }));
    expect(changed.prices.monthly).toBe(1000);
    const spare = expectOk(
      await operator.post<{ id: string }>('/api/v1/operator/catalog/products', { name: 'Spare', skus: [{ name: 'Spare One', currency: 'USD', prices: { monthly: 100 } }] }),
      201,
    );
    expect((await operator.delete(`/api/v1/operator/catalog/products/${spare.id}`)).status).toBe(204);
    expect((await operator.delete(`/api/v1/operator/catalog/products/${spare.id}`)).status).toBe(404);
  });

  it('a provider orders for a reseller\'s customer naming the reseller; prices come from the catalog', async () => {
    const order = expectOk(
      await w.provider.admin.post<OrderReply>(`/api/v1/customers/${w.joint.id}/orders`, { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 3, billingCycle: 'monthly' }] }, key()),
      201,
    );
    expect(order.totalAmount).toBe(3000);
    expect(order.reseller?.id).toBe(w.reseller.id);
    const subs = expectOk(await w.reseller.admin.get<{ items: SubscriptionReply[] }>(`/api/v1/customers/${w.joint.id}/subscriptions`)).items;
    expect(subs.map((s) => s.quantity)).toEqual([3]);
    // The customer sees it too, on its own page.
    expect(expectOk(await w.joint.admin.get<{ items: SubscriptionReply[] }>('/api/v1/subscriptions')).items.map((s) => s.id)).toEqual(subs.map((s) => s.id));
  });

  it('refuses a provider without its own relationship, a reseller without partnership, an unrelated partner', async () => {
    const line = { lines: [{ skuId: w.skuId, quantity: 1, billingCycle: 'monthly' }] };
    const noOwn = await w.provider.admin.post<Problem>(`/api/v1/customers/${w.solo.id}/orders`, { ...line, resellerId: w.reseller.id }, key());
    expect(noOwn.status).toBe(404);
    const throughProvider = await w.reseller.admin.post<Problem>(`/api/v1/customers/${w.solo.id}/orders`, { ...line, providerId: w.provider.id }, key());
    expect([throughProvider.status, throughProvider.body.code]).toEqual([409, 'relationship_not_active']);
    const otherProvider = await createPartner(t, operator, 'Stranger Provider', 'indirect_provider');
    const notPartnered = await w.reseller.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, { ...line, providerId: otherProvider.id }, key());
    expect(notPartnered.status).toBe(404);
    const stranger = await otherProvider.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, line, key());
    expect(stranger.status).toBe(404);
    const alone = await w.reseller.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, line, key());
    expect([alone.status, alone.body.code]).toEqual([403, 'partner_of_record_required']);
    const wrongCycle = await w.provider.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, { lines: [{ skuId: w.annualOnlySkuId, quantity: 5, billingCycle: 'monthly' }] }, key());
    expect([wrongCycle.status, wrongCycle.body.code]).toEqual([422, 'billing_cycle_unavailable']);
    const tooFew = await w.provider.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, { lines: [{ skuId: w.annualOnlySkuId, quantity: 2, billingCycle: 'annual' }] }, key());
    expect([tooFew.status, tooFew.body.code, tooFew.body.field]).toEqual([422, 'quantity_out_of_range', 'lines.0.quantity']);
  });

  it('credit: no terms, over the limit refused; within it accepted; both sides see exposure', async () => {
    const order = (quantity: number) =>
      w.reseller.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, { providerId: w.provider.id, lines: [{ skuId: w.skuId, quantity, billingCycle: 'monthly' }] }, key());
    const none = await order(1);
    expect([none.status, none.body.code]).toEqual([422, 'credit_limit_exceeded']);
    expect((await w.reseller.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 1, currency: 'USD' })).status).toBe(403);
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 10_000, currency: 'USD' }));
    // The provider's own order above (naming the reseller) counts: 3000 used, 7000 left.
    const over = await order(8);
    expect([over.status, over.body.code]).toEqual([422, 'credit_limit_exceeded']);
    expectOk(await order(7), 201);
    const seen = expectOk(await w.reseller.admin.get<{ limit: number; exposure: number; available: number }>(`/api/v1/indirect-providers/${w.provider.id}/credit`));
    expect(seen).toMatchObject({ limit: 10_000, exposure: 10_000, available: 0 });
    const providerView = expectOk(await w.provider.admin.get<{ exposure: number }>(`/api/v1/indirect-resellers/${w.reseller.id}/credit`));
    expect(providerView.exposure).toBe(10_000);
    const refused = await order(1);
    expect(refused.body.code).toBe('credit_limit_exceeded');
  });

  it('credit lines of a page of partners in one request; a stranger, a customer or the caller itself are left out', async () => {
    const stranger = await createPartner(t, operator, 'Credit Stranger', 'indirect_reseller');
    const ids = [w.reseller.id, stranger.id, w.joint.id, w.provider.id].join(',');
    const lines = expectOk(await w.provider.admin.get<{ items: { reseller: { id: string }; exposure: number }[] }>(`/api/v1/indirect-resellers/credit?ids=${ids}`));
    expect(lines.items.map((l) => l.reseller.id)).toEqual([w.reseller.id]);
    const single = expectOk(await w.provider.admin.get<{ exposure: number }>(`/api/v1/indirect-resellers/${w.reseller.id}/credit`));
    expect(lines.items[0]?.exposure).toBe(single.exposure);
    const theirs = expectOk(await w.reseller.admin.get<{ items: { provider: { id: string } }[] }>(`/api/v1/indirect-providers/credit?ids=${w.provider.id},${stranger.id}`));
    expect(theirs.items.map((l) => l.provider.id)).toEqual([w.provider.id]);
    expect((await w.provider.admin.get(`/api/v1/indirect-resellers/credit?ids=not-an-id`)).status).toBe(400);
    expect((await w.provider.admin.get('/api/v1/indirect-resellers/credit')).status).toBe(400);
  });

  it('IDEM-01/02/04/05: replay, other body, missing key, another organization\'s key', async () => {
    const body = { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 2, billingCycle: 'monthly' }] };
    const headers = { 'idempotency-key': 'replayed-key' };
    const first = await w.provider.admin.post<OrderReply>(`/api/v1/customers/${w.joint.id}/orders`, body, headers);
    const second = await w.provider.admin.post<OrderReply>(`/api/v1/customers/${w.joint.id}/orders`, body, headers);
    expect(first.status).toBe(201);
    expect([second.status, second.raw]).toEqual([201, first.raw]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const [count] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from orders where id = ${first.body.id}`);
    expect(count?.n).toBe(1);
    const other = await w.provider.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, { ...body, lines: [{ skuId: w.skuId, quantity: 9, billingCycle: 'monthly' }] }, headers);
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
    const missing = await w.provider.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/orders`, body);
    expect([missing.status, missing.body.code]).toEqual([400, 'idempotency_key_required']);
    // The same key from another organization is its own request.
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
    const theirs = await w.reseller.admin.post<OrderReply>(`/api/v1/customers/${w.joint.id}/orders`, { providerId: w.provider.id, lines: body.lines }, headers);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    // After 24 hours the key is new again.
    t.clock.advance(24 * 60 * 60 * 1000 + 1);
    operator = await signIn(t, 'ops@operator.test');
    w.provider.admin = await signIn(t, w.provider.adminEmail);
    w.reseller.admin = await signIn(t, w.reseller.adminEmail);
    const later = await w.provider.admin.post<OrderReply>(`/api/v1/customers/${w.joint.id}/orders`, body, headers);
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('IDEM-08: subscriptions change only with the current ETag', async () => {
    const [sub] = expectOk(await w.reseller.admin.get<{ items: SubscriptionReply[] }>(`/api/v1/customers/${w.joint.id}/subscriptions`)).items;
    if (sub === undefined) throw new Error('no subscription');
    const got = await w.reseller.admin.get<SubscriptionReply>(`/api/v1/customers/${w.joint.id}/subscriptions/${sub.id}`);
    expect(got.headers['etag']).toBe(sub.etag);
    const url = `/api/v1/customers/${w.joint.id}/subscriptions/${sub.id}`;
    const noMatch = await w.reseller.admin.patch<Problem>(url, { quantity: sub.quantity + 1 });
    expect([noMatch.status, noMatch.body.code]).toEqual([428, 'precondition_required']);
    const changed = expectOk(await w.reseller.admin.patch<SubscriptionReply>(url, { quantity: sub.quantity + 1 }, { 'if-match': sub.etag }));
    expect(changed.quantity).toBe(sub.quantity + 1);
    expect(changed.etag).not.toBe(sub.etag);
    const stale = await w.provider.admin.patch<Problem>(url, { status: 'suspended' }, { 'if-match': sub.etag });
    expect([stale.status, stale.body.code]).toEqual([412, 'precondition_failed']);
    const suspended = expectOk(await w.provider.admin.patch<SubscriptionReply>(url, { status: 'suspended' }, { 'if-match': changed.etag }));
    expect(suspended.status).toBe('suspended');
    const bounds = await w.provider.admin.patch<Problem>(url, { quantity: 501 }, { 'if-match': suspended.etag });
    expect([bounds.status, bounds.body.code]).toEqual([422, 'quantity_out_of_range']);
    // A customer that is not the caller's answers 404.
    const stranger = await createPartner(t, operator, 'Patch Stranger', 'indirect_reseller');
    expect((await stranger.admin.patch(url, { quantity: 1 }, { 'if-match': suspended.etag })).status).toBe(404);
  });

  it('a subscription patch writes its audit record and its event in its one statement, and a refused one writes neither', async () => {
    const [sub] = expectOk(await w.reseller.admin.get<{ items: SubscriptionReply[] }>(`/api/v1/customers/${w.joint.id}/subscriptions`)).items;
    if (sub === undefined) throw new Error('no subscription');
    const url = `/api/v1/customers/${w.joint.id}/subscriptions/${sub.id}`;
    const written = () => auditRecords(t, sql`target_id = ${sub.id} and action = 'subscription.updated'`);
    const events = async () =>
      queryRows<{ id: string }>(t, sql`select id from outbox_messages where kind = 'event' and ordering_key = ${`subscription:${sub.id}`}`);
    const [auditsBefore, eventsBefore] = [(await written()).length, (await events()).length];
    // Refused at each check in turn: nothing is written.
    expect((await w.reseller.admin.patch(url, { quantity: 2 })).status).toBe(428);
    expect((await w.reseller.admin.patch(url, { quantity: 2 }, { 'if-match': '"0"' })).status).toBe(412);
    expect((await w.reseller.admin.patch(url, { quantity: 100000 }, { 'if-match': sub.etag })).status).toBe(422);
    expect([(await written()).length, (await events()).length]).toEqual([auditsBefore, eventsBefore]);

    const changed = expectOk(await w.reseller.admin.patch<SubscriptionReply>(url, { quantity: sub.quantity + 2 }, { 'if-match': sub.etag }));
    const audits = await written();
    expect(audits).toHaveLength(auditsBefore + 1);
    const audit = audits.at(-1);
    if (audit === undefined) throw new Error('no audit record');
    expect(audit).toMatchObject({
      targetType: 'subscription',
      actorOrganizationId: w.reseller.id,
      actorApiKeyId: null,
      onBehalfOfType: null,
      before: { quantity: sub.quantity, status: sub.status },
      after: { quantity: changed.quantity, status: changed.status },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(audit.actorUserId).toEqual(expect.any(String));
    // The parties, in this order: the customer, the provider, the reseller (the actor, so not again).
    expect(audit.organizationIds).toEqual([w.joint.id, w.provider.id, w.reseller.id]);
    // The event's payload is what the unit of work makes of the same audit row, in clear.
    expect(await events()).toHaveLength(eventsBefore + 1);
    await expectPublished(t, [audit]);
  });

  it('a product that was ordered cannot be deleted', async () => {
    const [product] = expectOk(await operator.get<{ items: { id: string; name: string }[] }>('/api/v1/catalog/products')).items.filter((p) => p.name === 'Orders Suite');
    const refused = await operator.delete<Problem>(`/api/v1/operator/catalog/products/${product?.id ?? ''}`);
    expect([refused.status, refused.body.code]).toEqual([409, 'conflict']);
  });

  it('removing the relationship lists the subscriptions left behind', async () => {
    const removed = expectOk(
      await w.reseller.admin.post<{ remainingSubscriptions: { id: string }[] }>(`/api/v1/customers/${w.joint.id}/relationship/remove`, { attestation: true }),
    );
    expect(removed.remainingSubscriptions.length).toBeGreaterThan(0);
    expect((await w.reseller.admin.get(`/api/v1/customers/${w.joint.id}/subscriptions`)).status).toBe(404);
  });
});
