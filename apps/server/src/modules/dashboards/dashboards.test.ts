import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDashboard, OperatorDashboard, ProviderDashboard, ResellerDashboard } from '@tierlink/contract';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { createCustomer, createOperator, createTestContext, expectOk, issuedFrom, signIn, type Client, type TestContext } from '../../../test/harness.ts';

const day = 24 * 60 * 60 * 1000;
let keys = 0;
const key = () => ({ 'idempotency-key': `dashboard-${(keys += 1)}` });

/** `YYYY-MM` of a date in UTC. */
const monthOf = (d: Date) => d.toISOString().slice(0, 7);

async function keyClient(t: TestContext, admin: Client, roles: string[]): Promise<Client> {
  const created = expectOk(await admin.post<{ secret: string }>('/api/v1/api-keys', { name: `Dashboard ${roles.join(' ')}`, roles }), 201);
  const client = t.client();
  client.apiKey = created.secret;
  return client;
}

describe('home dashboards: figures computed in SQL, scoped to the caller', () => {
  let t: TestContext;
  let operator: Client;
  let w: CommerceWorld;
  let other: CommerceWorld;
  let firstMonth: string;
  let secondMonth: string;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Home');
    other = await commerceWorld(t, operator, 'Elsewhere');
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
    expectOk(await other.provider.admin.put(`/api/v1/indirect-resellers/${other.reseller.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
    // Month one: two seats (2 000); some 40 days later: three seats (3 000), both by the reseller through the provider.
    firstMonth = monthOf(t.clock.now());
    expectOk(await w.reseller.admin.post(`/api/v1/customers/${w.joint.id}/orders`, { providerId: w.provider.id, lines: [{ skuId: w.skuId, quantity: 2, billingCycle: 'monthly' }] }, key()), 201);
    t.clock.advance(40 * day);
    secondMonth = monthOf(t.clock.now());
    // Sessions ended while the clock moved: everybody signs in again.
    operator = await signIn(t, 'ops@operator.test');
    for (const org of [w.provider, w.reseller, w.joint, other.provider, other.reseller]) org.admin = await signIn(t, org.adminEmail);
    expectOk(await w.reseller.admin.post(`/api/v1/customers/${w.joint.id}/orders`, { providerId: w.provider.id, lines: [{ skuId: w.skuId, quantity: 3, billingCycle: 'monthly' }] }, key()), 201);
    // Another provider's world orders too: never counted in the first one's dashboards.
    expectOk(await other.reseller.admin.post(`/api/v1/customers/${other.joint.id}/orders`, { providerId: other.provider.id, lines: [{ skuId: other.skuId, quantity: 7, billingCycle: 'monthly' }] }, key()), 201);
    // A pending invitation of the provider, and a reseller customer whose admin access ends in 10 days.
    expectOk(await w.provider.admin.post('/api/v1/reseller-invitations', { email: 'someone@pending-reseller.test' }), 201);
    const limited = await createCustomer(t, 'Home Limited');
    const issued = issuedFrom(
      expectOk(await w.reseller.admin.post('/api/v1/customer-invitations', { email: limited.adminEmail, delegatedAdminDays: 10 }), 201) as never,
    );
    expectOk(await limited.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
  }, 120_000);
  afterAll(() => t.close());

  it('provider: resellers, customers, pending invitations, orders by month, credit; nothing of another provider', async () => {
    const d = expectOk(await w.provider.admin.get<ProviderDashboard>('/api/v1/dashboards/provider'));
    expect(d.resellers).toBe(1);
    expect(d.customers).toEqual({ value: 1, exact: true });
    expect(d.pendingInvitations).toBe(1);
    expect(d.delegatedAdminEndingSoon).toBe(0);
    expect(d.ordersByMonth).toHaveLength(12);
    expect(d.ordersByMonth?.[11]?.month).toBe(secondMonth);
    const byMonth = new Map(d.ordersByMonth?.map((m) => [m.month, m]));
    expect(byMonth.get(secondMonth)).toEqual({ month: secondMonth, orders: 1, value: [{ amount: 3000, currency: 'USD' }] });
    expect(byMonth.get(firstMonth)).toEqual({ month: firstMonth, orders: 1, value: [{ amount: 2000, currency: 'USD' }] });
    expect(d.ordersByMonth?.reduce((n, m) => n + m.orders, 0)).toBe(2);
    expect(d.ordersByMonth?.filter((m) => m.orders === 0).every((m) => m.value.length === 0)).toBe(true);
    // Credit used is this month's completed orders, as the credit line reports it.
    expect(d.credit?.total).toBe(1);
    expect(d.credit?.lines).toEqual([
      { partner: { id: w.reseller.id, name: w.reseller.name, domain: w.reseller.domain, country: 'US' }, used: 3000, limit: 1_000_000, currency: 'USD' },
    ]);
    const line = expectOk(await w.provider.admin.get<{ exposure: number }>(`/api/v1/indirect-resellers/${w.reseller.id}/credit`));
    expect(line.exposure).toBe(3000);
  });

  it('reseller: customers, subscriptions by product, orders by month, credit per provider, what waits', async () => {
    const d = expectOk(await w.reseller.admin.get<ResellerDashboard>('/api/v1/dashboards/reseller'));
    expect(d.customers).toEqual({ value: 3, exact: true });
    expect(d.subscriptionsByProduct).toEqual([{ product: { id: expect.any(String) as string, name: 'Home Suite' }, subscriptions: 1, seats: 5 }]);
    expect(d.ordersByMonth?.reduce((n, m) => n + m.orders, 0)).toBe(2);
    expect(d.credit).toEqual([
      { partner: { id: w.provider.id, name: w.provider.name, domain: w.provider.domain, country: 'US' }, used: 3000, limit: 1_000_000, currency: 'USD' },
    ]);
    expect(d.pendingInvitations).toBe(0);
    expect(d.delegatedAdminEndingSoon).toBe(1);
  });

  it('customer: its partners and what each may do, partners\' recent actions', async () => {
    const d = expectOk(await w.joint.admin.get<CustomerDashboard>('/api/v1/dashboards/customer'));
    expect(d.partners.more).toBe(false);
    expect(d.partners.items.map((p) => p.organization.id).sort()).toEqual([w.provider.id, w.reseller.id].sort());
    for (const p of d.partners.items) {
      expect(p.relationship).toBe(true);
      expect(p.roles.length).toBeGreaterThan(0);
    }
    const actions = d.recentPartnerActions ?? [];
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.some((a) => a.action === 'order.completed' && a.partner.id === w.reseller.id)).toBe(true);
    const partners = new Set([w.provider.id, w.reseller.id]);
    expect(actions.every((a) => partners.has(a.partner.id))).toBe(true);
    const times = actions.map((a) => a.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('operator: the enrollment queue, partners by program and country, program-wide orders', async () => {
    const d = expectOk(await operator.get<OperatorDashboard>('/api/v1/dashboards/operator'));
    expect(d.enrollmentQueue).toBe(0);
    expect(d.partnersByProgram).toEqual(
      expect.arrayContaining([
        { program: 'indirect_provider', country: 'US', partners: 2 },
        { program: 'indirect_reseller', country: 'US', partners: 2 },
      ]),
    );
    const byMonth = new Map(d.ordersByMonth.map((m) => [m.month, m]));
    expect(byMonth.get(secondMonth)).toEqual({ month: secondMonth, orders: 2, value: [{ amount: 10_000, currency: 'USD' }] });
    expect(d.ordersByMonth.reduce((n, m) => n + m.orders, 0)).toBe(3);
    // Closed months are summed once per process; the current month stays live.
    expectOk(await other.reseller.admin.post(`/api/v1/customers/${other.joint.id}/orders`, { providerId: other.provider.id, lines: [{ skuId: other.skuId, quantity: 1, billingCycle: 'monthly' }] }, key()), 201);
    const again = expectOk(await operator.get<OperatorDashboard>('/api/v1/dashboards/operator'));
    expect(again.ordersByMonth.find((m) => m.month === secondMonth)).toEqual({ month: secondMonth, orders: 3, value: [{ amount: 11_000, currency: 'USD' }] });
    expect(again.ordersByMonth.find((m) => m.month === firstMonth)).toEqual(byMonth.get(firstMonth));
  });

  it('a section the caller may not list is null; another kind\'s dashboard is 403', async () => {
    const billing = await keyClient(t, w.provider.admin, ['billing_admin']);
    const d = expectOk(await billing.get<ProviderDashboard>('/api/v1/dashboards/provider'));
    expect(d.resellers).toBe(1);
    expect(d.customers).toBeNull();
    expect(d.pendingInvitations).toBeNull();
    expect(d.ordersByMonth).toBeNull();
    expect(d.credit?.lines).toHaveLength(1);
    const sales = await keyClient(t, w.reseller.admin, ['sales_agent']);
    const r = expectOk(await sales.get<ResellerDashboard>('/api/v1/dashboards/reseller'));
    expect(r.credit).toBeNull();
    expect(r.customers).toEqual({ value: 3, exact: true });
    const other = [
      [w.provider.admin, 'reseller'],
      [w.reseller.admin, 'provider'],
      [w.joint.admin, 'operator'],
      [operator, 'customer'],
      [w.provider.admin, 'customer'],
    ] as const;
    for (const [client, kind] of other) {
      const reply = await client.get<{ code: string }>(`/api/v1/dashboards/${kind}`);
      expect(reply.status).toBe(403);
    }
  });
});
