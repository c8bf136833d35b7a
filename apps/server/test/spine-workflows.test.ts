import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { days, hours } from '../src/platform/clock.ts';
import { runInTransaction } from '../src/platform/unit-of-work.ts';
import { expireDelegatedAdmin } from '../src/modules/delegated-admin/index.ts';
import { expireInvitations } from '../src/modules/invitations/index.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  publicUrl,
  relate,
  queryRows,
  signIn,
  type Client,
  type Issued,
  type OrgHandle,
  type TestContext,
} from './harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface CustomerItem {
  id: string;
  name: string;
  delegatedAdmin: { id: string; state: string; partner: { id: string } }[];
}
interface Problem {
  code: string;
  field?: string;
}

const ids = (page: Page<{ id: string }>) => page.items.map((i) => i.id).sort();

async function customerInvite(partner: OrgHandle, body: Record<string, unknown>): Promise<Issued & { body: Record<string, unknown> }> {
  const created = expectOk(await partner.admin.post<Record<string, unknown>>('/api/v1/customer-invitations', body), 201);
  return { ...issuedFrom(created as never), body: created };
}

async function mailboxOf(t: TestContext, client: Client) {
  await t.drainOutbox();
  return expectOk(await client.get<Page<{ to: string; subject: string; text: string }>>('/api/v1/mailbox?limit=200')).items;
}

