import type { Program } from '@tierlink/contract';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../platform/actor.ts';
import { runInTransaction, type UnitOfWorkDeps, type UseCaseContext } from '../platform/unit-of-work.ts';
import { createOrganization, findUserByEmail, installAuthenticator, loadUserActor } from '../modules/identity/index.ts';
import { bootstrapOperator, onboardPartner } from '../modules/organizations/index.ts';
import { acceptInvitation, createCustomerInvitation, createResellerInvitation, proveInvitationEmail } from '../modules/invitations/index.ts';
import { createProduct, placeOrder, setCreditLimit } from '../modules/commerce/index.ts';
import { enroll, registerMembership, signInMembership } from '../modules/enrollment/index.ts';
import { hasActiveRelationship } from '../modules/customers/index.ts';
import { createRelationship, lockForApproval, type RequestReach } from '../modules/delegated-admin/index.ts';

/** Every demo account signs in with this password; it is printed at start. */
export const demoPassword = 'tierlink-demo';

/**
 * The authenticator seed of every demo partner and operator account (MFA is mandatory for them),
 * printed at start; `npm run demo:code` shows the current code. Demo data only: real users get a
 * fresh seed from the CSPRNG when they set MFA up.
 */
export const demoTotpSeed = 'TIERLINKDEMOTIERLINKDEMOTIERLINK';

export interface DemoAccount {
  role: string;
  organization: string;
  email: string;
}

interface Org {
  name: string;
  domain: string;
  country: string;
}

const operatorEmail = 'operator@tierlink.example';
const providers: Org[] = [
  { name: 'Meridian Distribution', domain: 'meridian-distribution.example', country: 'US' },
  { name: 'Bluepeak Supply', domain: 'bluepeak-supply.example', country: 'US' },
];
const resellers: (Org & { providers: number[] })[] = [
  { name: 'Alder IT Services', domain: 'alder-it.example', country: 'US', providers: [0] },
  { name: 'Birch Systems', domain: 'birch-systems.example', country: 'US', providers: [1] },
  { name: 'Cedar Networks', domain: 'cedar-networks.example', country: 'US', providers: [0, 1] },
];
/** `provider` set: a joint invitation with that provider; otherwise the reseller alone. */
const customers: (Org & { reseller: number; provider?: number })[] = [
  { name: 'Delta Dental Group', domain: 'delta-dental.example', country: 'US', reseller: 0, provider: 0 },
  { name: 'Echo Legal', domain: 'echo-legal.example', country: 'US', reseller: 0 },
  { name: 'Fjord Logistics', domain: 'fjord-logistics.example', country: 'US', reseller: 2, provider: 1 },
  { name: 'Gale Bakery', domain: 'gale-bakery.example', country: 'US', reseller: 2 },
  { name: 'Harbor Clinic', domain: 'harbor-clinic.example', country: 'US', reseller: 1, provider: 1 },
  { name: 'Juniper Architects', domain: 'juniper-architects.example', country: 'US', reseller: 2, provider: 0 },
];
/** Left pending, so that a newcomer finds its link in the mailbox and signs up from it. */
const pendingCustomer = { email: 'admin@iris-studio.example', reseller: 0, provider: 0 };

const adminEmail = (domain: string) => `admin@${domain}`;

/** The program-membership registry: one account with two locations, for the enrollment wizard. */
export const demoMembershipAccount = 'memberships@kestrel-cloud.example';
const demoMemberships = [
  { membershipId: 'MPN-6100100', legalName: 'Kestrel Cloud Inc.', country: 'US' },
  { membershipId: 'MPN-6100200', legalName: 'Kestrel Cloud GmbH', country: 'DE' },
  { membershipId: 'MPN-6100300', legalName: 'Kestrel Cloud Services LLC', country: 'US' },
];
/** Signed up and enrolled, waiting in the operator's review queue. */
const enrollingOrg: Org = { name: 'Kestrel Cloud', domain: 'kestrel-cloud.example', country: 'US' };

