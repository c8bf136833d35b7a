import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  relate,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
}
interface Ref {
  id: string;
}
interface Grant {
  id: string;
  partner: Ref;
  organization: Ref;
  state: string;
  revokedAt: string | null;
}
interface Partnership {
  id: string;
  provider: Ref;
  reseller: Ref;
  state: string;
  endedAt: string | null;
}
interface PartnerItem {
  organization: Ref;
  partnership: Partnership;
  delegatedAdmin: Grant | null;
}
interface Ended {
  partnership: Partnership;
  remainingDelegatedAdmin: Grant[];
}
interface CustomerPartner {
  organization: Ref;
  relationship: { state: string } | null;
  delegatedAdmin: Grant[];
}

const providersOf = async (reseller: OrgHandle) => expectOk(await reseller.admin.get<Page<PartnerItem>>('/api/v1/indirect-providers')).items;
const resellersOf = async (provider: OrgHandle) => expectOk(await provider.admin.get<Page<PartnerItem>>('/api/v1/indirect-resellers')).items;
const customerIds = async (partner: OrgHandle) => expectOk(await partner.admin.get<Page<Ref>>('/api/v1/customers')).items.map((c) => c.id).sort();
/** The customer admin's view: each partner, whether the relationship is active, and its grants' states. */
const partnerStates = async (customer: OrgHandle) =>
  expectOk(await customer.admin.get<Page<CustomerPartner>>('/api/v1/partners'))
    .items.map((p) => [p.organization.id, p.relationship?.state ?? null, p.delegatedAdmin.map((g) => g.state)])
    .sort();

