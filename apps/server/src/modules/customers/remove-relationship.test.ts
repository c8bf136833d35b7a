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
  field?: string;
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
interface Relationship {
  id: string;
  partner: Ref;
  customer: Ref;
  state: string;
  removedAt: string | null;
}
interface Removed {
  relationship: Relationship;
  remainingDelegatedAdmin: Grant[];
  revokedDelegatedAdmin: Grant[];
}
interface CustomerPartner {
  organization: Ref;
  relationship: Relationship | null;
  delegatedAdmin: Grant[];
}
interface Mail {
  to: string;
  subject: string;
  text: string;
}

describe('W8: removing a customer relationship', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let stranger: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Summit Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Rowan Reseller', 'indirect_reseller');
    stranger = await createPartner(t, operator, 'Stranger Reseller', 'indirect_reseller');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  async function servedCustomer(name: string, providerId?: string): Promise<{ customer: OrgHandle; grant: Grant }> {
    const customer = await createCustomer(t, name);
    await relate(reseller, customer, providerId);
    const [grant] = expectOk(await reseller.admin.get<{ items: Grant[] }>(`/api/v1/customers/${customer.id}/delegated-admin`)).items;
    if (grant === undefined) throw new Error('no grant after acceptance');
    return { customer, grant };
  }
  const remove = (who: OrgHandle, customer: OrgHandle, body: Record<string, unknown>) =>
    who.admin.post<Removed & Problem>(`/api/v1/customers/${customer.id}/relationship/remove`, body);
  const customerIds = async (partner: OrgHandle) => expectOk(await partner.admin.get<Page<Ref>>('/api/v1/customers')).items.map((c) => c.id);
  const partnersOf = async (customer: OrgHandle) => expectOk(await customer.admin.get<Page<CustomerPartner>>('/api/v1/partners')).items;
  const removalEvents = async (customer: OrgHandle) =>
    expectOk(await customer.admin.get<Page<{ action: string }>>('/api/v1/audit-events')).items.filter((e) => e.action === 'reseller_relationship.removed');
  const mailTo = async (to: string) => {
    await t.drainOutbox();
    return expectOk(await operator.get<Page<Mail>>(`/api/v1/mailbox?to=${encodeURIComponent(to)}`)).items;
  };

  it('without the attestation (false or missing): 400 naming the attestation, and nothing changes', async () => {
    const { customer, grant } = await servedCustomer('Attest Customer');
    for (const body of [{ attestation: false }, { attestation: false, revokeDelegatedAdmin: true, notifyCustomer: true }]) {
      const refused = await remove(reseller, customer, body);
      expect([refused.status, refused.body.code, refused.body.field]).toEqual([400, 'attestation_required', 'attestation']);
    }
    // A body without the field fails validation before the use case runs (input-and-tokens.test.ts pins that code).
    const missing = await remove(reseller, customer, { revokeDelegatedAdmin: true });
    expect([missing.status, missing.body.code, missing.body.field]).toEqual([400, 'validation_failed', 'attestation']);
    expect(await customerIds(reseller)).toContain(customer.id);
    expect((await reseller.admin.get(`/api/v1/customers/${customer.id}`)).status).toBe(200);
    const partners = await partnersOf(customer);
    expect(partners.map((p) => [p.organization.id, p.relationship?.state, p.delegatedAdmin.map((g) => [g.id, g.state])])).toEqual([
      [reseller.id, 'active', [[grant.id, 'active']]],
    ]);
    expect(await removalEvents(customer)).toEqual([]);
    expect(await mailTo(customer.adminEmail)).toEqual([]);
  });

  it('with the attestation: the customer disappears for the partner, grants stay and are listed, no email', async () => {
    const { customer, grant } = await servedCustomer('Leaving Customer');
    const removed = expectOk(await remove(reseller, customer, { attestation: true }));
    expect(removed.relationship).toMatchObject({
      partner: { id: reseller.id },
      customer: { id: customer.id },
      state: 'removed',
      removedAt: t.clock.now().toISOString(),
    });
    expect(removed.remainingDelegatedAdmin.map((g) => [g.id, g.state])).toEqual([[grant.id, 'active']]);
    expect(removed.revokedDelegatedAdmin).toEqual([]);

    expect(await customerIds(reseller)).not.toContain(customer.id);
    for (const url of [`/api/v1/customers/${customer.id}`, `/api/v1/customers/${customer.id}/delegated-admin`]) {
      const hidden = await reseller.admin.get<Problem>(url);
      expect([hidden.status, hidden.body.code]).toEqual([404, 'not_found']);
    }
    const again = await remove(reseller, customer, { attestation: true });
    expect([again.status, again.body.code]).toEqual([404, 'not_found']);

    // The customer's own view: the partner stays listed through its grant, without a relationship.
    const partners = await partnersOf(customer);
    expect(partners.map((p) => [p.organization.id, p.relationship, p.delegatedAdmin.map((g) => [g.id, g.state])])).toEqual([
      [reseller.id, null, [[grant.id, 'active']]],
    ]);
    expect((await removalEvents(customer)).length).toBe(1);
    expect(await mailTo(customer.adminEmail)).toEqual([]);
    expect(expectOk(await customer.admin.get<Page<Mail>>('/api/v1/mailbox')).items).toEqual([]);

    // The grant it left behind is still the partner's to revoke; then the partner is gone for the customer.
    const revoked = expectOk(await reseller.admin.delete<Grant>(`/api/v1/customers/${customer.id}/delegated-admin/${grant.id}`));
    expect(revoked.state).toBe('revoked');
    expect(await partnersOf(customer)).toEqual([]);
  });

  it('with revokeDelegatedAdmin: the grants are revoked in the same step', async () => {
    const { customer, grant } = await servedCustomer('Clean Break Customer');
    const removed = expectOk(await remove(reseller, customer, { attestation: true, revokeDelegatedAdmin: true }));
    expect(removed.remainingDelegatedAdmin).toEqual([]);
    expect(removed.revokedDelegatedAdmin.map((g) => [g.id, g.state, g.revokedAt])).toEqual([[grant.id, 'revoked', t.clock.now().toISOString()]]);
    expect(await partnersOf(customer)).toEqual([]);
    const revokeAgain = await reseller.admin.delete<Problem>(`/api/v1/customers/${customer.id}/delegated-admin/${grant.id}`);
    expect([revokeAgain.status, revokeAgain.body.code]).toEqual([409, 'grant_not_active']);
    const events = expectOk(await customer.admin.get<Page<{ action: string }>>(`/api/v1/audit-events?targetId=${grant.id}`)).items;
    expect(events.map((e) => e.action).sort()).toEqual(['delegated_admin.granted', 'delegated_admin.revoked']);
    expect(await mailTo(customer.adminEmail)).toEqual([]);
  });

  it('notifyCustomer: the customer\'s admins get exactly one notice', async () => {
    const { customer } = await servedCustomer('Told Customer');
    expectOk(await remove(reseller, customer, { attestation: true, revokeDelegatedAdmin: true, notifyCustomer: true }));
    const mails = await mailTo(customer.adminEmail);
    expect(mails.map((m) => m.subject)).toEqual(['Rowan Reseller is no longer your reseller']);
    expect(mails[0]?.text).toContain('Rowan Reseller has ended its reseller relationship with Told Customer');
    expect(mails[0]?.text).toContain('delegated admin access to your organization has been revoked');
    expect(expectOk(await customer.admin.get<Page<Mail>>('/api/v1/mailbox')).items.map((m) => m.subject)).toEqual([
      'Rowan Reseller is no longer your reseller',
    ]);
  });

  it('a joint customer: the reseller leaves, the provider keeps its own relationship and grant', async () => {
    const { customer, grant } = await servedCustomer('Joint Leaving Customer', provider.id);
    expectOk(await remove(reseller, customer, { attestation: true }));
    expect(await customerIds(provider)).toContain(customer.id);
    expect(await customerIds(reseller)).not.toContain(customer.id);
    const shared = expectOk(await reseller.admin.get<Page<Ref>>(`/api/v1/indirect-providers/${provider.id}/customers`)).items;
    expect(shared.map((c) => c.id)).not.toContain(customer.id);
    const partners = await partnersOf(customer);
    expect(partners.map((p) => [p.organization.id, p.relationship?.state ?? null, p.delegatedAdmin.map((g) => g.state)]).sort()).toEqual(
      [
        [provider.id, 'active', ['active']],
        [reseller.id, null, ['active']],
      ].sort(),
    );
    expect(partners.find((p) => p.organization.id === reseller.id)?.delegatedAdmin[0]?.id).toBe(grant.id);
  });

  it('only the partner\'s own relationship can be removed; afterwards the customer can be invited again', async () => {
    const { customer, grant } = await servedCustomer('Returning Customer');
    const byStranger = await remove(stranger, customer, { attestation: true });
    expect([byStranger.status, byStranger.body.code]).toEqual([404, 'not_found']);
    const byCustomer = await customer.admin.post<Problem>(`/api/v1/customers/${customer.id}/relationship/remove`, { attestation: true });
    expect([byCustomer.status, byCustomer.body.code]).toEqual([403, 'forbidden']);
    const first = expectOk(await remove(reseller, customer, { attestation: true }));

    const issued = issuedFrom(expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: customer.adminEmail }), 201) as never);
    const accepted = expectOk(
      await customer.admin.post<{ relationships: Relationship[]; delegatedAdmin: Grant[] }>(`/api/v1/invitations/${issued.id}/accept`, {
        token: issued.token,
        consent: true,
      }),
    );
    expect(accepted.relationships.map((r) => r.state)).toEqual(['active']);
    expect(accepted.relationships[0]?.id).not.toBe(first.relationship.id);
    // The grant that stayed behind is still in force and is not duplicated.
    expect(accepted.delegatedAdmin.map((g) => g.id)).toEqual([grant.id]);
    expect(await customerIds(reseller)).toContain(customer.id);
  });
});
