import { HttpClient, ok, signInWithNewMfa } from './http.ts';
import { operatorEmail, operatorPassword } from './server-process.ts';

export const partnerPassword = 'correct horse battery';

export interface PartnerHandle {
  id: string;
  adminEmail: string;
  /** The admin's MFA-verified session (accepting invitations needs a signed-in user). */
  session: HttpClient;
  /** Automation: API keys are exempt from MFA. */
  api: HttpClient;
}

export interface CustomerHandle {
  id: string;
  domain: string;
  adminEmail: string;
  admin: HttpClient;
  /** Users that licenses are assigned to. */
  userIds: string[];
  /** A subscription of the seat SKU; only the load's patch and license workers change it. */
  seatSubscriptionId: string;
}

export interface ApiWorld {
  base: string;
  operator: HttpClient;
  provider: PartnerHandle;
  reseller: PartnerHandle;
  /** Ordered by the load; unbounded enough never to be refused. */
  orderSkuId: string;
  /** Patched and licensed by the load; bounded. */
  seatSkuId: string;
  customers: CustomerHandle[];
}

interface Created {
  organization: { id: string };
}

/** The server to talk to; it can move to a new process (restart) on the same address. */
export function rebase(world: ApiWorld, base: string): void {
  world.base = base;
  for (const client of [world.operator, world.provider.session, world.provider.api, world.reseller.session, world.reseller.api, ...world.customers.map((c) => c.admin)]) {
    client.base = base;
  }
}

async function onboard(base: string, operator: HttpClient, name: string, program: 'indirect_provider' | 'indirect_reseller'): Promise<PartnerHandle> {
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`;
  const adminEmail = `admin@${domain}`;
  const created = ok(
    await operator.post<Created>('/api/v1/operator/partners', {
      organization: { name, domain, country: 'US' },
      program,
      admin: { displayName: `${name} admin`, email: adminEmail, password: partnerPassword },
    }),
    201,
  );
  const { client: session } = await signInWithNewMfa(base, adminEmail, partnerPassword);
  const key = ok(await session.post<{ secret: string }>('/api/v1/api-keys', { name: `${name} load`, roles: ['global_admin', 'admin_agent'] }), 201);
  return { id: created.organization.id, adminEmail, session, api: session.withApiKey(key.secret) };
}

export interface IssuedLink {
  id: string;
  token: string;
}

export function linkOf(body: { invitation: { id: string }; email: { link: string } }): IssuedLink {
  const token = new URL(body.email.link).searchParams.get('token');
  if (token === null) throw new Error('invitation link without token');
  return { id: body.invitation.id, token };
}

/** A customer that signs itself up (public endpoint); its admin needs no MFA. */
export async function signUpCustomer(base: string, name: string): Promise<{ id: string; domain: string; adminEmail: string; admin: HttpClient }> {
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`;
  const adminEmail = `admin@${domain}`;
  const admin = new HttpClient(base);
  const created = ok(
    await admin.post<Created>('/api/v1/organizations', {
      organization: { name, domain, country: 'US' },
      admin: { displayName: `${name} admin`, email: adminEmail, password: partnerPassword },
    }),
    201,
  );
  return { id: created.organization.id, domain, adminEmail, admin };
}

/**
 * Operator (bootstrap account, MFA set up on first sign-in) → provider and reseller partners with
 * API keys → partnership → catalog → joint customers, each with users and a seat subscription.
 * Everything goes through the public API of the running server.
 */
export async function buildWorld(base: string, tag: string, customerCount: number, usersPerCustomer: number): Promise<ApiWorld> {
  const { client: operatorSession } = await signInWithNewMfa(base, operatorEmail, operatorPassword);
  const operatorKey = ok(await operatorSession.post<{ secret: string }>('/api/v1/api-keys', { name: 'load', roles: ['global_admin'] }), 201);
  const operator = operatorSession.withApiKey(operatorKey.secret);
  const provider = await onboard(base, operator, `${tag} Provider`, 'indirect_provider');
  const reseller = await onboard(base, operator, `${tag} Reseller`, 'indirect_reseller');
  const partnership = linkOf(ok(await provider.api.post('/api/v1/reseller-invitations', { email: reseller.adminEmail }), 201) as never);
  ok(await reseller.session.post(`/api/v1/invitations/${partnership.id}/accept`, { token: partnership.token, consent: true }));
  // Orders placed by the reseller draw on this line; it is large enough never to refuse one.
  ok(await provider.api.put(`/api/v1/indirect-resellers/${reseller.id}/credit`, { limit: 1_000_000_000, currency: 'USD' }));

  const product = ok(
    await operator.post<{ skus: { id: string }[] }>('/api/v1/operator/catalog/products', {
      name: `${tag} Suite`,
      skus: [
        { name: `${tag} Standard`, currency: 'USD', prices: { monthly: 100, annual: 1000 }, minQuantity: 1, maxQuantity: 1_000_000 },
        { name: `${tag} Seats`, currency: 'USD', prices: { annual: 3000 }, minQuantity: 1, maxQuantity: 1000 },
      ],
    }),
    201,
  );
  const [orderSku, seatSku] = product.skus;
  if (orderSku === undefined || seatSku === undefined) throw new Error('catalog without skus');

  const world: ApiWorld = { base, operator, provider, reseller, orderSkuId: orderSku.id, seatSkuId: seatSku.id, customers: [] };
  for (let i = 0; i < customerCount; i += 1) {
    const customer = await signUpCustomer(base, `${tag} Customer ${i}`);
    const invitation = linkOf(
      ok(await reseller.api.post('/api/v1/customer-invitations', { email: customer.adminEmail, indirectProviderId: provider.id }), 201) as never,
    );
    ok(await customer.admin.post(`/api/v1/invitations/${invitation.id}/accept`, { token: invitation.token, consent: true }));
    const order = ok(
      await provider.api.post<{ lines: { subscriptionId: string }[] }>(
        `/api/v1/customers/${customer.id}/orders`,
        { resellerId: reseller.id, lines: [{ skuId: seatSku.id, quantity: 5, billingCycle: 'annual' }] },
        { 'idempotency-key': `setup-seats-${i}` },
      ),
      201,
    );
    const seatSubscriptionId = order.lines[0]?.subscriptionId;
    if (seatSubscriptionId === undefined) throw new Error('order without line');
    const userIds: string[] = [];
    for (let u = 0; u < usersPerCustomer; u += 1) {
      const user = ok(
        await customer.admin.post<{ user: { id: string } }>(`/api/v1/customers/${customer.id}/users`, { displayName: `User ${u}`, email: `user${u}@${customer.domain}` }),
        201,
      );
      userIds.push(user.user.id);
    }
    world.customers.push({ ...customer, userIds, seatSubscriptionId });
  }
  return world;
}
