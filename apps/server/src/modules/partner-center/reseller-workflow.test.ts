import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { catalogSku } from '../../../test/commerce-fixture.ts';
import { connect, createCustomer, createOperator, createPartner, createTestContext, expectOk, queryRows, type Client, type OrgHandle, type TestContext } from '../../../test/harness.ts';
import { recordSecret } from '../../../test/log-capture.ts';

/*
 * The seed's reseller workflow driven only through the Partner Center–compatible API, with OAuth
 * client-credentials tokens as an SDK would get them: the reseller lists its providers and gets a
 * (joint) relationship request link; the customer's admin accepts it (native API, as in the
 * portal); the provider lists the customer, orders for it naming the reseller as partner of record
 * with MS-RequestId, retries with the same MS-RequestId (same order), changes the quantity with
 * If-Match, creates a customer user and assigns it a license.
 */

interface Collection<T> {
  totalCount: number;
  items: T[];
  attributes: { objectType: string };
}

/** An API key of the partner's admin, exchanged for an access token at /oauth2/token. */
async function tokenClient(t: TestContext, partner: OrgHandle, role: 'admin_agent' | 'global_admin'): Promise<Client> {
  const key = expectOk(await partner.admin.post<{ apiKey: { id: string }; secret: string }>('/api/v1/api-keys', { name: `${partner.name} tool`, roles: [role] }), 201);
  const response = await t.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: key.apiKey.id, client_secret: key.secret }).toString(),
  });
  expect(response.statusCode, response.body).toBe(200);
  const token = (JSON.parse(response.body) as { access_token: string }).access_token;
  recordSecret(token);
  const client = t.client();
  client.apiKey = token;
  return client;
}