/** Invented products; prices in US cents. */
const demoCatalog = [
  {
    name: 'Nimbus Workplace',
    description: 'Mail, calendar, chat and file storage for teams.',
    skus: [
      { name: 'Nimbus Workplace Standard', currency: 'USD', prices: { monthly: 1250, annual: 12_000 }, minQuantity: 1, maxQuantity: 300 },
      { name: 'Nimbus Workplace Premium', currency: 'USD', prices: { monthly: 2200, annual: 21_600 }, minQuantity: 1, maxQuantity: 300 },
    ],
  },
  {
    name: 'Sentinel Endpoint Defense',
    description: 'Device protection with threat detection and response.',
    skus: [{ name: 'Sentinel Endpoint Defense P1', currency: 'USD', prices: { monthly: null, annual: 3600 }, minQuantity: 5, maxQuantity: 5000 }],
  },
  {
    name: 'Ledgerline Accounting',
    description: 'Bookkeeping, invoicing and payroll for small businesses.',
    skus: [{ name: 'Ledgerline Business', currency: 'USD', prices: { monthly: 4500, annual: null }, minQuantity: 1, maxQuantity: 50 }],
  },
];

/**
 * Demo data built through the same use cases the API runs, so it is audited and consistent:
 * an operator, two providers, three resellers (one working with both), customers with joint and
 * single relationships, and one pending invitation in the mailbox.
 */
