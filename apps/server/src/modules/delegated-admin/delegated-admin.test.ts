import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { days, minutes } from '../../platform/clock.ts';
import { runInTransaction } from '../../platform/unit-of-work.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  queryRows,
  relate,
  signIn,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';
import { expireDelegatedAdmin } from './index.ts';

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
  roles: string[];
  state: string;
  startsAt: string;
  endsAt: string | null;
  revokedAt: string | null;
}
interface CustomerPartner {
  organization: Ref;
  relationship: { state: string } | null;
  delegatedAdmin: Grant[];
}

const defaultRoles = ['user_admin', 'license_admin', 'helpdesk'];

/** The partner invites (with the given grant terms) and the customer's admin accepts; the grants it got. */
async function grantThroughInvitation(partner: OrgHandle, customer: OrgHandle, terms: Record<string, unknown>): Promise<Grant[]> {
  const issued = issuedFrom(expectOk(await partner.admin.post('/api/v1/customer-invitations', { email: customer.adminEmail, ...terms }), 201) as never);
  const accepted = expectOk(
    await customer.admin.post<{ delegatedAdmin: Grant[] }>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }),
  );
  return accepted.delegatedAdmin;
}

const customerGrants = async (customer: OrgHandle) =>
  expectOk(await customer.admin.get<Page<CustomerPartner>>('/api/v1/partners')).items.flatMap((p) => p.delegatedAdmin);
const partnerHistory = async (partner: OrgHandle, customer: OrgHandle) =>
  expectOk(await partner.admin.get<{ items: Grant[] }>(`/api/v1/customers/${customer.id}/delegated-admin`)).items;
/** The grants in force, as the partner's customer page shows them. */
const partnerLive = async (partner: OrgHandle, customer: OrgHandle) =>
  expectOk(await partner.admin.get<{ delegatedAdmin: Grant[] }>(`/api/v1/customers/${customer.id}`)).delegatedAdmin;
const storedState = async (t: TestContext, grant: Grant) =>
  (await queryRows<{ state: string }>(t, sql`select state from delegated_admin_grants where id = ${grant.id}`))[0]?.state;