describe('compatible API: the reseller workflow end to end', () => {
  let t: TestContext;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let skuId: string;
  let providerApi: Client;
  let resellerApi: Client;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'First Up Consultants', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Relecloud', 'indirect_reseller');
    // Onboarded partners have no membership yet; the registry would give them these MPN ids.
    await queryRows(t, sql`update partner_profiles set membership_id = '4847383' where organization_id = ${reseller.id}`);
    await queryRows(t, sql`update partner_profiles set membership_id = '4847433' where organization_id = ${provider.id}`);
    await connect(provider, reseller);
    skuId = await catalogSku(operator, 'Workflow');
    providerApi = await tokenClient(t, provider, 'admin_agent');
    resellerApi = await tokenClient(t, reseller, 'admin_agent');
  }, 120_000);
  afterAll(() => t.close());

  it('runs from the relationship request to an assigned license', async () => {
    // 1. The reseller lists its indirect providers.
    const providers = expectOk(
      await resellerApi.get<Collection<{ id: string; name: string; relationshipType: string; state: string; mpnId: string }>>('/v1/relationships?relationship_type=IsIndirectResellerOf'),
    );
    expect(providers.items).toEqual([
      expect.objectContaining({ id: provider.id, name: 'First Up Consultants', relationshipType: 'is_indirect_reseller_of', state: 'Active', mpnId: '4847433' }),
    ]);
    // …and the provider its resellers, filtered by name.
    const filter = encodeURIComponent(JSON.stringify({ Field: 'Name', Value: 'rele', Operator: 'starts_with' }));
    const resellers = expectOk(await providerApi.get<Collection<{ id: string; mpnId: string }>>(`/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf&filter=${filter}`));
    expect(resellers.items.map((r) => [r.id, r.mpnId])).toEqual([[reseller.id, '4847383']]);

    // 2. The reseller gets a (joint) relationship request link for the customer's admin.
    const customerEmail = 'admin@contoso-workflow.test';
    const request = expectOk(
      await resellerApi.post<{ url: string; attributes: { objectType: string } }>('/v1/customers/relationshiprequests', {
        Email: customerEmail,
        IndirectCloudSolutionProviderId: provider.id,
        Attributes: { ObjectType: 'RelationshipRequest' },
      }),
      201,
    );
    expect(request.attributes.objectType).toBe('RelationshipRequest');
    const link = new URL(request.url);
    const invitationId = link.pathname.split('/').pop() ?? '';
    const token = link.searchParams.get('token') ?? '';
    recordSecret(token);

    // 3. The customer's admin accepts (in the portal; here its API).
    const customer = await createCustomer(t, 'Contoso Workflow');
    expect(customer.adminEmail).toBe(customerEmail);
    expectOk(await customer.admin.post(`/api/v1/invitations/${invitationId}/accept`, { token, consent: true }));

    // 4. The provider lists the customer (company-name filter) and reads it.
    const byName = encodeURIComponent(JSON.stringify({ Field: 'CompanyName', Value: 'contoso', Operator: 'starts_with' }));
    const customers = expectOk(await providerApi.get<Collection<{ id: string; relationshipToPartner: string }>>(`/v1/customers?size=10&filter=${byName}`));
    expect(customers.items.map((c) => [c.id, c.relationshipToPartner])).toEqual([[customer.id, 'reseller']]);
    const one = expectOk(await providerApi.get<{ id: string; allowDelegatedAccess: boolean }>(`/v1/customers/${customer.id}`));
    expect(one).toMatchObject({ id: customer.id, allowDelegatedAccess: true });
    const partners = expectOk(await providerApi.get<Collection<{ id: string }>>(`/v1/customers/${customer.id}/relationships`));
    expect(partners.items.map((p) => p.id)).toEqual([reseller.id]);

    // 5. The provider orders, naming the reseller of record by its MPN ID, with MS-RequestId…
    const order = {
      ReferenceCustomerId: customer.id,
      BillingCycle: 'monthly',
      LineItems: [{ LineItemNumber: 0, OfferId: skuId, FriendlyName: 'New offer purchase.', Quantity: 5, PartnerIdOnRecord: '4847383' }],
      Attributes: { ObjectType: 'Order' },
    };
    const headers = { 'ms-requestid': '02109f46-3ff2-4be4-9f37-b2eb6d58d542', 'ms-correlationid': '85195ae6-3de5-4978-abd4-7be2fbfe4c84' };
    const placed = await providerApi.post<{ id: string; status: string; lineItems: { subscriptionId: string; partnerIdOnRecord: string }[] }>(`/v1/customers/${customer.id}/orders`, order, headers);
    const created = expectOk(placed, 201);
    expect(placed.headers['ms-requestid']).toBe(headers['ms-requestid']);
    expect(created.status).toBe('completed');
    expect(created.lineItems[0]?.partnerIdOnRecord).toBe('4847383');
    // …retries after a timeout with the same MS-RequestId: the same order, not a second one.
    const retried = await providerApi.post<{ id: string }>(`/v1/customers/${customer.id}/orders`, order, headers);
    expect(expectOk(retried, 201).id).toBe(created.id);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    const orders = expectOk(await providerApi.get<Collection<{ id: string }>>(`/v1/customers/${customer.id}/orders`));
    expect(orders.items.map((o) => o.id)).toEqual([created.id]);

    // 6. Changes the quantity with If-Match = attributes.etag (a stale ETag is refused with 2055).
    const subscriptionId = created.lineItems[0]?.subscriptionId ?? '';
    const read = expectOk(await providerApi.get<{ quantity: number; partnerId: string; attributes: { etag: string } }>(`/v1/customers/${customer.id}/subscriptions/${subscriptionId}`));
    expect([read.quantity, read.partnerId]).toEqual([5, '4847383']);
    const patched = expectOk(
      await providerApi.patch<{ Quantity: number; Attributes: { Etag: string } }>(
        `/v1/customers/${customer.id}/subscriptions/${subscriptionId}`,
        { Id: subscriptionId, Quantity: 8, Status: 'active', Attributes: { Etag: read.attributes.etag, ObjectType: 'Subscription' } },
        { 'if-match': read.attributes.etag },
      ),
    );
    expect(patched.Quantity).toBe(8);
    const stale = await providerApi.patch<{ code: number }>(`/v1/customers/${customer.id}/subscriptions/${subscriptionId}`, { Quantity: 9 }, { 'if-match': read.attributes.etag });
    expect([stale.status, stale.body.code]).toEqual([412, 2055]);
    const byMpn = expectOk(await resellerApi.get<Collection<{ id: string }>>(`/v1/customers/${customer.id}/subscriptions?mpn_id=4847383`));
    expect(byMpn.items.map((s) => s.id)).toEqual([subscriptionId]);

    // 7. Creates a customer user (delegated admin) and assigns it a license.
    const user = expectOk(
      await providerApi.post<{ id: string; userPrincipalName: string; passwordProfile: { password: string } }>(`/v1/customers/${customer.id}/users`, {
        UsageLocation: 'US',
        UserPrincipalName: 'ada@contoso-workflow.test',
        FirstName: 'Ada',
        LastName: 'Lovelace',
        DisplayName: 'Ada Lovelace',
        PasswordProfile: { ForceChangePassword: true },
        Attributes: { ObjectType: 'CustomerUser' },
      }),
    );
    recordSecret(user.passwordProfile.password);
    expect(user.userPrincipalName).toBe('ada@contoso-workflow.test');
    const skus = expectOk(await providerApi.get<Collection<{ productSku: { id: string }; availableUnits: number }>>(`/v1/customers/${customer.id}/subscribedskus`));
    expect(skus.items.map((s) => [s.productSku.id, s.availableUnits])).toEqual([[subscriptionId, 8]]);
    const update = expectOk(
      await providerApi.post<{ licensesToAssign: { skuId: string }[] }>(`/v1/customers/${customer.id}/users/${user.id}/licenseupdates`, {
        LicensesToAssign: [{ ExcludedPlans: null, SkuId: subscriptionId }],
        LicensesToRemove: null,
        LicenseWarnings: null,
        Attributes: { ObjectType: 'LicenseUpdate' },
      }),
      201,
    );
    expect(update.licensesToAssign).toEqual([{ skuId: subscriptionId, excludedPlans: [] }]);
    const licenses = expectOk(await providerApi.get<Collection<{ productSku: { id: string } }>>(`/v1/customers/${customer.id}/users/${user.id}/licenses`));
    expect(licenses.items.map((l) => l.productSku.id)).toEqual([subscriptionId]);
    const users = expectOk(await providerApi.get<Collection<{ id: string }>>(`/v1/customers/${customer.id}/users`));
    expect(users.items.map((u) => u.id)).toContain(user.id);
  });

  it('reads a user\'s directory roles as Entra role templates, removes a user without roles (204), and refuses an admin (403)', async () => {
    const customerId = expectOk(await providerApi.get<Collection<{ id: string }>>('/v1/customers')).items[0]?.id ?? '';
    const users = expectOk(await providerApi.get<Collection<{ id: string; userPrincipalName: string }>>(`/v1/customers/${customerId}/users`)).items;
    const ada = users.find((u) => u.userPrincipalName === 'ada@contoso-workflow.test');
    const admin = users.find((u) => u.userPrincipalName === 'admin@contoso-workflow.test');
    if (ada === undefined || admin === undefined) throw new Error('users missing');

    const adminRoles = expectOk(await providerApi.get<Collection<{ name: string; id: string; attributes: { objectType: string } }>>(`/v1/customers/${customerId}/users/${admin.id}/directoryroles`));
    expect(adminRoles.items).toEqual([{ name: 'Global Administrator', id: '62e90394-69f5-4237-9190-012177145e10', attributes: { objectType: 'DirectoryRole' } }]);
    expect(adminRoles.attributes.objectType).toBe('Collection');
    expect(expectOk(await providerApi.get<Collection<unknown>>(`/v1/customers/${customerId}/users/${ada.id}/directoryroles`)).totalCount).toBe(0);

    const refused = await providerApi.delete<{ code: number }>(`/v1/customers/${customerId}/users/${admin.id}`);
    expect([refused.status, refused.body.code, refused.headers['tierlink-error-code']]).toEqual([403, 971048, 'customer_admin_protected']);
    expect((await providerApi.delete(`/v1/customers/${customerId}/users/${ada.id}`)).status).toBe(204);
    // Gone: Partner Center's user-not-found code, on the user's own paths and on a second delete.
    for (const reply of [
      await providerApi.delete<{ code: number }>(`/v1/customers/${customerId}/users/${ada.id}`),
      await providerApi.get<{ code: number }>(`/v1/customers/${customerId}/users/${ada.id}/directoryroles`),
    ]) {
      expect([reply.status, reply.body.code]).toEqual([404, 60002]);
    }
    // A customer the caller does not serve: not found, with the user code of the user's paths (as …/licenses).
    const stranger = await providerApi.delete<{ code: number }>(`/v1/customers/00000000-0000-4000-8000-000000000000/users/${admin.id}`);
    expect([stranger.status, stranger.body.code]).toEqual([404, 60002]);
    // Assigning directory roles stays out: user_admin is Entra's User Administrator.
    const assign = await providerApi.post<{ code: number; description: string }>(`/v1/customers/${customerId}/directoryroles/fe930be7-5e62-47db-91af-98c3a49a38b1/usermembers`, { Id: admin.id });
    expect([assign.status, assign.body.code]).toEqual([501, 971100]);
    expect(assign.body.description).toContain('User Administrator');
  });

  it('the reseller\'s own view: it reads the shared customer, and the provider\'s agreement status by MPN', async () => {
    const shared = encodeURIComponent(JSON.stringify({ Field: 'IndirectCloudSolutionProvider', Value: provider.id, Operator: 'starts_with' }));
    const customers = expectOk(await resellerApi.get<Collection<{ companyProfile: { companyName: string } }>>(`/v1/customers?filter=${shared}`));
    expect(customers.items.map((c) => c.companyProfile.companyName)).toEqual(['Contoso Workflow']);
    expect(expectOk(await providerApi.get('/v1/compliance/csp/agreementstatus?mpnid=4847383'))).toEqual({ isAgreementSigned: true });
    const mpn = expectOk(await providerApi.get<{ partnerName: string; mpnId: string }>('/v1/profiles/mpn?mpnId=4847383'));
    expect([mpn.partnerName, mpn.mpnId]).toEqual(['Relecloud', '4847383']);
    // An MPN id of nobody the caller works with is not found (Partner Center's 3000).
    const unknown = await providerApi.get<{ code: number }>('/v1/profiles/mpn?mpnId=9999999');
    expect([unknown.status, unknown.body.code]).toEqual([404, 3000]);
  });

  it('removing the relationship needs the attestation, then answers as documented', async () => {
    const customers = expectOk(await resellerApi.get<Collection<{ id: string }>>('/v1/customers'));
    const customerId = customers.items[0]?.id ?? '';
    const refused = await resellerApi.patch<{ code: number }>(`/v1/customers/${customerId}`, { RelationshipToPartner: 'none', Attributes: { ObjectType: 'Customer' } });
    expect([refused.status, refused.body.code]).toEqual([400, 971005]);
    const removed = expectOk(
      await resellerApi.patch<Record<string, unknown>>(`/v1/customers/${customerId}`, { RelationshipToPartner: 'none', Attestation: true, Attributes: { ObjectType: 'Customer' } }),
    );
    expect(removed).toMatchObject({ Id: null, RelationshipToPartner: 'none', Attributes: { ObjectType: 'Customer' } });
    expect(expectOk(await resellerApi.get<Collection<unknown>>('/v1/customers')).totalCount).toBe(0);
  });
});
