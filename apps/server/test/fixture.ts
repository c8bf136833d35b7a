import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { OrganizationKind, Role } from '@tierlink/contract';
import {
  createCustomer,
  createOperator,
  createPartner,
  expectOk,
  issuedFrom,
  password,
  queryRows,
  signIn,
  type Client,
  type Issued,
  type OrgHandle,
  type TestContext,
} from './harness.ts';
import { catalogSku } from './commerce-fixture.ts';

/*
 * The shared fixture of the security test catalogue (security-tests.md §B2), built through the
 * real API:
 *
 *   operator
 *    ├─ P1 ── R1a ── C1   (R1a→C1 grant active, ends after 30 days; the invitation was joint
 *    │     │               with P1, which then removed its own relationship and kept its grant:
 *    │     │               C1 still sees P1 through the grant, P1 no longer sees C1)
 *    │     ├─ R1b ── C2   (R1b→C2 grant expired: 1 day, then the clock moves 25 hours)
 *    │     └─ Rm  ── C4   (Rm is also under P2)
 *    └─ P2 ── R2a ── C3   (R2a→C3 grant revoked by C3: Tierlink has no "pending approval" grant
 *          │               state — a customer accepting an invitation grants at once — so the
 *          │               closest "not in force" state a customer controls stands in for it)
 *          └─ Rm  ── C5   (joint invitation: C5 also has a relationship with P2 itself)
 *
 * Every partner tenant has its onboarded admin (global_admin + admin_agent) and two API keys with
 * one role each (global_admin, admin_agent): an API key cannot hold a role its creator lacks, and
 * user management (one user per role) does not exist yet. Each customer has its signed-up admin
 * (global_admin).
 */

export const providerNames = ['P1', 'P2'] as const;
export const resellerNames = ['R1a', 'R1b', 'Rm', 'R2a'] as const;
export const partnerNames = [...providerNames, ...resellerNames] as const;
export const customerNames = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export const tenantNames = [...partnerNames, ...customerNames] as const;
export type PartnerName = (typeof partnerNames)[number];
export type CustomerName = (typeof customerNames)[number];
export type TenantName = (typeof tenantNames)[number];

/** What the model needs to know about a caller: nothing but what DESIGN §6 decides on. */
export interface ActorModel {
  organizationId: string;
  kind: OrganizationKind;
  roles: readonly Role[];
  /** The signed-in user's address; null for an API key. */
  email: string | null;
}

export interface TenantFacts {
  id: string;
  name: string;
  domain: string;
  kind: 'partner' | 'customer';
  adminEmail: string;
  adminUserId: string;
}

/** Audit events as facts (what happened); who may read each is the model's business. */
export interface AuditFact {
  id: string;
  action: string;
  targetType: string;
  targetId: string;
  actorOrganizationId: string | null;
}

export interface CommerceFact {
  id: string;
  customerId: string;
  providerId: string;
  resellerId: string | null;
}

export interface Graph {
  operator: { id: string; userId: string; email: string };
  tenants: Record<TenantName, TenantFacts>;
  partnerships: { id: string; providerId: string; resellerId: string; state: 'active' | 'ended' }[];
  relationships: { id: string; partnerId: string; customerId: string; state: 'active' | 'removed' }[];
  grants: { id: string; partnerId: string; organizationId: string; state: 'active' | 'expired' | 'revoked' }[];
  invitations: { id: string; inviterId: string; providerId: string | null; email: string; acceptedById: string | null }[];
  apiKeys: { id: string; organizationId: string; name: string; prefix: string }[];
  webhookEndpoints: { id: string; organizationId: string; url: string }[];
  /** Subscriptions and orders, each with its customer and its provider and reseller of record. */
  subscriptions: CommerceFact[];
  orders: CommerceFact[];
  users: { id: string; organizationId: string; email: string }[];
  /** Loaded from the database by `loadFacts`. */
  audit: AuditFact[];
  /** Delivered mailbox messages, loaded by `loadFacts`. */
  mail: { id: string; to: string }[];
}

export type ListName =
  | 'customers'
  | 'indirect-providers'
  | 'indirect-resellers'
  | 'partners'
  | 'audit-events'
  | 'invitations'
  | 'api-keys'
  | 'webhook-endpoints'
  | 'operator-partners'
  | 'mailbox'
  | 'partner-subscriptions'
  | 'partner-orders'
  | 'delegated-admin-relationships'
  | 'delegated-admin-requests'
  | { sharedWith: string };