describe('delegated admin grants: created on acceptance, revoked by either side', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Grant Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Grant Reseller', 'indirect_reseller');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  it('acceptance creates grants with the invitation\'s roles and delegatedAdminDays end date', async () => {
    const customer = await createCustomer(t, 'Terms Customer');
    const [grant, ...more] = await grantThroughInvitation(reseller, customer, { delegatedRoles: ['helpdesk', 'license_admin', 'helpdesk'], delegatedAdminDays: 30 });
    expect(more).toEqual([]);
    const now = t.clock.now();
    expect(grant).toMatchObject({
      partner: { id: reseller.id },
      organization: { id: customer.id },
      roles: ['helpdesk', 'license_admin'],
      state: 'active',
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + days(30)).toISOString(),
      revokedAt: null,
    });
    // Every side reads the same grant.
    expect(await customerGrants(customer)).toEqual([grant]);
    expect(await partnerHistory(reseller, customer)).toEqual([grant]);
    expect(await partnerLive(reseller, customer)).toEqual([grant]);

    const plain = await createCustomer(t, 'Plain Customer');
    const [open] = await grantThroughInvitation(reseller, plain, {});
    expect([open?.roles, open?.endsAt, open?.state]).toEqual([defaultRoles, null, 'active']);

    const joint = await createCustomer(t, 'Joint Terms Customer');
    const jointGrants = await grantThroughInvitation(reseller, joint, { indirectProviderId: provider.id, delegatedRoles: ['user_admin'], delegatedAdminDays: 10 });
    expect(jointGrants.map((g) => [g.partner.id, g.organization.id, g.roles, g.endsAt]).sort()).toEqual(
      [
        [provider.id, joint.id, ['user_admin'], new Date(now.getTime() + days(10)).toISOString()],
        [reseller.id, joint.id, ['user_admin'], new Date(now.getTime() + days(10)).toISOString()],
      ].sort(),
    );
  });

  it('the partner revokes its own grant; a second revoke is 409 grant_not_active; nobody else\'s grant is in reach', async () => {
    const customer = await createCustomer(t, 'Partner Revokes Customer');
    const [grant] = await grantThroughInvitation(reseller, customer, {});
    const url = `/api/v1/customers/${customer.id}/delegated-admin/${grant?.id}`;

    const byProvider = await provider.admin.delete<Problem>(url);
    expect([byProvider.status, byProvider.body.code]).toEqual([404, 'not_found']);
    const other = await createCustomer(t, 'Other Customer');
    await relate(reseller, other);
    const wrongCustomer = await reseller.admin.delete<Problem>(`/api/v1/customers/${other.id}/delegated-admin/${grant?.id}`);
    expect([wrongCustomer.status, wrongCustomer.body.code]).toEqual([404, 'not_found']);
    const byCustomer = await customer.admin.delete<Problem>(url);
    expect([byCustomer.status, byCustomer.body.code]).toEqual([403, 'forbidden']);
    // The provider's grant in the reseller's own organization is the reseller's to remove elsewhere, not here.
    const providerGrant = expectOk(await reseller.admin.get<Page<{ organization: Ref; delegatedAdmin: Grant | null }>>('/api/v1/indirect-providers')).items[0]?.delegatedAdmin;
    const notOwn = await reseller.admin.delete<Problem>(`/api/v1/customers/${reseller.id}/delegated-admin/${providerGrant?.id}`);
    expect([notOwn.status, notOwn.body.code]).toEqual([404, 'not_found']);
    expect((await customerGrants(customer)).map((g) => g.state)).toEqual(['active']);

    const revoked = expectOk(await reseller.admin.delete<Grant>(url));
    expect([revoked.id, revoked.state, revoked.revokedAt]).toEqual([grant?.id, 'revoked', t.clock.now().toISOString()]);
    const again = await reseller.admin.delete<Problem>(url);
    expect([again.status, again.body.code]).toEqual([409, 'grant_not_active']);

    // Gone from what is in force, kept in the history on both sides; the relationship stays.
    expect(await partnerLive(reseller, customer)).toEqual([]);
    expect((await partnerHistory(reseller, customer)).map((g) => g.state)).toEqual(['revoked']);
    const partners = expectOk(await customer.admin.get<Page<CustomerPartner>>('/api/v1/partners')).items;
    expect(partners.map((p) => [p.organization.id, p.relationship?.state, p.delegatedAdmin.map((g) => g.state)])).toEqual([
      [reseller.id, 'active', ['revoked']],
    ]);
  });

  it('the customer revokes a partner\'s grant on its own; only that grant ends', async () => {
    const customer = await createCustomer(t, 'Customer Revokes');
    const grants = await grantThroughInvitation(reseller, customer, { indirectProviderId: provider.id });
    const providerGrant = grants.find((g) => g.partner.id === provider.id);
    const resellerGrant = grants.find((g) => g.partner.id === reseller.id);
    const url = `/api/v1/partners/${provider.id}/delegated-admin/${providerGrant?.id}`;

    const wrongPartner = await customer.admin.delete<Problem>(`/api/v1/partners/${reseller.id}/delegated-admin/${providerGrant?.id}`);
    expect([wrongPartner.status, wrongPartner.body.code]).toEqual([404, 'not_found']);
    const stranger = await createCustomer(t, 'Stranger Customer');
    const byStranger = await stranger.admin.delete<Problem>(url);
    expect([byStranger.status, byStranger.body.code]).toEqual([404, 'not_found']);
    const byPartner = await provider.admin.delete<Problem>(url);
    expect([byPartner.status, byPartner.body.code]).toEqual([403, 'forbidden']);

    const revoked = expectOk(await customer.admin.delete<Grant>(url));
    expect([revoked.state, revoked.revokedAt]).toEqual(['revoked', t.clock.now().toISOString()]);
    const again = await customer.admin.delete<Problem>(url);
    expect([again.status, again.body.code]).toEqual([409, 'grant_not_active']);

    expect(await partnerLive(provider, customer)).toEqual([]);
    expect((await partnerLive(reseller, customer)).map((g) => g.id)).toEqual([resellerGrant?.id]);
    expect((await customerGrants(customer)).map((g) => [g.partner.id, g.state]).sort()).toEqual(
      [
        [provider.id, 'revoked'],
        [reseller.id, 'active'],
      ].sort(),
    );
    // Both parties read the revocation in their audit log.
    for (const org of [customer, provider]) {
      const events = expectOk(await org.admin.get<Page<{ action: string; actor: { organizationId: string | null } }>>(`/api/v1/audit-events?targetId=${providerGrant?.id}`)).items;
      expect(events.find((e) => e.action === 'delegated_admin.revoked')?.actor.organizationId).toBe(customer.id);
    }
  });
});