export async function seedDemo(uow: UnitOfWorkDeps): Promise<readonly DemoAccount[]> {
  const operator = await runInTransaction(uow, null, 'demo', (ctx) => bootstrapOperator(ctx, { email: operatorEmail, password: demoPassword }));
  if (operator === null) return [];
  await withDemoAuthenticator(uow, operator.id);
  const operatorActor = await actor(uow, operator.id);

  const onboard = async (org: Org, program: Program): Promise<Actor> => {
    const { user } = await as(uow, operatorActor, (ctx) =>
      onboardPartner(ctx, {
        organization: org,
        program,
        admin: { displayName: `${org.name} admin`, email: adminEmail(org.domain), password: demoPassword },
      }),
    );
    await withDemoAuthenticator(uow, user.id);
    return actor(uow, user.id);
  };
  const providerActors: Actor[] = [];
  for (const org of providers) providerActors.push(await onboard(org, 'indirect_provider'));
  const resellerActors: Actor[] = [];
  for (const org of resellers) resellerActors.push(await onboard(org, 'indirect_reseller'));

  for (const [r, reseller] of resellers.entries()) {
    const resellerActor = resellerActors[r];
    if (resellerActor === undefined) continue;
    for (const p of reseller.providers) {
      const providerActor = providerActors[p];
      if (providerActor === undefined) continue;
      const issued = await as(uow, providerActor, (ctx) => createResellerInvitation(ctx, { email: adminEmail(reseller.domain), expiresInDays: 7 }));
      await as(uow, resellerActor, (ctx) => acceptInvitation(ctx, issued.view.invitation.id, { token: tokenOf(issued.email.link), consent: true }));
    }
  }

  const customerIds = new Map<string, string>();
  for (const customer of customers) {
    const resellerActor = resellerActors[customer.reseller];
    if (resellerActor === undefined) continue;
    const providerId = customer.provider === undefined ? undefined : providerActors[customer.provider]?.organizationId;
    const email = adminEmail(customer.domain);
    const issued = await as(uow, resellerActor, (ctx) =>
      createCustomerInvitation(ctx, { email, indirectProviderId: providerId, expiresInDays: 7, send: true }),
    );
    const invitation = { id: issued.view.invitation.id, token: tokenOf(issued.email.link) };
    const { user } = await runInTransaction(uow, null, 'demo', (ctx) =>
      createOrganization(ctx, { organization: customer, admin: { displayName: `${customer.name} admin`, email, password: demoPassword }, invitation }, proveInvitationEmail),
    );
    const customerActor = await actor(uow, user.id);
    customerIds.set(customer.domain, customerActor.organizationId);
    await as(uow, customerActor, (ctx) => acceptInvitation(ctx, invitation.id, { token: invitation.token, consent: true }));
  }

  // Catalog, credit lines and a few orders, so that subscriptions and credit pages have content.
  const catalog: { skus: { id: string }[] }[] = [];
  for (const product of demoCatalog) {
    catalog.push(await as(uow, operatorActor, (ctx) => createProduct(ctx, product)));
  }
  const skuOf = (product: number, sku: number) => catalog[product]?.skus[sku]?.id ?? '';
  for (const [r, reseller] of resellers.entries()) {
    for (const p of reseller.providers) {
      const providerActor = providerActors[p];
      const resellerId = resellerActors[r]?.organizationId;
      if (providerActor === undefined || resellerId === undefined) continue;
      await as(uow, providerActor, (ctx) => setCreditLimit(ctx, resellerId, { limit: 5_000_000, currency: 'USD' }));
    }
  }
  // Smaller orders in the months before, so that the home dashboards chart orders over time.
  const now = uow.clock.now();
  for (let monthsAgo = 7; monthsAgo >= 1; monthsAgo -= 1) {
    for (const [index, customer] of customers.entries()) {
      if (customer.provider === undefined || (monthsAgo + index) % 3 === 0) continue;
      const resellerActor = resellerActors[customer.reseller];
      const providerId = providerActors[customer.provider]?.organizationId;
      const customerId = customerIds.get(customer.domain);
      if (resellerActor === undefined || providerId === undefined || customerId === undefined) continue;
      const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 3 + index * 4, 10));
      const past = { ...uow, clock: { now: () => at } };
      await as(past, resellerActor, (ctx) =>
        placeOrder(
          ctx,
          customerId,
          {
            providerId,
            lines: [
              { skuId: skuOf(0, index % 2), quantity: 6 + ((monthsAgo * 5 + index * 3) % 10), billingCycle: 'monthly' },
              ...(monthsAgo % 2 === 0 ? [{ skuId: skuOf(1, 0), quantity: 5, billingCycle: 'annual' as const }] : []),
            ],
          },
          `demo-${customer.domain}-${monthsAgo}`,
        ),
      );
    }
  }
  for (const [index, customer] of customers.entries()) {
    if (customer.provider === undefined) continue;
    const resellerActor = resellerActors[customer.reseller];
    const providerId = providerActors[customer.provider]?.organizationId;
    const customerId = customerIds.get(customer.domain);
    if (resellerActor === undefined || providerId === undefined || customerId === undefined) continue;
    await as(uow, resellerActor, (ctx) =>
      placeOrder(
        ctx,
        customerId,
        { providerId, lines: [{ skuId: skuOf(0, index % 2), quantity: 10 + index * 5, billingCycle: 'monthly' }, { skuId: skuOf(1, 0), quantity: 5, billingCycle: 'annual' }] },
        `demo-${customer.domain}`,
      ),
    );
  }

  // Delegated admin made by request: Meridian asks Delta Dental for licensing and helpdesk access
  // (waiting for the customer's approval) and keeps a draft for Juniper Architects, so that both
  // sides' Delegated admin pages have something to show on a first start.
  const meridian = providerActors[0];
  const delta = customerIds.get('delta-dental.example');
  const juniper = customerIds.get('juniper-architects.example');
  if (meridian !== undefined && delta !== undefined && juniper !== undefined) {
    const reach: RequestReach = { servesCustomer: hasActiveRelationship, sharesThroughReseller: () => Promise.resolve(false) };
    const request = await as(uow, meridian, (ctx) =>
      createRelationship(ctx, { displayName: 'Meridian licensing desk', customerId: delta, roles: ['license_admin', 'helpdesk'], duration: 'P180D', autoExtendDuration: 'P180D' }, reach),
    );
    await as(uow, meridian, (ctx) => lockForApproval(ctx, request.id));
    await as(uow, meridian, (ctx) =>
      createRelationship(ctx, { displayName: 'Meridian user onboarding', customerId: juniper, roles: ['user_admin'], duration: 'P30D', autoExtendDuration: 'P0D' }, reach),
    );
  }

  for (const membership of demoMemberships) {
    await as(uow, operatorActor, (ctx) => registerMembership(ctx, { ...membership, accountEmail: demoMembershipAccount, accountPassword: demoPassword }));
  }
  const enrolling = await runInTransaction(uow, null, 'demo', (ctx) =>
    createOrganization(ctx, { organization: enrollingOrg, admin: { displayName: 'Kestrel Cloud admin', email: adminEmail(enrollingOrg.domain), password: demoPassword } }, proveInvitationEmail),
  );
  await withDemoAuthenticator(uow, enrolling.user.id);
  const enrollingActor = await actor(uow, enrolling.user.id);
  const { membershipToken } = await as(uow, enrollingActor, (ctx) => signInMembership(ctx, { accountEmail: demoMembershipAccount, accountPassword: demoPassword }));
  await as(uow, enrollingActor, (ctx) =>
    enroll(ctx, {
      program: 'indirect_reseller',
      membershipToken,
      membershipId: 'MPN-6100300',
      legalProfile: { name: 'Kestrel Cloud Services LLC', address: '400 Harbor Way, Portland, OR 97201' },
      primaryContact: { name: 'Kim Kestrel', email: adminEmail(enrollingOrg.domain), phone: '+1 503 555 0140' },
      supportProfile: { email: 'support@kestrel-cloud.example', phone: '+1 503 555 0141', website: 'https://kestrel-cloud.example/support' },
    }),
  );

  const pendingReseller = resellerActors[pendingCustomer.reseller];
  if (pendingReseller !== undefined) {
    await as(uow, pendingReseller, (ctx) =>
      createCustomerInvitation(ctx, {
        email: pendingCustomer.email,
        indirectProviderId: providerActors[pendingCustomer.provider]?.organizationId,
        expiresInDays: 30,
        send: true,
      }),
    );
  }
  return demoAccounts;
}