describe('§4 partnership: the provider\'s admin access and ending the partnership', () => {
  let t: TestContext;
  let operator: Client;
  /** Its admin access in the reseller is removed; the partnership stays. */
  let keeps: OrgHandle;
  /** Ends the partnership from the provider side. */
  let leaves: OrgHandle;
  /** Is left by the reseller. */
  let left: OrgHandle;
  let reseller: OrgHandle;
  let stranger: OrgHandle;
  let jointWithLeaves: OrgHandle;
  let jointWithLeft: OrgHandle;
  let solo: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    keeps = await createPartner(t, operator, 'Keeps Distribution', 'indirect_provider');
    leaves = await createPartner(t, operator, 'Leaves Distribution', 'indirect_provider');
    left = await createPartner(t, operator, 'Left Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Pine Reseller', 'indirect_reseller');
    stranger = await createPartner(t, operator, 'Stranger Reseller', 'indirect_reseller');
    for (const provider of [keeps, leaves, left]) await connect(provider, reseller);
    await connect(leaves, stranger);
    jointWithLeaves = await createCustomer(t, 'Joint Leaves Customer');
    jointWithLeft = await createCustomer(t, 'Joint Left Customer');
    solo = await createCustomer(t, 'Solo Customer');
    await relate(reseller, jointWithLeaves, leaves.id);
    await relate(reseller, jointWithLeft, left.id);
    await relate(reseller, solo);
  });
  afterAll(() => t.close());

  it('W4: the reseller removes the provider\'s admin access; the partnership and its customers stay', async () => {
    const before = (await providersOf(reseller)).find((p) => p.organization.id === keeps.id);
    expect(before?.delegatedAdmin?.state).toBe('active');

    const removed = expectOk(await reseller.admin.delete<{ revoked: Grant[] }>(`/api/v1/indirect-providers/${keeps.id}/delegated-admin`));
    expect(removed.revoked.map((g) => [g.id, g.partner.id, g.organization.id, g.state, g.revokedAt])).toEqual([
      [before?.delegatedAdmin?.id, keeps.id, reseller.id, 'revoked', t.clock.now().toISOString()],
    ]);

    const after = (await providersOf(reseller)).find((p) => p.organization.id === keeps.id);
    expect([after?.partnership.id, after?.partnership.state, after?.delegatedAdmin]).toEqual([before?.partnership.id, 'active', null]);
    const fromProvider = (await resellersOf(keeps)).find((r) => r.organization.id === reseller.id);
    expect([fromProvider?.partnership.state, fromProvider?.delegatedAdmin]).toEqual(['active', null]);
    // Still partners: a joint invitation with that provider is possible.
    expect((await reseller.admin.post('/api/v1/customer-invitations', { email: 'admin@still-joint.test', indirectProviderId: keeps.id })).status).toBe(201);

    const again = await reseller.admin.delete<Problem>(`/api/v1/indirect-providers/${keeps.id}/delegated-admin`);
    expect([again.status, again.body.code]).toEqual([409, 'grant_not_active']);
    // Only the reseller removes it, and only for its own providers.
    const byProvider = await keeps.admin.delete<Problem>(`/api/v1/indirect-providers/${reseller.id}/delegated-admin`);
    expect([byProvider.status, byProvider.body.code]).toEqual([404, 'not_found']);
    const byStranger = await stranger.admin.delete<Problem>(`/api/v1/indirect-providers/${leaves.id}/delegated-admin`);
    expect(byStranger.status).toBe(200);
    const byCustomer = await solo.admin.delete<Problem>(`/api/v1/indirect-providers/${keeps.id}/delegated-admin`);
    expect([byCustomer.status, byCustomer.body.code]).toEqual([403, 'forbidden']);
    // The stranger's removal touched only its own organization.
    expect((await providersOf(reseller)).find((p) => p.organization.id === leaves.id)?.delegatedAdmin?.state).toBe('active');
  });

  it('the provider ends the partnership: customers, relationships and grants stay, and the remaining grant is listed', async () => {
    const grantInReseller = (await providersOf(reseller)).find((p) => p.organization.id === leaves.id)?.delegatedAdmin;
    const customerGrantsBefore = await partnerStates(jointWithLeaves);

    const ended = expectOk(await leaves.admin.delete<Ended>(`/api/v1/indirect-resellers/${reseller.id}`));
    expect(ended.partnership).toMatchObject({ provider: { id: leaves.id }, reseller: { id: reseller.id }, state: 'ended', endedAt: t.clock.now().toISOString() });
    expect(ended.remainingDelegatedAdmin.map((g) => [g.id, g.partner.id, g.organization.id, g.state])).toEqual([
      [grantInReseller?.id, leaves.id, reseller.id, 'active'],
    ]);

    expect((await resellersOf(leaves)).map((r) => r.organization.id)).toEqual([stranger.id]);
    expect((await providersOf(reseller)).map((p) => p.organization.id).sort()).toEqual([keeps.id, left.id].sort());
    // Customers are untouched on both sides.
    expect(await customerIds(reseller)).toEqual([jointWithLeaves.id, jointWithLeft.id, solo.id].sort());
    expect(await customerIds(leaves)).toEqual([jointWithLeaves.id]);
    expect(await partnerStates(jointWithLeaves)).toEqual(customerGrantsBefore);
    expect(customerGrantsBefore).toEqual([[leaves.id, 'active', ['active']], [reseller.id, 'active', ['active']]].sort());

    // What depended on the partnership is gone.
    const shared = await reseller.admin.get<Problem>(`/api/v1/indirect-providers/${leaves.id}/customers`);
    expect([shared.status, shared.body.code]).toEqual([404, 'not_found']);
    const joint = await reseller.admin.post<Problem>('/api/v1/customer-invitations', { email: 'admin@late-joint.test', indirectProviderId: leaves.id });
    expect([joint.status, joint.body.code]).toEqual([404, 'not_found']);

    // A second end, from either side, finds nothing to end.
    for (const [who, url] of [
      [leaves, `/api/v1/indirect-resellers/${reseller.id}`],
      [reseller, `/api/v1/indirect-providers/${leaves.id}`],
    ] as const) {
      const second = await who.admin.delete<Problem>(url);
      expect([second.status, second.body.code]).toEqual([404, 'not_found']);
    }

    // The reseller can still remove the admin access the ended partnership left behind; then nothing is left.
    const removed = expectOk(await reseller.admin.delete<{ revoked: Grant[] }>(`/api/v1/indirect-providers/${leaves.id}/delegated-admin`));
    expect(removed.revoked.map((g) => [g.id, g.state])).toEqual([[grantInReseller?.id, 'revoked']]);
    const gone = await reseller.admin.delete<Problem>(`/api/v1/indirect-providers/${leaves.id}/delegated-admin`);
    expect([gone.status, gone.body.code]).toEqual([404, 'not_found']);
  });

  it('the reseller ends the partnership: the same from the other side; inviting again makes a new partnership and reuses the live grant', async () => {
    const grantInReseller = (await providersOf(reseller)).find((p) => p.organization.id === left.id)?.delegatedAdmin;
    const ended = expectOk(await reseller.admin.delete<Ended>(`/api/v1/indirect-providers/${left.id}`));
    expect(ended.partnership).toMatchObject({ provider: { id: left.id }, reseller: { id: reseller.id }, state: 'ended' });
    expect(ended.remainingDelegatedAdmin.map((g) => [g.id, g.state])).toEqual([[grantInReseller?.id, 'active']]);

    expect((await providersOf(reseller)).map((p) => p.organization.id)).toEqual([keeps.id]);
    expect(await resellersOf(left)).toEqual([]);
    expect(await customerIds(left)).toEqual([jointWithLeft.id]);
    expect(await customerIds(reseller)).toContain(jointWithLeft.id);
    expect(await partnerStates(jointWithLeft)).toEqual([[left.id, 'active', ['active']], [reseller.id, 'active', ['active']]].sort());
    const second = await left.admin.delete<Problem>(`/api/v1/indirect-resellers/${reseller.id}`);
    expect([second.status, second.body.code]).toEqual([404, 'not_found']);

    const issued = issuedFrom(expectOk(await left.admin.post('/api/v1/reseller-invitations', { email: reseller.adminEmail }), 201) as never);
    const again = expectOk(
      await reseller.admin.post<{ partnership: Partnership; delegatedAdmin: Grant[] }>(`/api/v1/invitations/${issued.id}/accept`, {
        token: issued.token,
        consent: true,
      }),
    );
    expect(again.partnership.state).toBe('active');
    expect(again.partnership.id).not.toBe(ended.partnership.id);
    expect(again.delegatedAdmin.map((g) => g.id)).toEqual([grantInReseller?.id]);
    expect((await providersOf(reseller)).map((p) => p.organization.id).sort()).toEqual([keeps.id, left.id].sort());
  });

  it('only a party ends a partnership: others get 404, customers 403', async () => {
    const notMine = await stranger.admin.delete<Problem>(`/api/v1/indirect-providers/${keeps.id}`);
    expect([notMine.status, notMine.body.code]).toEqual([404, 'not_found']);
    const notMyReseller = await keeps.admin.delete<Problem>(`/api/v1/indirect-resellers/${stranger.id}`);
    expect([notMyReseller.status, notMyReseller.body.code]).toEqual([404, 'not_found']);
    const wrongSide = await keeps.admin.delete<Problem>(`/api/v1/indirect-providers/${reseller.id}`);
    expect([wrongSide.status, wrongSide.body.code]).toEqual([404, 'not_found']);
    const unknown = await reseller.admin.delete<Problem>(`/api/v1/indirect-providers/${randomUUID()}`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const byCustomer = await solo.admin.delete<Problem>(`/api/v1/indirect-resellers/${reseller.id}`);
    expect([byCustomer.status, byCustomer.body.code]).toEqual([403, 'forbidden']);
    expect((await resellersOf(keeps)).map((r) => [r.organization.id, r.partnership.state])).toEqual([[reseller.id, 'active']]);
    expect((await resellersOf(leaves)).map((r) => r.organization.id)).toEqual([stranger.id]);
  });
});