/** 200 with exactly these ids, or the status a caller gets instead of a list. */
export type Visible = { status: 200; ids: string[] } | { status: 403 } | { status: 404 };

const holds = (actor: ActorModel, kinds: readonly OrganizationKind[], roles: readonly Role[]) =>
  kinds.includes(actor.kind) && roles.some((r) => actor.roles.includes(r));

/**
 * Who may open a list at all — DESIGN §6's role matrix (default deny). Partner-side lists belong
 * to partner organizations, the customer admin center to customers, the registry to the operator.
 */
function mayOpen(actor: ActorModel, list: ListName): boolean {
  if (typeof list === 'object') return holds(actor, ['partner'], ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent']);
  switch (list) {
    case 'customers':
      return holds(actor, ['partner'], ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent']);
    case 'indirect-providers':
    case 'indirect-resellers':
      return holds(actor, ['partner'], ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin']);
    case 'invitations':
      // Whoever may invite may see and revoke what the organization sent.
      return holds(actor, ['partner'], ['global_admin', 'admin_agent', 'sales_agent']);
    case 'partners':
      return holds(actor, ['customer'], ['global_admin', 'user_admin', 'billing_admin']);
    case 'audit-events':
      return holds(actor, ['operator', 'partner', 'customer'], ['global_admin']);
    case 'api-keys':
      return holds(actor, ['operator', 'partner', 'customer'], ['global_admin']);
    case 'webhook-endpoints':
      return holds(actor, ['operator', 'partner', 'customer'], ['global_admin', 'admin_agent']);
    case 'operator-partners':
      return holds(actor, ['operator'], ['global_admin']);
    case 'mailbox':
      return true;
    case 'partner-subscriptions':
    case 'partner-orders':
      return holds(actor, ['partner'], ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent']);
    case 'delegated-admin-relationships':
    case 'delegated-admin-requests':
      return holds(actor, ['partner', 'customer'], ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'user_admin', 'delegated_admin_approver']);
  }
}

/** The organizations an audit event concerns: the parties of its target, and whoever acted. */
function auditParties(graph: Graph, event: AuditFact): string[] {
  const parties = new Set<string>();
  if (event.actorOrganizationId !== null) parties.add(event.actorOrganizationId);
  const id = event.targetId;
  switch (event.targetType) {
    case 'organization':
      parties.add(id);
      break;
    case 'user': {
      const user = graph.users.find((u) => u.id === id);
      if (user === undefined) throw new Error(`model: unknown user ${id} in ${event.action}`);
      parties.add(user.organizationId);
      break;
    }
    case 'api_key': {
      const key = graph.apiKeys.find((k) => k.id === id);
      if (key === undefined) throw new Error(`model: unknown API key ${id}`);
      parties.add(key.organizationId);
      break;
    }
    case 'webhook_endpoint': {
      const endpoint = graph.webhookEndpoints.find((e) => e.id === id);
      if (endpoint === undefined) throw new Error(`model: unknown webhook endpoint ${id}`);
      parties.add(endpoint.organizationId);
      break;
    }
    case 'partnership': {
      const p = graph.partnerships.find((x) => x.id === id);
      if (p === undefined) throw new Error(`model: unknown partnership ${id}`);
      parties.add(p.providerId).add(p.resellerId);
      break;
    }
    case 'reseller_relationship': {
      const r = graph.relationships.find((x) => x.id === id);
      if (r === undefined) throw new Error(`model: unknown relationship ${id}`);
      parties.add(r.partnerId).add(r.customerId);
      break;
    }
    case 'delegated_admin_grant': {
      const g = graph.grants.find((x) => x.id === id);
      if (g === undefined) throw new Error(`model: unknown grant ${id}`);
      parties.add(g.partnerId).add(g.organizationId);
      break;
    }
    case 'invitation': {
      const i = graph.invitations.find((x) => x.id === id);
      if (i === undefined) throw new Error(`model: unknown invitation ${id}`);
      parties.add(i.inviterId);
      if (i.providerId !== null) parties.add(i.providerId);
      // The invitee's organization becomes a party by accepting, not before.
      if (event.action === 'invitation.accepted' && i.acceptedById !== null) parties.add(i.acceptedById);
      break;
    }
    case 'product':
      // The operator's catalog: the acting organization only.
      break;
    case 'order':
    case 'subscription': {
      const row = (event.targetType === 'order' ? graph.orders : graph.subscriptions).find((x) => x.id === id);
      if (row === undefined) throw new Error(`model: unknown ${event.targetType} ${id}`);
      parties.add(row.customerId).add(row.providerId);
      if (row.resellerId !== null) parties.add(row.resellerId);
      break;
    }
    default:
      throw new Error(`model: no rule for audit target type ${event.targetType} (${event.action})`);
  }
  return [...parties];
}

/**
 * The reference model: which ids `actor` sees in `list`, written from DESIGN §3 item 9 ("connecting
 * with a provider does not give the reseller the provider's customers, nor the provider the
 * reseller's") and §6 (not visible → 404, visible but not allowed → 403), never from the code.
 * A partner sees the customers it has its own active relationship with and the partnerships it is
 * a party of; a customer admin sees every partner with an active relationship or a grant in
 * force; audit events are readable by every party they concern.
 */
export function visibleSet(graph: Graph, actor: ActorModel, list: ListName): Visible {
  if (!mayOpen(actor, list)) return { status: 403 };
  const me = actor.organizationId;
  const customersOf = (partnerId: string) =>
    graph.relationships.filter((r) => r.partnerId === partnerId && r.state === 'active').map((r) => r.customerId);
  const ok = (ids: string[]): Visible => ({ status: 200, ids: [...new Set(ids)].sort() });

  if (typeof list === 'object') {
    const partnered = graph.partnerships.some((p) => p.providerId === list.sharedWith && p.resellerId === me && p.state === 'active');
    if (!partnered) return { status: 404 };
    const theirs = new Set(customersOf(list.sharedWith));
    return ok(customersOf(me).filter((c) => theirs.has(c)));
  }
  switch (list) {
    case 'customers':
      return ok(customersOf(me));
    case 'indirect-providers':
      return ok(graph.partnerships.filter((p) => p.resellerId === me && p.state === 'active').map((p) => p.providerId));
    case 'indirect-resellers':
      return ok(graph.partnerships.filter((p) => p.providerId === me && p.state === 'active').map((p) => p.resellerId));
    case 'partners':
      return ok([
        ...graph.relationships.filter((r) => r.customerId === me && r.state === 'active').map((r) => r.partnerId),
        ...graph.grants.filter((g) => g.organizationId === me && g.state === 'active').map((g) => g.partnerId),
      ]);
    case 'invitations':
      // What the organization sent; a joint provider learns of its invitations from the audit log.
      return ok(graph.invitations.filter((i) => i.inviterId === me).map((i) => i.id));
    case 'api-keys':
      return ok(graph.apiKeys.filter((k) => k.organizationId === me).map((k) => k.id));
    case 'webhook-endpoints':
      return ok(graph.webhookEndpoints.filter((e) => e.organizationId === me).map((e) => e.id));
    case 'audit-events':
      return ok(graph.audit.filter((e) => auditParties(graph, e).includes(me)).map((e) => e.id));
    case 'operator-partners':
      return ok(partnerNames.map((n) => graph.tenants[n].id));
    case 'mailbox':
      // The operator runs the installation and reads every message; a user reads their own.
      if (actor.kind === 'operator' && actor.roles.includes('global_admin')) return ok(graph.mail.map((m) => m.id));
      return ok(actor.email === null ? [] : graph.mail.filter((m) => m.to === actor.email).map((m) => m.id));
    case 'partner-subscriptions':
    case 'partner-orders': {
      // Of record (provider or reseller), while the caller's own relationship with the customer is active.
      const rows = list === 'partner-subscriptions' ? graph.subscriptions : graph.orders;
      const related = new Set(customersOf(me));
      return ok(rows.filter((r) => (r.providerId === me || r.resellerId === me) && related.has(r.customerId)).map((r) => r.id));
    }
    case 'delegated-admin-relationships':
      // Every grant is a relationship its partner and its customer both see, whatever its state
      // (the fixture's all came from accepted invitations, so none is a draft only the partner sees).
      return ok(graph.grants.filter((g) => g.partnerId === me || g.organizationId === me).map((g) => g.id));
    case 'delegated-admin-requests':
      // Nothing in the fixture waits for an approval or a consent.
      return ok([]);
  }
}

/** A caller of the suite: a signed-in admin or an API key, with what the model knows about it. */
export interface Principal {
  label: string;
  tenant: TenantName | 'operator';
  client: Client;
  actor: ActorModel;
}

export interface Fixture {
  graph: Graph;
  operator: Client;
  tenants: Record<TenantName, OrgHandle>;
  /** Every admin session, every API key, the operator. */
  principals: Principal[];
  /** Re-reads the audit and mailbox facts after more requests were made. */
  loadFacts(): Promise<void>;
}

interface AcceptAnswer {
  partnership: { id: string } | null;
  relationships: { id: string; partner: { id: string }; customer: { id: string } }[];
  delegatedAdmin: { id: string; partner: { id: string }; organization: { id: string } }[];
}

/** Builds the whole graph; leaves the clock 25 hours after the last grant was given. */
export async function buildFixture(t: TestContext): Promise<Fixture> {
  const operatorEmail = 'ops@operator.test';
  let operator = await createOperator(t, operatorEmail);
  const tenants = {} as Record<TenantName, OrgHandle>;
  for (const name of providerNames) tenants[name] = await createPartner(t, operator, `${name} Distribution`, 'indirect_provider');
  for (const name of resellerNames) tenants[name] = await createPartner(t, operator, `${name} Reseller`, 'indirect_reseller');
  for (const name of customerNames) tenants[name] = await createCustomer(t, `${name} Customer`);

  const graph: Graph = {
    operator: { id: '', userId: '', email: operatorEmail },
    tenants: {} as Record<TenantName, TenantFacts>,
    partnerships: [],
    relationships: [],
    grants: [],
    invitations: [],
    apiKeys: [],
    webhookEndpoints: [],
    subscriptions: [],
    orders: [],
    users: [],
    audit: [],
    mail: [],
  };

  const recordAccept = (answer: AcceptAnswer) => {
    if (answer.partnership !== null) {
      const accepted = answer.partnership;
      const grant = answer.delegatedAdmin[0];
      if (grant === undefined) throw new Error('a partnership comes with the provider\'s grant');
      graph.partnerships.push({ id: accepted.id, providerId: grant.partner.id, resellerId: grant.organization.id, state: 'active' });
    }
    for (const r of answer.relationships) graph.relationships.push({ id: r.id, partnerId: r.partner.id, customerId: r.customer.id, state: 'active' });
    for (const g of answer.delegatedAdmin) graph.grants.push({ id: g.id, partnerId: g.partner.id, organizationId: g.organization.id, state: 'active' });
  };
  const accept = async (invitee: OrgHandle, issued: Issued) => {
    const answer = expectOk(await invitee.admin.post<AcceptAnswer>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
    recordAccept(answer);
    const invitation = graph.invitations.find((i) => i.id === issued.id);
    if (invitation !== undefined) invitation.acceptedById = invitee.id;
  };
  const connect = async (provider: PartnerName, reseller: PartnerName) => {
    const issued = issuedFrom(expectOk(await tenants[provider].admin.post('/api/v1/reseller-invitations', { email: tenants[reseller].adminEmail }), 201) as never);
    graph.invitations.push({ id: issued.id, inviterId: tenants[provider].id, providerId: null, email: tenants[reseller].adminEmail, acceptedById: null });
    await accept(tenants[reseller], issued);
  };
  const relate = async (partner: PartnerName, customer: CustomerName, options: { provider?: PartnerName; days?: number } = {}) => {
    const providerId = options.provider === undefined ? null : tenants[options.provider].id;
    const body = {
      email: tenants[customer].adminEmail,
      ...(providerId === null ? {} : { indirectProviderId: providerId }),
      ...(options.days === undefined ? {} : { delegatedAdminDays: options.days }),
    };
    const issued = issuedFrom(expectOk(await tenants[partner].admin.post('/api/v1/customer-invitations', body), 201) as never);
    graph.invitations.push({ id: issued.id, inviterId: tenants[partner].id, providerId, email: tenants[customer].adminEmail, acceptedById: null });
    await accept(tenants[customer], issued);
  };

  await connect('P1', 'R1a');
  await connect('P1', 'R1b');
  await connect('P1', 'Rm');
  await connect('P2', 'R2a');
  await connect('P2', 'Rm');
  await relate('R1a', 'C1', { provider: 'P1', days: 30 });
  // Commerce: P1 orders for C1 naming R1a before it steps back (R1a still sees the row, P1 no
  // longer); P2 orders for C5 naming Rm and for itself alone (Rm must not see the latter).
  const skuId = await catalogSku(operator, 'Fixture');
  let orderKeys = 0;
  const order = async (provider: PartnerName, customer: CustomerName, reseller: PartnerName | null) => {
    const placed = expectOk(
      await tenants[provider].admin.post<{ id: string; lines: { subscriptionId: string }[] }>(
        `/api/v1/customers/${tenants[customer].id}/orders`,
        { ...(reseller === null ? {} : { resellerId: tenants[reseller].id }), lines: [{ skuId, quantity: 2, billingCycle: 'monthly' }] },
        { 'idempotency-key': `fixture-order-${(orderKeys += 1)}` },
      ),
      201,
    );
    const fact = { customerId: tenants[customer].id, providerId: tenants[provider].id, resellerId: reseller === null ? null : tenants[reseller].id };
    graph.orders.push({ id: placed.id, ...fact });
    for (const line of placed.lines) graph.subscriptions.push({ id: line.subscriptionId, ...fact });
  };
  await order('P1', 'C1', 'R1a');
  // P1 steps back from C1 but keeps its grant (DESIGN §3 item 8: grants are left unchanged).
  const p1c1 = graph.relationships.find((r) => r.partnerId === tenants.P1.id && r.customerId === tenants.C1.id);
  if (p1c1 === undefined) throw new Error('the joint invitation gave P1 no relationship with C1');
  expectOk(await tenants.P1.admin.post(`/api/v1/customers/${tenants.C1.id}/relationship/remove`, { attestation: true, revokeDelegatedAdmin: false }));
  p1c1.state = 'removed';
  await relate('R1b', 'C2', { days: 1 });
  await relate('R2a', 'C3');
  await relate('Rm', 'C4');
  await relate('Rm', 'C5', { provider: 'P2' });
  await order('P2', 'C5', 'Rm');
  await order('P2', 'C5', null);

  // C3 revokes R2a's admin access (the stand-in for "pending approval", see above).
  const c3grant = graph.grants.find((g) => g.partnerId === tenants.R2a.id && g.organizationId === tenants.C3.id);
  if (c3grant === undefined) throw new Error('R2a holds no grant in C3');
  expectOk(await tenants.C3.admin.delete(`/api/v1/partners/${tenants.R2a.id}/delegated-admin/${c3grant.id}`));
  c3grant.state = 'revoked';

  // One API key per role the admin holds (global_admin + admin_agent).
  const keys: { tenant: PartnerName; role: Role; secret: string }[] = [];
  for (const name of partnerNames) {
    for (const role of ['global_admin', 'admin_agent'] as const) {
      const created = expectOk(
        await tenants[name].admin.post<{ apiKey: { id: string; name: string; prefix: string }; secret: string }>('/api/v1/api-keys', {
          name: `${name} ${role} key`,
          roles: [role],
        }),
        201,
      );
      graph.apiKeys.push({ id: created.apiKey.id, organizationId: tenants[name].id, name: created.apiKey.name, prefix: created.apiKey.prefix });
      keys.push({ tenant: name, role, secret: created.secret });
    }
  }

  // Every tenant subscribes one webhook endpoint (nothing is delivered: the suites only fan out).
  for (const name of tenantNames) {
    const url = `http://127.0.0.1:9/${name.toLowerCase()}-hook`;
    const created = expectOk(await tenants[name].admin.post<{ endpoint: { id: string } }>('/api/v1/webhook-endpoints', { url, eventTypes: [] }), 201);
    graph.webhookEndpoints.push({ id: created.endpoint.id, organizationId: tenants[name].id, url });
  }

  // R1b's one-day grant in C2 lapses; sessions idle out meanwhile, so everyone signs in again.
  t.clock.advance(25 * 60 * 60 * 1000);
  const lapsed = graph.grants.find((g) => g.partnerId === tenants.R1b.id && g.organizationId === tenants.C2.id);
  if (lapsed === undefined) throw new Error('R1b holds no grant in C2');
  lapsed.state = 'expired';
  operator = await signIn(t, operatorEmail, password);
  for (const name of tenantNames) tenants[name].admin = await signIn(t, tenants[name].adminEmail, password);

  const principals: Principal[] = [];
  const me = async (client: Client) => expectOk(await client.get<{ user: { id: string; email: string; roles: Role[] } | null; organization: { id: string } }>('/api/v1/me'));
  const operatorMe = await me(operator);
  if (operatorMe.user === null) throw new Error('the operator session has no user');
  graph.operator = { id: operatorMe.organization.id, userId: operatorMe.user.id, email: operatorEmail };
  graph.users.push({ id: operatorMe.user.id, organizationId: operatorMe.organization.id, email: operatorEmail });
  principals.push({ label: 'operator', tenant: 'operator', client: operator, actor: { organizationId: graph.operator.id, kind: 'operator', roles: operatorMe.user.roles, email: operatorEmail } });

  for (const name of tenantNames) {
    const handle = tenants[name];
    const kind = (customerNames as readonly string[]).includes(name) ? 'customer' : 'partner';
    const mine = await me(handle.admin);
    if (mine.user === null) throw new Error(`${name}'s session has no user`);
    graph.tenants[name] = { id: handle.id, name: handle.name, domain: handle.domain, kind, adminEmail: handle.adminEmail, adminUserId: mine.user.id };
    graph.users.push({ id: mine.user.id, organizationId: handle.id, email: handle.adminEmail });
    principals.push({ label: `${name} admin`, tenant: name, client: handle.admin, actor: { organizationId: handle.id, kind, roles: mine.user.roles, email: handle.adminEmail } });
  }
  for (const key of keys) {
    const client = t.client();
    client.apiKey = key.secret;
    principals.push({ label: `${key.tenant} ${key.role} key`, tenant: key.tenant, client, actor: { organizationId: tenants[key.tenant].id, kind: 'partner', roles: [key.role], email: null } });
  }

  await t.drainOutbox();
  const loadFacts = async () => {
    const events = await queryRows<{ id: string; action: string; target_type: string; target_id: string; actor_organization_id: string | null }>(
      t,
      sql`select id, action, target_type, target_id, actor_organization_id from audit_events`,
    );
    graph.audit = events.map((e) => ({ id: e.id, action: e.action, targetType: e.target_type, targetId: e.target_id, actorOrganizationId: e.actor_organization_id }));
    const mail = await queryRows<{ id: string; to_address: string }>(t, sql`select id, to_address from mailbox_messages`);
    graph.mail = mail.map((m) => ({ id: m.id, to: m.to_address }));
  };
  await loadFacts();
  return { graph, operator, tenants, principals, loadFacts };
}

/** The application's tables (information_schema, so a new table is covered without editing this). */
export async function tableNames(t: TestContext): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    t,
    sql`select table_name from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '%migrations%'
         order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

/**
 * A digest of every row of every table, in one statement (cheap enough to take around every
 * single refused write). Reading with a session or an API key may stamp last_seen_at /
 * last_used_at (that is bookkeeping, not a change the caller made); those two columns are left
 * out, anything else that moves changes the digest. `except` leaves whole tables out.
 */
export async function databaseDigest(t: TestContext, except: readonly string[] = []): Promise<string> {
  const tables = (await tableNames(t)).filter((name) => !except.includes(name));
  const parts = tables.map(
    (table) => sql`select ${table}::text as name, count(*)::int as n,
                          coalesce(md5(string_agg((to_jsonb(x) - 'last_used_at' - 'last_seen_at')::text, E'\n' order by (to_jsonb(x) - 'last_used_at' - 'last_seen_at')::text)), '') as h
                     from ${sql.identifier(table)} x`,
  );
  const rows = await queryRows<{ name: string; n: number; h: string }>(t, sql.join(parts, sql` union all `));
  const hash = createHash('sha256');
  for (const r of [...rows].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`${r.name}:${r.n}:${r.h}\n`);
  return hash.digest('hex');
}

/** Row counts of every table: "nothing was written" means none of these moves. */
export async function rowCounts(t: TestContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tableNames(t)) {
    const [row] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from ${sql.identifier(table)}`);
    counts[table] = row?.n ?? -1;
  }
  return counts;
}

/**
 * Membership ids (MPN-like) for the fixture's partners, as the registry would have given them at
 * enrollment (onboarded partners have none): the compatible API's profile and partner-of-record
 * routes look partners up by them. Only the suites that walk those routes call it.
 */
export async function giveMembershipIds(t: TestContext, f: Fixture): Promise<Record<PartnerName, string>> {
  const ids = Object.fromEntries(partnerNames.map((name, i) => [name, String(4_847_000 + i)])) as Record<PartnerName, string>;
  for (const name of partnerNames) await queryRows(t, sql`update partner_profiles set membership_id = ${ids[name]} where organization_id = ${f.tenants[name].id}`);
  return ids;
}