/** The accounts the demo data holds, as printed at start. */
export const demoAccounts: readonly DemoAccount[] = [
  { role: 'operator', organization: 'Operator', email: operatorEmail },
  ...providers.map((org) => ({ role: 'indirect provider', organization: org.name, email: adminEmail(org.domain) })),
  ...resellers.map((org) => ({ role: 'indirect reseller', organization: org.name, email: adminEmail(org.domain) })),
  ...customers.map((org) => ({ role: 'customer admin', organization: org.name, email: adminEmail(org.domain) })),
  { role: 'enrolling reseller (verify the email in the mailbox)', organization: enrollingOrg.name, email: adminEmail(enrollingOrg.domain) },
];

/**
 * The demo accounts when a database already holds the demo data (a start on an existing data
 * folder), so that they and the MFA key are printed again; none otherwise.
 */
export async function existingDemoAccounts(db: Executor): Promise<readonly DemoAccount[]> {
  return (await findUserByEmail(db, operatorEmail)) === undefined ? [] : demoAccounts;
}

function withDemoAuthenticator(uow: UnitOfWorkDeps, userId: string): Promise<void> {
  return runInTransaction(uow, null, 'demo', (ctx) => installAuthenticator(ctx, userId, demoTotpSeed));
}

function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (token === null) throw new Error('invitation link without token');
  return token;
}

async function actor(uow: UnitOfWorkDeps, userId: string): Promise<Actor> {
  const found = await loadUserActor(uow.db, userId);
  if (found === null) throw new Error(`demo user ${userId} is not active`);
  return found;
}

function as<T>(uow: UnitOfWorkDeps, who: Actor, work: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
  return runInTransaction(uow, who, 'demo', (ctx) => work({ ...ctx, actor: who }));
}