describe('delegated admin grants past their end date', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let customer: OrgHandle;
  let lasting: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Timed Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Timed Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Timed Customer');
    lasting = await createCustomer(t, 'Lasting Customer');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  /** Sessions end after two idle hours: everyone signs in again after the clock jumps. */
  async function advance(ms: number): Promise<void> {
    t.clock.advance(ms);
    operator = await signIn(t, 'ops@operator.test');
    for (const org of [provider, reseller, customer, lasting]) org.admin = await signIn(t, org.adminEmail);
  }

  it('reads as expired at once, refuses revocation, and the sweep writes it down with an audit event', async () => {
    const timed = await grantThroughInvitation(reseller, customer, { indirectProviderId: provider.id, delegatedAdminDays: 2 });
    const [forever] = await grantThroughInvitation(reseller, lasting, {});
    const resellerGrant = timed.find((g) => g.partner.id === reseller.id);
    if (resellerGrant === undefined || forever === undefined) throw new Error('grants missing');

    await advance(days(2) - minutes(1));
    expect((await partnerLive(reseller, customer)).map((g) => g.id)).toEqual([resellerGrant.id]);
    expect((await customerGrants(customer)).map((g) => g.state)).toEqual(['active', 'active']);

    await advance(minutes(1));
    // No sweep yet: the row still says active, every reader already sees expired.
    expect(await storedState(t, resellerGrant)).toBe('active');
    expect(await partnerLive(reseller, customer)).toEqual([]);
    expect(await partnerLive(provider, customer)).toEqual([]);
    expect((await partnerHistory(reseller, customer)).map((g) => g.state)).toEqual(['expired']);
    expect((await customerGrants(customer)).map((g) => g.state)).toEqual(['expired', 'expired']);
    const customers = expectOk(await reseller.admin.get<Page<{ id: string; delegatedAdmin: Grant[] }>>('/api/v1/customers')).items;
    expect(customers.find((c) => c.id === customer.id)?.delegatedAdmin).toEqual([]);
    const late = await reseller.admin.delete<Problem>(`/api/v1/customers/${customer.id}/delegated-admin/${resellerGrant.id}`);
    expect([late.status, late.body.code]).toEqual([409, 'grant_not_active']);
    const lateByCustomer = await customer.admin.delete<Problem>(`/api/v1/partners/${reseller.id}/delegated-admin/${resellerGrant.id}`);
    expect([lateByCustomer.status, lateByCustomer.body.code]).toEqual([409, 'grant_not_active']);
    // Grants without an end date, and the provider's grant in its reseller, are untouched.
    expect((await partnerLive(reseller, lasting)).map((g) => [g.id, g.state])).toEqual([[forever.id, 'active']]);
    const providerGrant = expectOk(await reseller.admin.get<Page<{ delegatedAdmin: Grant | null }>>('/api/v1/indirect-providers')).items[0]?.delegatedAdmin;
    expect(providerGrant?.state).toBe('active');

    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireDelegatedAdmin(ctx))).toBe(2);
    for (const grant of timed) expect(await storedState(t, grant)).toBe('expired');
    expect(await storedState(t, forever)).toBe('active');
    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireDelegatedAdmin(ctx))).toBe(0);
    expect((await customerGrants(customer)).map((g) => g.state)).toEqual(['expired', 'expired']);

    // The expiry is audited once, for the customer and the grant's partner only.
    const expiredEvents = async (org: OrgHandle) =>
      expectOk(await org.admin.get<Page<{ action: string; actor: { userId: string | null }; after: Record<string, unknown> | null }>>(
        `/api/v1/audit-events?targetId=${resellerGrant.id}`,
      )).items.filter((e) => e.action === 'delegated_admin.expired');
    const [event, ...duplicates] = await expiredEvents(customer);
    expect(duplicates).toEqual([]);
    expect(event).toMatchObject({ actor: { userId: null }, after: { state: 'expired', endsAt: resellerGrant.endsAt } });
    expect(await expiredEvents(reseller)).toHaveLength(1);
    expect(await expiredEvents(provider)).toEqual([]);
    expect(await expiredEvents(lasting)).toEqual([]);
  });
});