describe('seed workflows W4–W9 over the API', () => {
  let t: TestContext;
  let operator: Client;
  let p1: OrgHandle;
  let p2: OrgHandle;
  let r1: OrgHandle;
  let rm: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    p1 = await createPartner(t, operator, 'Provider One', 'indirect_provider');
    p2 = await createPartner(t, operator, 'Provider Two', 'indirect_provider');
    r1 = await createPartner(t, operator, 'Reseller One', 'indirect_reseller');
    rm = await createPartner(t, operator, 'Reseller Multi', 'indirect_reseller');
    await connect(p1, r1);
    await connect(p1, rm);
    await connect(p2, rm);
  });
  afterAll(() => t.close());

  it('W6: the draft email carries a personal link and is sent only when asked', async () => {
    const draft = await customerInvite(r1, { email: 'admin@draft-only.test' });
    const email = draft.body['email'] as { to: string; subject: string; text: string; link: string };
    expect(email.link).toBe(`${publicUrl}/invitations/${draft.id}?token=${encodeURIComponent(draft.token)}`);
    expect(email.to).toBe('admin@draft-only.test');
    expect(email.text).toContain('Reseller One');
    expect(draft.body['sent']).toBe(false);
    expect((await mailboxOf(t, operator)).filter((m) => m.to === 'admin@draft-only.test')).toEqual([]);

    const sent = await customerInvite(r1, { email: 'admin@sent-mail.test', send: true, text: 'Dear customer, please accept.' });
    const mails = (await mailboxOf(t, operator)).filter((m) => m.to === 'admin@sent-mail.test');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('Dear customer, please accept.');
    expect(mails[0]?.text).toContain(`${publicUrl}/invitations/${sent.id}?token=`);
  });

  it('W6: a customer without an organization signs up from the link, then accepts; the customer appears', async () => {
    const issued = await customerInvite(r1, { email: 'admin@new-customer.test', send: true });
    const wrong = await t.client().post<Problem>('/api/v1/organizations', {
      organization: { name: 'Impostor', domain: 'impostor.test', country: 'US' },
      admin: { displayName: 'X', email: 'someone@impostor.test', password: 'long enough pw' },
      invitation: { id: issued.id, token: issued.token },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('invitation_email_mismatch');

    const customer = await createCustomer(t, 'New Customer', { id: issued.id, token: issued.token });
    const noConsent = await customer.admin.post<Problem>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: false });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.code).toBe('consent_required');
    expectOk(await customer.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));

    const list = expectOk(await r1.admin.get<Page<CustomerItem>>('/api/v1/customers'));
    const row = list.items.find((c) => c.id === customer.id);
    expect(row?.delegatedAdmin.map((g) => g.state)).toEqual(['active']);
    // The provider gets nothing from the reseller's own customer (W9).
    expect(ids(expectOk(await p1.admin.get<Page<{ id: string }>>('/api/v1/customers')))).not.toContain(customer.id);
    // The inviter is told.
    const notices = (await mailboxOf(t, operator)).filter((m) => m.to === r1.adminEmail && m.subject.startsWith('Invitation accepted'));
    expect(notices.length).toBeGreaterThan(0);
  });

  it('W7 and W5: a joint invitation relates both partners, and View customers shows exactly the shared ones', async () => {
    const joint = await createCustomer(t, 'Joint Customer');
    const solo = await createCustomer(t, 'Solo Customer');
    await relate(rm, joint, p2.id);
    await relate(rm, solo);

    const shared = expectOk(await rm.admin.get<Page<{ id: string }>>(`/api/v1/indirect-providers/${p2.id}/customers`));
    expect(ids(shared)).toEqual([joint.id]);
    expect(ids(expectOk(await rm.admin.get<Page<{ id: string }>>(`/api/v1/indirect-providers/${p1.id}/customers`)))).toEqual([]);
    expect(ids(expectOk(await p2.admin.get<Page<{ id: string }>>('/api/v1/customers')))).toEqual([joint.id]);

    const partners = expectOk(
      await joint.admin.get<Page<{ organization: { id: string }; delegatedAdmin: { state: string }[] }>>('/api/v1/partners'),
    );
    expect(partners.items.map((p) => p.organization.id).sort()).toEqual([p2.id, rm.id].sort());
    expect(partners.items.every((p) => p.delegatedAdmin.some((g) => g.state === 'active'))).toBe(true);

    // A reseller that is not partnered with a provider cannot see or use it.
    expect((await r1.admin.get(`/api/v1/indirect-providers/${p2.id}/customers`)).status).toBe(404);
    const notPartnered = await r1.admin.post<Problem>('/api/v1/customer-invitations', { email: 'x@y.test', indirectProviderId: p2.id });
    expect(notPartnered.status).toBe(404);
  });

  it('W8: removing a relationship needs the attestation and leaves grants unless asked', async () => {
    const c = await createCustomer(t, 'Leaving Customer');
    await relate(r1, c);
    const missing = await r1.admin.post<Problem>(`/api/v1/customers/${c.id}/relationship/remove`, { attestation: false });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('attestation_required');
    expect((await r1.admin.get(`/api/v1/customers/${c.id}`)).status).toBe(200);

    const removed = expectOk(
      await r1.admin.post<{ remainingDelegatedAdmin: { state: string }[]; revokedDelegatedAdmin: unknown[] }>(
        `/api/v1/customers/${c.id}/relationship/remove`,
        { attestation: true },
      ),
    );
    expect(removed.remainingDelegatedAdmin.map((g) => g.state)).toEqual(['active']);
    expect(removed.revokedDelegatedAdmin).toEqual([]);
    expect((await r1.admin.get(`/api/v1/customers/${c.id}`)).status).toBe(404);
    expect(ids(expectOk(await r1.admin.get<Page<{ id: string }>>('/api/v1/customers')))).not.toContain(c.id);
    // The customer still sees the partner through its remaining grant, and no email went out.
    const partners = expectOk(await c.admin.get<Page<{ organization: { id: string }; relationship: unknown }>>('/api/v1/partners'));
    expect(partners.items.map((p) => [p.organization.id, p.relationship])).toEqual([[r1.id, null]]);
    expect((await mailboxOf(t, operator)).filter((m) => m.to === c.adminEmail)).toEqual([]);

    const c2 = await createCustomer(t, 'Leaving Fully');
    await relate(r1, c2);
    const both = expectOk(
      await r1.admin.post<{ remainingDelegatedAdmin: unknown[]; revokedDelegatedAdmin: { state: string }[] }>(
        `/api/v1/customers/${c2.id}/relationship/remove`,
        { attestation: true, revokeDelegatedAdmin: true, notifyCustomer: true },
      ),
    );
    expect(both.remainingDelegatedAdmin).toEqual([]);
    expect(both.revokedDelegatedAdmin.map((g) => g.state)).toEqual(['revoked']);
    expect(expectOk(await c2.admin.get<Page<unknown>>('/api/v1/partners')).items).toEqual([]);
    expect((await mailboxOf(t, operator)).filter((m) => m.to === c2.adminEmail)).toHaveLength(1);
  });

  it('a new invitation asks again for admin access the customer revoked; nothing new → 409', async () => {
    const c = await createCustomer(t, 'Regrant Customer');
    await relate(r1, c);
    const grants = expectOk(await c.admin.get<Page<{ delegatedAdmin: { id: string }[] }>>('/api/v1/partners')).items[0]?.delegatedAdmin ?? [];
    expectOk(await c.admin.delete(`/api/v1/partners/${r1.id}/delegated-admin/${grants[0]?.id ?? ''}`));
    await relate(r1, c);
    const after = expectOk(await r1.admin.get<CustomerItem>(`/api/v1/customers/${c.id}`));
    expect(after.delegatedAdmin.map((g) => g.state)).toEqual(['active']);
    const again = await customerInvite(r1, { email: c.adminEmail });
    const refused = await c.admin.post<Problem>(`/api/v1/invitations/${again.id}/accept`, { token: again.token, consent: true });
    expect([refused.status, refused.body.code]).toEqual([409, 'relationship_exists']);
  });

  it('an imported customer without users is claimed by its admin signing up from an invitation', async () => {
    expectOk(
      await operator.post('/api/v1/operator/reseller-relationships/import', {
        items: [{ partnerDomain: rm.domain, customerName: 'Claimed Co', customerDomain: 'claimed-co.test', customerCountry: 'US' }],
      }),
    );
    const squatter = await t.client().post<Problem>('/api/v1/organizations', {
      organization: { name: 'Squatter', domain: 'claimed-co.test', country: 'US' },
      admin: { displayName: 'S', email: 'someone@claimed-co.test', password: 'long enough pw' },
    });
    expect([squatter.status, squatter.body.code]).toEqual([409, 'domain_taken']);
    const issued = await customerInvite(p1, { email: 'admin@claimed-co.test' });
    const claimed = expectOk(
      await t.client().post<{ organization: { id: string } }>('/api/v1/organizations', {
        organization: { name: 'Claimed Co', domain: 'claimed-co.test', country: 'US' },
        admin: { displayName: 'Claimer', email: 'admin@claimed-co.test', password: 'long enough pw' },
        invitation: { id: issued.id, token: issued.token },
      }),
      201,
    );
    const imported = expectOk(await rm.admin.get<Page<{ id: string; name: string }>>('/api/v1/customers?name=claimed')).items;
    expect(imported.map((c) => c.id)).toEqual([claimed.organization.id]);
  });

  it('W9: operator import makes existing customers appear, all rows or none', async () => {
    const csv = [
      'partner_domain,customer_name,customer_domain,customer_country',
      `${r1.domain},Imported One,imported-one.test,US`,
      `${r1.domain},Imported Two,imported-two.test,DE`,
    ].join('\n');
    const first = expectOk(await operator.post('/api/v1/operator/reseller-relationships/import', csv, { 'content-type': 'text/csv' }));
    expect(first).toEqual({ created: 2, existing: 0, customersCreated: 2 });
    const names = expectOk(await r1.admin.get<Page<{ name: string }>>('/api/v1/customers?name=imported')).items.map((c) => c.name);
    expect(names).toEqual(['Imported One', 'Imported Two']);

    const again = expectOk(
      await operator.post('/api/v1/operator/reseller-relationships/import', {
        items: [{ partnerDomain: r1.domain, customerName: 'Imported One', customerDomain: 'imported-one.test', customerCountry: 'US' }],
      }),
    );
    expect(again).toEqual({ created: 0, existing: 1, customersCreated: 0 });

    const bad = await operator.post<Problem>('/api/v1/operator/reseller-relationships/import', {
      items: [
        { partnerDomain: r1.domain, customerName: 'Never', customerDomain: 'never-created.test', customerCountry: 'US' },
        { partnerDomain: 'unknown-partner.test', customerName: 'X', customerDomain: 'x-import.test', customerCountry: 'US' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('items.1.partnerDomain');
    const created = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from organizations where domain = 'never-created.test'`);
    expect(created[0]?.n).toBe(0);
  });
});

describe('state machines of DESIGN §4', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Machine Provider', 'indirect_provider');
  });
  afterAll(() => t.close());

  /** Moves the clock; sessions have an idle limit, so the long-lived clients sign in again. */
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    operator = await signIn(t, 'ops@operator.test');
    provider.admin = await signIn(t, provider.adminEmail);
  };

  const invite = async (email: string, expiresInDays?: number): Promise<Issued> =>
    issuedFrom(
      expectOk(
        await provider.admin.post('/api/v1/reseller-invitations', { email, ...(expiresInDays === undefined ? {} : { expiresInDays }) }),
        201,
      ) as never,
    );

  it('invitation: expired on the clock, then written down by the sweep', async () => {
    const reseller = await createPartner(t, operator, 'Late Reseller', 'indirect_reseller');
    const issued = await invite(reseller.adminEmail, 1);
    await advance(days(1) + 1000);
    reseller.admin = await signIn(t, reseller.adminEmail);
    const late = await reseller.admin.post<Problem>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('invitation_expired');
    const preview = expectOk(await t.client().get<{ state: string }>(`/api/v1/invitations/${issued.id}?token=${issued.token}`));
    expect(preview.state).toBe('expired');
    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireInvitations(ctx))).toBeGreaterThanOrEqual(1);
    const events = await queryRows<{ n: number }>(t, 
      sql`select count(*)::int as n from audit_events where target_id = ${issued.id} and action = 'invitation.expired'`,
    );
    expect(events[0]?.n).toBe(1);
  });

  it('invitation: default 7 days, at most 30', async () => {
    const tooLong = await provider.admin.post<Problem>('/api/v1/reseller-invitations', { email: 'a@long.test', expiresInDays: 31 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.field).toBe('expiresInDays');
    const created = expectOk(
      await provider.admin.post<{ invitation: { createdAt: string; expiresAt: string } }>('/api/v1/reseller-invitations', { email: 'a@default.test' }),
      201,
    );
    expect(Date.parse(created.invitation.expiresAt) - Date.parse(created.invitation.createdAt)).toBe(days(7));
  });

  it('invitation: revoked by the inviter, superseded by a re-send, declined, wrong token', async () => {
    const reseller = await createPartner(t, operator, 'Choosy Reseller', 'indirect_reseller');
    const first = await invite(reseller.adminEmail);
    expectOk(await provider.admin.post(`/api/v1/invitations/${first.id}/revoke`));
    const revoked = await reseller.admin.post<Problem>(`/api/v1/invitations/${first.id}/accept`, { token: first.token, consent: true });
    expect([revoked.status, revoked.body.code]).toEqual([409, 'invitation_not_pending']);

    const second = await invite(reseller.adminEmail);
    const third = await invite(reseller.adminEmail);
    const superseded = await reseller.admin.post<Problem>(`/api/v1/invitations/${second.id}/accept`, { token: second.token, consent: true });
    expect([superseded.status, superseded.body.code]).toEqual([409, 'invitation_not_pending']);

    const wrongToken = await reseller.admin.post<Problem>(`/api/v1/invitations/${third.id}/accept`, { token: first.token, consent: true });
    expect([wrongToken.status, wrongToken.body.code]).toEqual([404, 'invitation_not_found']);

    expectOk(await t.client().post(`/api/v1/invitations/${third.id}/decline`, { token: third.token }));
    const declined = await reseller.admin.post<Problem>(`/api/v1/invitations/${third.id}/accept`, { token: third.token, consent: true });
    expect([declined.status, declined.body.code]).toEqual([409, 'invitation_not_pending']);
    expect(expectOk(await reseller.admin.get<Page<unknown>>('/api/v1/indirect-providers')).items).toEqual([]);
  });

  it('invitation: wrong email, wrong organization kind, API key instead of a user', async () => {
    const reseller = await createPartner(t, operator, 'Right Reseller', 'indirect_reseller');
    const other = await createPartner(t, operator, 'Other Reseller', 'indirect_reseller');
    const customer = await createCustomer(t, 'Kind Customer');
    const issued = await invite(reseller.adminEmail);
    const wrongEmail = await other.admin.post<Problem>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true });
    expect([wrongEmail.status, wrongEmail.body.code]).toEqual([403, 'invitation_email_mismatch']);

    const toCustomer = await invite(customer.adminEmail);
    const kind = await customer.admin.post<Problem>(`/api/v1/invitations/${toCustomer.id}/accept`, { token: toCustomer.token, consent: true });
    expect([kind.status, kind.body.code]).toEqual([403, 'wrong_organization_kind']);

    const keyed = expectOk(
      await reseller.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'automation', roles: ['global_admin'] }),
      201,
    );
    const bot = t.client();
    bot.apiKey = keyed.secret;
    const byKey = await bot.post<Problem>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true });
    expect([byKey.status, byKey.body.code]).toEqual([403, 'forbidden']);

    // A partner cannot accept a customer relationship, and nothing of the above changed anything.
    const customerInvitation = issuedFrom(
      expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: other.adminEmail }), 201) as never,
    );
    const partnerAsCustomer = await other.admin.post<Problem>(`/api/v1/invitations/${customerInvitation.id}/accept`, {
      token: customerInvitation.token,
      consent: true,
    });
    expect([partnerAsCustomer.status, partnerAsCustomer.body.code]).toEqual([403, 'wrong_organization_kind']);
    expectOk(await reseller.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
  });

  it('partnership: ending it keeps customers and grants; the reseller can remove the provider\'s admin access on its own', async () => {
    const reseller = await createPartner(t, operator, 'Ending Reseller', 'indirect_reseller');
    await connect(provider, reseller);
    const customer = await createCustomer(t, 'Kept Customer');
    await relate(reseller, customer, provider.id);

    const removedAccess = expectOk(
      await reseller.admin.delete<{ revoked: { state: string }[] }>(`/api/v1/indirect-providers/${provider.id}/delegated-admin`),
    );
    expect(removedAccess.revoked.map((g) => g.state)).toEqual(['revoked']);
    expect(expectOk(await reseller.admin.get<Page<{ delegatedAdmin: unknown }>>('/api/v1/indirect-providers')).items[0]?.delegatedAdmin).toBeNull();

    const ended = expectOk(await provider.admin.delete<{ partnership: { state: string } }>(`/api/v1/indirect-resellers/${reseller.id}`));
    expect(ended.partnership.state).toBe('ended');
    expect((await provider.admin.delete(`/api/v1/indirect-resellers/${reseller.id}`)).status).toBe(404);
    expect(expectOk(await reseller.admin.get<Page<unknown>>('/api/v1/indirect-providers')).items).toEqual([]);
    // Both keep the customer and their grants in it.
    expect(ids(expectOk(await reseller.admin.get<Page<{ id: string }>>('/api/v1/customers')))).toContain(customer.id);
    const providerView = expectOk(await provider.admin.get<CustomerItem>(`/api/v1/customers/${customer.id}`));
    expect(providerView.delegatedAdmin.map((g) => g.state)).toEqual(['active']);
  });

  it('delegated admin: ends by itself at its end date and is revocable by the customer', async () => {
    const reseller = await createPartner(t, operator, 'Timed Reseller', 'indirect_reseller');
    const customer = await createCustomer(t, 'Timed Customer');
    const issued = issuedFrom(
      expectOk(
        await reseller.admin.post('/api/v1/customer-invitations', {
          email: customer.adminEmail,
          delegatedAdminDays: 2,
          delegatedRoles: ['helpdesk'],
        }),
        201,
      ) as never,
    );
    const accepted = expectOk(
      await customer.admin.post<{ delegatedAdmin: { id: string; roles: string[]; endsAt: string }[] }>(`/api/v1/invitations/${issued.id}/accept`, {
        token: issued.token,
        consent: true,
      }),
    );
    const grant = accepted.delegatedAdmin[0];
    expect(grant?.roles).toEqual(['helpdesk']);
    await advance(days(2) - hours(1));
    reseller.admin = await signIn(t, reseller.adminEmail);
    expect(expectOk(await reseller.admin.get<CustomerItem>(`/api/v1/customers/${customer.id}`)).delegatedAdmin).toHaveLength(1);
    await advance(hours(2));
    reseller.admin = await signIn(t, reseller.adminEmail);
    expect(expectOk(await reseller.admin.get<CustomerItem>(`/api/v1/customers/${customer.id}`)).delegatedAdmin).toEqual([]);
    const history = expectOk(await reseller.admin.get<{ items: { state: string }[] }>(`/api/v1/customers/${customer.id}/delegated-admin`));
    expect(history.items.map((g) => g.state)).toEqual(['expired']);
    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireDelegatedAdmin(ctx))).toBeGreaterThanOrEqual(1);

    const other = await createCustomer(t, 'Revoking Customer');
    customer.admin = await signIn(t, customer.adminEmail);
    await relate(reseller, other);
    const grants = expectOk(await other.admin.get<Page<{ delegatedAdmin: { id: string }[] }>>('/api/v1/partners')).items[0]?.delegatedAdmin ?? [];
    const grantId = grants[0]?.id ?? '';
    const revoked = expectOk(await other.admin.delete<{ state: string }>(`/api/v1/partners/${reseller.id}/delegated-admin/${grantId}`));
    expect(revoked.state).toBe('revoked');
    const again = await other.admin.delete<Problem>(`/api/v1/partners/${reseller.id}/delegated-admin/${grantId}`);
    expect([again.status, again.body.code]).toEqual([409, 'grant_not_active']);
    // The partner reads the revocation in the audit log of both sides.
    const partnerAudit = expectOk(await reseller.admin.get<Page<{ action: string; target: { id: string } }>>(`/api/v1/audit-events?targetId=${grantId}`));
    expect(partnerAudit.items.map((e) => e.action).sort()).toEqual(['delegated_admin.granted', 'delegated_admin.revoked']);
    const strangerAudit = expectOk(await provider.admin.get<Page<unknown>>(`/api/v1/audit-events?targetId=${grantId}`));
    expect(strangerAudit.items).toEqual([]);
  });

  it('audit events cannot be rewritten', async () => {
    await expect(t.db.execute(sql`update audit_events set action = 'forged'`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    const count = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from audit_events where action = 'forged'`);
    expect(count[0]?.n).toBe(0);
  });
});
