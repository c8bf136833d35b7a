import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission, type Program, type Role } from '@tierlink/contract';
import {
  buildFixture,
  customerNames,
  databaseDigest,
  partnerNames,
  providerNames,
  resellerNames,
  tenantNames,
  visibleSet,
  type ActorModel,
  type Fixture,
  type Graph,
  type ListName,
  type Principal,
  type TenantName,
  type Visible,
} from './fixture.ts';
import { iterations, proofSeed, reportFigures, seededRandom } from './crash/proof-profile.ts';
import { createTestContext, type Client, type Reply, type TestContext } from './harness.ts';
import { SchemaTools, type OpenApiDocument } from './openapi-schema.ts';
import { countLeaks } from './proof-counts.ts';

/*
 * ISO-01, ISO-02, ISO-05 over the shared fixture: every caller's lists equal the reference model
 * exactly, and every by-id route answers 404 for what the caller does not see, without revealing
 * or changing anything.
 */

interface ListRoute {
  list: ListName;
  url: string;
  idOf: (item: Record<string, unknown>) => string;
  /** Paged lists are walked page by page with this limit; unpaged ones are read once. */
  limit: number | null;
}

const nested = (key: string) => (item: Record<string, unknown>) => String((item[key] as { id?: unknown } | undefined)?.id);
const own = (item: Record<string, unknown>) => String(item['id']);

const listRoutes: ListRoute[] = [
  { list: 'customers', url: '/api/v1/customers', idOf: own, limit: 2 },
  { list: 'indirect-providers', url: '/api/v1/indirect-providers', idOf: nested('organization'), limit: 1 },
  { list: 'indirect-resellers', url: '/api/v1/indirect-resellers', idOf: nested('organization'), limit: 2 },
  { list: 'partners', url: '/api/v1/partners', idOf: nested('organization'), limit: 1 },
  { list: 'invitations', url: '/api/v1/invitations', idOf: own, limit: 2 },
  { list: 'audit-events', url: '/api/v1/audit-events', idOf: own, limit: 7 },
  { list: 'api-keys', url: '/api/v1/api-keys', idOf: own, limit: null },
  { list: 'webhook-endpoints', url: '/api/v1/webhook-endpoints', idOf: own, limit: null },
  { list: 'operator-partners', url: '/api/v1/operator/partners', idOf: (item) => String(item['organizationId']), limit: 2 },
  { list: 'mailbox', url: '/api/v1/mailbox', idOf: own, limit: 3 },
  { list: 'partner-subscriptions', url: '/api/v1/partner-subscriptions', idOf: own, limit: 1 },
  { list: 'partner-orders', url: '/api/v1/partner-orders', idOf: own, limit: 1 },
  { list: 'delegated-admin-relationships', url: '/api/v1/delegated-admin-relationships', idOf: own, limit: 2 },
  { list: 'delegated-admin-requests', url: '/api/v1/delegated-admin-requests', idOf: nested('relationship'), limit: null },
];

/** Reads a whole list, every page; duplicates across pages are kept so that they show. */
async function readList(client: Client, url: string, idOf: ListRoute['idOf'], limit: number | null): Promise<Visible | { status: number; raw: string }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 500; pages += 1) {
    const query = limit === null ? '' : `?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const reply: Reply<{ items: Record<string, unknown>[]; nextCursor?: string | null }> = await client.get(`${url}${query}`);
    if (reply.status !== 200) {
      if (ids.length > 0) throw new Error(`${url}: page ${pages} answered ${reply.status}`);
      if (reply.status === 403) return { status: 403 };
      if (reply.status === 404) return { status: 404 };
      return { status: reply.status, raw: reply.raw };
    }
    if (limit !== null) expect(reply.body.items.length, `${url} page size`).toBeLessThanOrEqual(limit);
    ids.push(...reply.body.items.map(idOf));
    cursor = reply.body.nextCursor ?? null;
    if (cursor === null) return { status: 200, ids: [...ids].sort() };
  }
  throw new Error(`${url}: more than 500 pages`);
}

const roleHolders = (actor: ActorModel, kinds: ActorModel['kind'][], roles: Role[]) => kinds.includes(actor.kind) && roles.some((r) => actor.roles.includes(r));

/** An object of the fixture for the generated walk: the organizations it concerns, and what an answer must not echo. */
interface WalkObject {
  kind: 'organization' | 'user' | 'grant' | 'invitation' | 'api_key' | 'other';
  id: string;
  parties: string[];
  secrets: string[];
}

interface ByIdCase {
  what: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** Values of the target that a refusal must not echo. */
  secrets: string[];
}

/**
 * Every by-id route with every target the caller must not see (the model decides), or — when the
 * caller's role cannot use the route at all — every target, which must then answer the same 403.
 */
function byIdCases(graph: Graph, actor: ActorModel): { hidden: ByIdCase[]; refused: ByIdCase[] } {
  const me = actor.organizationId;
  const orgs = [...tenantNames.map((n) => graph.tenants[n]), { id: graph.operator.id, name: 'Operator', domain: 'operator.test' }];
  const secretsOf = (id: string) => {
    const org = orgs.find((o) => o.id === id);
    return org === undefined ? [id] : [id, org.name, org.domain];
  };
  const activeRelationship = (partnerId: string, customerId: string) =>
    graph.relationships.some((r) => r.partnerId === partnerId && r.customerId === customerId && r.state === 'active');
  const activePartnership = (providerId: string, resellerId: string) =>
    graph.partnerships.some((p) => p.providerId === providerId && p.resellerId === resellerId && p.state === 'active');
  const liveGrant = (partnerId: string, organizationId: string) =>
    graph.grants.some((g) => g.partnerId === partnerId && g.organizationId === organizationId && g.state === 'active');

  const hidden: ByIdCase[] = [];
  const refused: ByIdCase[] = [];
  const add = (allowed: boolean, visible: boolean, c: ByIdCase) => {
    if (!allowed) refused.push(c);
    else if (!visible) hidden.push(c);
  };
  const readsCustomers = roleHolders(actor, ['partner'], ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent']);
  const removes = roleHolders(actor, ['partner'], ['global_admin', 'admin_agent']);

  for (const org of orgs) {
    const s = secretsOf(org.id);
    const customer = activeRelationship(me, org.id);
    add(readsCustomers, customer, { what: 'read customer', method: 'GET', url: `/api/v1/customers/${org.id}`, secrets: s });
    add(readsCustomers, customer, { what: 'read grants in customer', method: 'GET', url: `/api/v1/customers/${org.id}/delegated-admin`, secrets: s });
    add(removes, customer, {
      what: 'remove relationship',
      method: 'POST',
      url: `/api/v1/customers/${org.id}/relationship/remove`,
      body: { attestation: true, revokeDelegatedAdmin: true },
      secrets: s,
    });
    add(removes, activePartnership(org.id, me), { what: 'end partnership with provider', method: 'DELETE', url: `/api/v1/indirect-providers/${org.id}`, secrets: s });
    add(removes, activePartnership(me, org.id), { what: 'end partnership with reseller', method: 'DELETE', url: `/api/v1/indirect-resellers/${org.id}`, secrets: s });
    add(removes, activePartnership(org.id, me) || liveGrant(org.id, me), {
      what: 'remove provider admin',
      method: 'DELETE',
      url: `/api/v1/indirect-providers/${org.id}/delegated-admin`,
      secrets: s,
    });
    add(readsCustomers, activePartnership(org.id, me), { what: 'shared customers', method: 'GET', url: `/api/v1/indirect-providers/${org.id}/customers`, secrets: s });
    // Offboarding: the plan and the offboard need the relationship they end (a partnership either way, or the customer of record).
    for (const [path, related] of [
      [`/api/v1/indirect-resellers/${org.id}`, activePartnership(me, org.id)],
      [`/api/v1/indirect-providers/${org.id}`, activePartnership(org.id, me)],
      [`/api/v1/customers/${org.id}`, customer],
    ] as const) {
      add(roleHolders(actor, ['partner'], ['global_admin', 'admin_agent']), related, { what: 'offboarding plan', method: 'GET', url: `${path}/offboarding-plan`, secrets: s });
      add(roleHolders(actor, ['partner'], ['global_admin']), related, {
        what: 'offboard',
        method: 'POST',
        url: `${path}/offboard`,
        body: { attestation: { attest: true, reason: 'isolation' } },
        secrets: s,
      });
    }
    // Access tracing: the pair must be related (of record, or a relationship in force), from either side.
    add(readsCustomers, customer || liveGrant(me, org.id), { what: 'trace access in customer', method: 'GET', url: `/api/v1/customers/${org.id}/access`, secrets: s });
    add(roleHolders(actor, ['customer'], ['global_admin', 'user_admin', 'billing_admin']), activeRelationship(org.id, me) || liveGrant(org.id, me), {
      what: 'trace a partner\'s access',
      method: 'GET',
      url: `/api/v1/partners/${org.id}/access`,
      secrets: s,
    });
  }

  // Grants addressed through their own customer/partner, and swapped into one the caller does see.
  const myCustomers = graph.relationships.filter((r) => r.partnerId === me && r.state === 'active').map((r) => r.customerId);
  const myPartners = graph.grants.filter((g) => g.organizationId === me).map((g) => g.partnerId);
  const revokesOwnAsCustomer = roleHolders(actor, ['customer'], ['global_admin']);
  for (const g of graph.grants) {
    const s = [g.id, ...secretsOf(g.partnerId), ...secretsOf(g.organizationId)];
    for (const customerId of new Set([g.organizationId, ...myCustomers])) {
      add(removes, g.partnerId === me && g.organizationId === customerId, {
        what: 'partner revokes grant',
        method: 'DELETE',
        url: `/api/v1/customers/${customerId}/delegated-admin/${g.id}`,
        secrets: s,
      });
    }
    for (const partnerId of new Set([g.partnerId, ...myPartners])) {
      add(revokesOwnAsCustomer, g.organizationId === me && g.partnerId === partnerId, {
        what: 'customer revokes grant',
        method: 'DELETE',
        url: `/api/v1/partners/${partnerId}/delegated-admin/${g.id}`,
        secrets: s,
      });
    }
  }
  // The same grants as relationships of the native API: a non-party gets 404 whatever it sends.
  const readsRelationships = roleHolders(actor, ['partner', 'customer'], ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'user_admin', 'delegated_admin_approver']);
  const requestsRelationships = roleHolders(actor, ['partner'], ['global_admin', 'admin_agent']);
  const actsOnRelationships = roleHolders(actor, ['partner', 'customer'], ['global_admin', 'admin_agent', 'delegated_admin_approver']);
  const approvesAmendments = roleHolders(actor, ['customer'], ['global_admin', 'delegated_admin_approver']);
  for (const g of graph.grants) {
    const party = g.partnerId === me || g.organizationId === me;
    const s = [g.id, ...secretsOf(g.partnerId), ...secretsOf(g.organizationId)];
    const url = `/api/v1/delegated-admin-relationships/${g.id}`;
    add(readsRelationships, party, { what: 'read relationship', method: 'GET', url, secrets: s });
    add(requestsRelationships, party, { what: 'change relationship', method: 'PATCH', url, body: { displayName: 'Taken over' }, secrets: s });
    add(requestsRelationships, party, { what: 'delete relationship', method: 'DELETE', url, secrets: s });
    add(actsOnRelationships, party, { what: 'terminate relationship', method: 'POST', url: `${url}/requests`, body: { action: 'terminate' }, secrets: s });
    add(requestsRelationships, party, { what: 'amend relationship', method: 'POST', url: `${url}/amendments`, body: { duration: 'P30D' }, secrets: s });
    add(approvesAmendments, party, { what: 'approve amendment', method: 'POST', url: `${url}/amendments/${randomUUID()}/approve`, secrets: s });
  }
  const invites = roleHolders(actor, ['partner'], ['global_admin', 'admin_agent', 'sales_agent']);
  for (const i of graph.invitations) {
    add(invites, i.inviterId === me, { what: 'revoke invitation', method: 'POST', url: `/api/v1/invitations/${i.id}/revoke`, secrets: [i.id, i.email] });
  }
  const managesKeys = roleHolders(actor, ['operator', 'partner', 'customer'], ['global_admin']);
  for (const k of graph.apiKeys) {
    add(managesKeys, k.organizationId === me, { what: 'revoke API key', method: 'DELETE', url: `/api/v1/api-keys/${k.id}`, secrets: [k.id, k.name, k.prefix] });
  }
  const managesWebhooks = roleHolders(actor, ['operator', 'partner', 'customer'], ['global_admin', 'admin_agent']);
  for (const e of graph.webhookEndpoints) {
    const mine = e.organizationId === me;
    const s = [e.id, e.url];
    add(managesWebhooks, mine, { what: 'read webhook endpoint', method: 'GET', url: `/api/v1/webhook-endpoints/${e.id}`, secrets: s });
    add(managesWebhooks, mine, { what: 'webhook delivery log', method: 'GET', url: `/api/v1/webhook-endpoints/${e.id}/deliveries`, secrets: s });
    add(managesWebhooks, mine, { what: 'change webhook endpoint', method: 'PATCH', url: `/api/v1/webhook-endpoints/${e.id}`, body: { description: 'taken over' }, secrets: s });
    add(managesWebhooks, mine, { what: 'rotate webhook secret', method: 'POST', url: `/api/v1/webhook-endpoints/${e.id}/rotate-secret`, secrets: s });
    add(managesWebhooks, mine, { what: 'test webhook endpoint', method: 'POST', url: `/api/v1/webhook-endpoints/${e.id}/test`, secrets: s });
    add(managesWebhooks, mine, { what: 'delete webhook endpoint', method: 'DELETE', url: `/api/v1/webhook-endpoints/${e.id}`, secrets: s });
  }
  return { hidden, refused };
}

describe('ISO-01/02/05: every caller sees exactly its part of the shared fixture', () => {
  let t: TestContext;
  let f: Fixture;
  let nameOf: (id: string) => string;

  beforeAll(async () => {
    t = await createTestContext();
    f = await buildFixture(t);
    const names = new Map<string, string>([[f.graph.operator.id, 'operator'], ...tenantNames.map((n) => [f.graph.tenants[n].id, n] as [string, string])]);
    nameOf = (id) => names.get(id) ?? id;
  }, 180_000);
  afterAll(() => t.close());
  /** A list answer for a message: the names of its ids, or its status (and the start of its body). */
  const show = (v: Visible | { status: number; raw: string }): string => {
    if (v.status !== 200 || !('ids' in v)) return `${v.status}${'raw' in v ? ` ${v.raw.slice(0, 200)}` : ''}`;
    return `[${v.ids.map(nameOf).join(', ')}]`;
  };

  it('ISO-02: every list of every caller equals the model, over all pages', async () => {
    await f.loadFacts();
    const problems: string[] = [];
    let compared = 0;
    let leaks = 0;
    for (const principal of f.principals) {
      for (const route of listRoutes) {
        const expected = visibleSet(f.graph, principal.actor, route.list);
        const actual = await readList(principal.client, route.url, route.idOf, route.limit);
        compared += expected.status === 200 ? expected.ids.length : 0;
        // A leak: an id the caller got that the model does not give it.
        const allowed = new Set(expected.status === 200 ? expected.ids : []);
        leaks += 'ids' in actual ? actual.ids.filter((id) => !allowed.has(id)).length : 0;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          problems.push(`${principal.label} ${route.url}: expected ${show(expected)}, got ${show(actual)}`);
        }
      }
    }
    countLeaks(leaks);
    reportFigures('ISO-02', { callers: f.principals.length, lists: listRoutes.length, idsCompared: compared, leaks, problems: problems.length });
    expect(problems).toEqual([]);
    // The fixture is not vacuous: the lists hold plenty of rows between them.
    expect(compared).toBeGreaterThan(200);
  });

  it('ISO-02: the compatible API\'s lists (Partner Center and Graph) equal the model for every API key, over all pages', async () => {
    const problems: string[] = [];
    let compared = 0;
    let leaks = 0;
    let lists = 0;
    const keyHolders = f.principals.filter((p) => p.label.endsWith(' key'));
    type Answer = Visible | { status: number; raw: string };
    /** Reads a facade list page by page: `next` names the following request, or null after the last page. */
    const readFacade = async (
      client: Client,
      first: string,
      itemsOf: (body: Record<string, unknown>) => Record<string, unknown>[],
      next: (body: Record<string, unknown>) => { url: string; headers: Record<string, string> } | null,
    ): Promise<Answer> => {
      const ids: string[] = [];
      let request: { url: string; headers: Record<string, string> } | null = { url: first, headers: {} };
      for (let pages = 0; request !== null; pages += 1) {
        if (pages >= 500) throw new Error(`${first}: more than 500 pages`);
        const reply: Reply<Record<string, unknown>> = await client.get(request.url, request.headers);
        if (reply.status !== 200) {
          if (ids.length > 0) throw new Error(`${first}: page ${pages} answered ${reply.status}`);
          if (reply.status === 403) return { status: 403 };
          if (reply.status === 404) return { status: 404 };
          return { status: reply.status, raw: reply.raw };
        }
        ids.push(...itemsOf(reply.body).map(own));
        request = next(reply.body);
      }
      return { status: 200, ids: [...ids].sort() };
    };
    const pcItems = (body: Record<string, unknown>) => body['items'] as Record<string, unknown>[];
    const once = () => null;
    // Partner Center pages on with seekOperation=Next and the token in MS-ContinuationToken.
    const pcNext = (url: string) => (body: Record<string, unknown>) =>
      typeof body['continuationToken'] === 'string' ? { url: `${url}&seekOperation=Next`, headers: { 'ms-continuationtoken': body['continuationToken'] } } : null;
    // Graph pages on by its absolute @odata.nextLink.
    const graphNext = (body: Record<string, unknown>) => {
      const link = body['@odata.nextLink'];
      if (typeof link !== 'string') return null;
      const u = new URL(link);
      return { url: `${u.pathname}${u.search}`, headers: {} };
    };
    const compare = (label: string, expected: Answer, actual: Answer) => {
      lists += 1;
      compared += 'ids' in expected ? expected.ids.length : 0;
      const allowed = new Set('ids' in expected ? expected.ids : []);
      leaks += 'ids' in actual ? actual.ids.filter((id) => !allowed.has(id)).length : 0;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${label}: expected ${show(expected)}, got ${show(actual)}`);
    };
    for (const principal of keyHolders) {
      const { client, actor } = principal;
      compare(`${principal.label} /v1/customers`, visibleSet(f.graph, actor, 'customers'), await readFacade(client, '/v1/customers?size=2', pcItems, pcNext('/v1/customers?size=2')));
      // IsIndirectResellerOf: the caller's indirect providers; IsIndirectCloudSolutionProviderOf: its indirect resellers.
      for (const [type, list] of [['IsIndirectResellerOf', 'indirect-providers'], ['IsIndirectCloudSolutionProviderOf', 'indirect-resellers']] as const) {
        compare(`${principal.label} /v1/relationships ${type}`, visibleSet(f.graph, actor, list), await readFacade(client, `/v1/relationships?relationship_type=${type}`, pcItems, once));
      }
      compare(
        `${principal.label} Graph delegatedAdminRelationships`,
        visibleSet(f.graph, actor, 'delegated-admin-relationships'),
        await readFacade(client, '/v1.0/tenantRelationships/delegatedAdminRelationships?$top=2', (body) => body['value'] as Record<string, unknown>[], graphNext),
      );
      // Per customer the caller serves: the model has no per-customer entry, the native lists are
      // checked against it above, so the facade must equal the native list of the same caller.
      const served = visibleSet(f.graph, actor, 'customers');
      for (const customerId of 'ids' in served ? served.ids : []) {
        for (const what of ['subscriptions', 'orders', 'users'] as const) {
          const native = await readList(client, `/api/v1/customers/${customerId}/${what}`, own, null);
          compare(`${principal.label} /v1/customers/${nameOf(customerId)}/${what}`, native, await readFacade(client, `/v1/customers/${customerId}/${what}`, pcItems, once));
        }
      }
    }
    countLeaks(leaks);
    reportFigures('ISO-02 compatible API', { callers: keyHolders.length, lists, idsCompared: compared, leaks, problems: problems.length });
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(50);
  });

  it('ISO-02: every dashboard figure equals the list behind it; other kinds answer 403', async () => {
    await f.loadFacts();
    const problems: string[] = [];
    const size = (actor: ActorModel, list: ListName) => {
      const v = visibleSet(f.graph, actor, list);
      return v.status === 200 ? v.ids.length : null;
    };
    for (const principal of f.principals) {
      const { actor } = principal;
      const tenant: string = principal.tenant;
      const approvedPrograms: Program[] = (providerNames as readonly string[]).includes(tenant)
        ? ['indirect_provider']
        : (resellerNames as readonly string[]).includes(tenant)
          ? ['indirect_reseller']
          : [];
      for (const kind of ['provider', 'reseller', 'customer', 'operator'] as const) {
        const allowed = hasPermission({ roles: actor.roles, organizationKind: actor.kind, approvedPrograms }, `dashboard.${kind}`);
        const reply: Reply<Record<string, unknown>> = await principal.client.get(`/api/v1/dashboards/${kind}`);
        if (reply.status !== (allowed ? 200 : 403)) {
          problems.push(`${principal.label} ${kind}: expected ${allowed ? 200 : 403}, got ${reply.status}`);
          continue;
        }
        if (!allowed) continue;
        const b = reply.body;
        const items = (v: unknown) => (v as { items: unknown[] }).items.length;
        // Counts are exact at the fixture's size; null when the caller may not list customers.
        const countOf = (v: unknown) => (v === null ? null : (v as { value: number }).value);
        const [expected, actual] =
          kind === 'provider'
            ? [{ resellers: size(actor, 'indirect-resellers'), customers: size(actor, 'customers') }, { resellers: b['resellers'], customers: countOf(b['customers']) }]
            : kind === 'reseller'
              ? [{ customers: size(actor, 'customers') }, { customers: countOf(b['customers']) }]
              : kind === 'customer'
                ? [{ partners: size(actor, 'partners') }, { partners: items(b['partners']) }]
                : [{ partnersByProgram: size(actor, 'operator-partners') }, { partnersByProgram: (b['partnersByProgram'] as { partners: number }[]).reduce((n, r) => n + r.partners, 0) }];
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          problems.push(`${principal.label} ${kind}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        }
        // No organization the caller's lists do not show is named.
        const named = JSON.stringify(b);
        const mine = new Set([actor.organizationId, ...(['customers', 'indirect-providers', 'indirect-resellers', 'partners'] as const).flatMap((l) => { const v = visibleSet(f.graph, actor, l); return v.status === 200 ? v.ids : []; })]);
        for (const name of tenantNames) {
          const id = f.graph.tenants[name].id;
          if (named.includes(id) && !mine.has(id)) problems.push(`${principal.label} ${kind}: names ${name}, which its lists do not show`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('ISO-02: shared customers per provider id equal the model (404 where there is no partnership)', async () => {
    const problems: string[] = [];
    const targets = [...providerNames, 'R1a', 'C1'] as const;
    for (const principal of f.principals) {
      for (const target of targets) {
        const id = f.graph.tenants[target].id;
        const expected = visibleSet(f.graph, principal.actor, { sharedWith: id });
        const actual = await readList(principal.client, `/api/v1/indirect-providers/${id}/customers`, own, 1);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          problems.push(`${principal.label} shared with ${target}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('ISO-02: every CSV export of every caller holds exactly the rows of its list (404 where the list is)', async () => {
    await f.loadFacts();
    const problems: string[] = [];
    const exports: { list: ListName; url: string }[] = [
      { list: 'customers', url: '/api/v1/customers/export' },
      { list: 'indirect-providers', url: '/api/v1/indirect-providers/export' },
      { list: 'indirect-resellers', url: '/api/v1/indirect-resellers/export' },
      { list: 'invitations', url: '/api/v1/invitations/export' },
      { list: 'partner-subscriptions', url: '/api/v1/partner-subscriptions/export' },
      { list: 'partner-orders', url: '/api/v1/partner-orders/export' },
      { list: 'partners', url: '/api/v1/partners/export' },
      { list: 'operator-partners', url: '/api/v1/operator/partners/export' },
      ...([...providerNames, 'R1a'] as const).map((target) => {
        const id = f.graph.tenants[target].id;
        return { list: { sharedWith: id }, url: `/api/v1/indirect-providers/${id}/customers/export` };
      }),
    ];
    for (const principal of f.principals) {
      for (const { list, url } of exports) {
        const expected = visibleSet(f.graph, principal.actor, list);
        const reply = await principal.client.get(url);
        // Each export's first column is the id of the row's object, as its list's items carry it.
        const actual = reply.status === 200 ? { status: 200, ids: (parse(reply.raw) as string[][]).slice(1).map((row) => row[0] ?? '').sort() } : { status: reply.status };
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          problems.push(`${principal.label} ${url}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)} ${reply.status === 200 ? '' : reply.raw.slice(0, 200)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('ISO-02: injected scope parameters are refused with 400, not obeyed or ignored', async () => {
    const foreign = f.graph.tenants.C3.id;
    const opener = (list: ListName): Principal => {
      const found = f.principals.find((p) => visibleSet(f.graph, p.actor, list).status === 200);
      if (found === undefined) throw new Error(`nobody may open ${JSON.stringify(list)}`);
      return found;
    };
    const routes = [
      ...listRoutes.map((r) => ({ list: r.list, url: r.url })),
      { list: { sharedWith: f.graph.tenants.P1.id }, url: `/api/v1/indirect-providers/${f.graph.tenants.P1.id}/customers` },
    ];
    // The partner-wide commerce lists take customerId, and the relationships list organizationId (the
    // other party), as a filter inside the caller's scope: another tenant's id there is an empty list, never its rows.
    const filters = new Set(['/api/v1/partner-subscriptions customerId', '/api/v1/partner-orders customerId', '/api/v1/delegated-admin-relationships organizationId']);
    for (const route of routes) {
      const principal = opener(route.list);
      for (const param of ['organizationId', 'partnerId', 'customerId', 'resellerId', 'providerId', 'tenantId']) {
        if (filters.has(`${route.url} ${param}`)) {
          const filtered = await principal.client.get<{ items: unknown[] }>(`${route.url}?${param}=${foreign}`);
          expect([filtered.status, filtered.body.items], `${principal.label} ${route.url}?${param}`).toEqual([200, []]);
          continue;
        }
        const reply = await principal.client.get<{ code: string; field: string }>(`${route.url}?${param}=${foreign}`);
        expect([reply.status, reply.body.code, reply.body.field], `${principal.label} ${route.url}?${param}`).toEqual([400, 'validation_failed', param]);
        expect(reply.raw).not.toContain(f.graph.tenants.C3.name);
      }
    }
  });

  it('ISO-01: every by-id route answers 404 for what the caller does not see, reveals nothing, and no refused write changes the database', async () => {
    const problems: string[] = [];
    let hiddenCount = 0;
    let refusedCount = 0;
    let writes = 0;
    let leaks = 0;
    // Every admin, every customer admin, the operator, and one tenant's keys for the API-key path.
    const callers = f.principals.filter((p) => !p.label.endsWith('key') || p.tenant === 'R1a');
    let digest = await databaseDigest(t);
    for (const principal of callers) {
      const { hidden, refused } = byIdCases(f.graph, principal.actor);
      hiddenCount += hidden.length;
      refusedCount += refused.length;
      for (const [expected, cases] of [[404, hidden], [403, refused]] as const) {
        for (const c of cases) {
          const reply = await principal.client.request<{ code?: string }>(c.method, c.url, c.body);
          const leaked = c.secrets.filter((s) => reply.raw.toLowerCase().includes(s.toLowerCase()));
          leaks += leaked.length;
          if (reply.status !== expected || leaked.length > 0) {
            problems.push(`${principal.label} ${c.what} ${c.method} ${c.url}: ${reply.status} ${leaked.length > 0 ? `leaks ${leaked.join(', ')}` : reply.raw.slice(0, 160)}`);
          }
          if (expected === 403 && reply.body.code !== 'forbidden') problems.push(`${principal.label} ${c.url}: 403 with code ${String(reply.body.code)}`);
          // Every refused write, one by one: every table keeps exactly its rows (the product writes
          // nothing on a refusal, no audit event either; only last_seen_at/last_used_at may move).
          if (c.method !== 'GET') {
            writes += 1;
            const after = await databaseDigest(t);
            if (after !== digest) problems.push(`${principal.label} ${c.what} ${c.method} ${c.url}: the database changed`);
            digest = after;
          }
        }
      }
    }
    countLeaks(leaks);
    reportFigures('ISO-01', { callers: callers.length, hidden: hiddenCount, refused: refusedCount, refusedWritesDigested: writes, leaks, problems: problems.length });
    expect(problems).toEqual([]);
    expect(hiddenCount).toBeGreaterThan(500);
    expect(refusedCount).toBeGreaterThan(100);
    expect(writes).toBeGreaterThan(300);
  }, 300_000);

  it('ISO-01, generated from the OpenAPI document: for every route with a path id, a foreign object answers exactly as a non-existent one, reveals nothing, and no refused write changes the database', async () => {
    const document = (await f.operator.get<OpenApiDocument>('/api/openapi.json')).body;
    const tools = new SchemaTools(document);
    const random = seededRandom(proofSeed);
    const g = f.graph;
    const orgSecrets = (id: string): string[] => {
      const tenant = tenantNames.map((n) => g.tenants[n]).find((x) => x.id === id);
      return tenant === undefined ? [id] : [id, tenant.name, tenant.domain, tenant.adminEmail];
    };
    // Every object of the fixture, the organizations it concerns, and what an answer must not echo.
    const objects: WalkObject[] = [
      ...tenantNames.map((n) => ({ kind: 'organization' as const, id: g.tenants[n].id, parties: [g.tenants[n].id], secrets: orgSecrets(g.tenants[n].id) })),
      ...g.users.map((u) => ({ kind: 'user' as const, id: u.id, parties: [u.organizationId], secrets: [u.id, u.email] })),
      ...g.grants.map((x) => ({ kind: 'grant' as const, id: x.id, parties: [x.partnerId, x.organizationId], secrets: [x.id] })),
      ...g.invitations.map((x) => ({
        kind: 'invitation' as const,
        id: x.id,
        parties: [x.inviterId, ...(x.providerId === null ? [] : [x.providerId]), ...(x.acceptedById === null ? [] : [x.acceptedById])],
        secrets: [x.id, x.email],
      })),
      ...g.apiKeys.map((k) => ({ kind: 'api_key' as const, id: k.id, parties: [k.organizationId], secrets: [k.id, k.name, k.prefix] })),
      ...g.partnerships.map((p) => ({ kind: 'other' as const, id: p.id, parties: [p.providerId, p.resellerId], secrets: [p.id] })),
      ...g.relationships.map((r) => ({ kind: 'other' as const, id: r.id, parties: [r.partnerId, r.customerId], secrets: [r.id] })),
    ];
    const edges: string[][] = [
      ...g.partnerships.map((p) => [p.providerId, p.resellerId]),
      ...g.relationships.map((r) => [r.partnerId, r.customerId]),
      ...g.grants.map((x) => [x.partnerId, x.organizationId]),
      ...g.invitations.map((x) => [x.inviterId, ...(x.providerId === null ? [] : [x.providerId]), ...(x.acceptedById === null ? [] : [x.acceptedById])]),
    ];
    const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([m, operation]) => {
        const method = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).find((x) => x === m.toUpperCase());
        const params = [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1] ?? '');
        // Signing out takes no id; a route without an id is ISO-02's (lists) business.
        if (method === undefined || params.length === 0) return [];
        const schema = operation.requestBody?.content['application/json']?.schema;
        // One schema-valid body per write, the same for the foreign and the non-existent id, so that
        // validation lets both through and the use case alone decides.
        const body = schema === undefined ? undefined : fc.sample(tools.valid(schema), { numRuns: 1, seed: proofSeed })[0];
        return [{ key: `${method} ${path}`, method, path, params, body }];
      }),
    );
    const perCaller = iterations(3, 1000);
    const callers = f.principals.filter((p) => !p.label.endsWith('key') || p.tenant === 'R1a');
    // The compatible API reads no session: its routes are walked by every partner's two API keys,
    // with the fixture's subscriptions and orders among the objects (its paths address them).
    const facade = (path: string) => path.startsWith('/v1/') || path.startsWith('/v1.0/');
    const keyHolders = f.principals.filter((p) => p.label.endsWith(' key'));
    const commerce: WalkObject[] = [...g.subscriptions, ...g.orders].map((x) => ({
      kind: 'other' as const,
      id: x.id,
      parties: [x.customerId, x.providerId, ...(x.resellerId === null ? [] : [x.resellerId])],
      secrets: [x.id],
    }));
    // The error an answer carries: native `code`, Partner Center's `code`, Graph's `error.code`,
    // and the native code the facades repeat in Tierlink-Error-Code.
    const answerOf = (reply: Reply<{ code?: unknown; error?: { code?: unknown } } | null>) =>
      `${reply.status} ${String(reply.body?.code ?? reply.body?.error?.code ?? '')} ${String(reply.headers['tierlink-error-code'] ?? '')}`;
    let facadeRequests = 0;
    let facadeThrottled = 0;
    const problems: string[] = [];
    let requests = 0;
    let writes = 0;
    let leaks = 0;
    let throttled = 0;
    // A refused guess of a token or code is counted (sign_in_throttles and guess_failures, the
    // throttles' own bookkeeping); those tables are left out here, every other one must keep exactly its rows.
    const bookkeeping = ['sign_in_throttles', 'guess_failures'];
    let digest = await databaseDigest(t, bookkeeping);
    const send = async (principal: Principal, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body: unknown) => {
      const reply = await principal.client.request<{ code?: unknown; error?: { code?: unknown } } | null>(method, url, body);
      requests += 1;
      if (facade(url)) facadeRequests += 1;
      if (method !== 'GET') {
        writes += 1;
        const after = await databaseDigest(t, bookkeeping);
        if (after !== digest) problems.push(`${principal.label} ${method} ${url}: the database changed`);
        digest = after;
      }
      return reply;
    };
    for (const op of operations) {
      for (const principal of facade(op.path) ? keyHolders : callers) {
        const me = principal.actor.organizationId;
        // Foreign: nothing of it concerns the caller's organization or any organization the caller
        // has ever been linked with (partnership, relationship, grant, invitation, in any state).
        const linked = new Set([me, ...edges.filter((e) => e.includes(me)).flat()]);
        const foreign = (facade(op.path) ? [...objects, ...commerce] : objects).filter((o) => o.parties.every((p) => !linked.has(p)));
        const fill = (ids: string[]) => op.path.replaceAll(/\{[^}]+\}/g, () => ids.shift() ?? randomUUID());
        // The answer for ids that exist nowhere: what a foreign one must be indistinguishable from.
        const baseline = await send(principal, op.method, fill(op.params.map(() => randomUUID())), op.body);
        const expected = answerOf(baseline);
        if (baseline.status >= 200 && baseline.status < 300) problems.push(`${principal.label} ${op.key}: ${baseline.status} for ids that do not exist`);
        const picks = new Set<number>();
        const wanted = Math.min(perCaller, foreign.length);
        while (picks.size < wanted) picks.add(random.int(0, foreign.length - 1));
        for (const pick of picks) {
          const target = foreign[pick];
          if (target === undefined) continue;
          // The foreign object in each position in turn, non-existent ids elsewhere.
          for (let position = 0; position < op.params.length; position += 1) {
            const ids = op.params.map((_, i) => (i === position ? target.id : randomUUID()));
            const url = fill(ids);
            const reply = await send(principal, op.method, url, op.body);
            const leaked = target.secrets.filter((s) => reply.raw.toLowerCase().includes(s.toLowerCase()));
            leaks += leaked.length;
            const got = answerOf(reply);
            // Too many wrong guesses from one address answer 429 whatever the id: that reveals nothing.
            if (reply.status === 429) throttled += 1;
            if (reply.status === 429 && facade(url)) facadeThrottled += 1;
            if ((got !== expected && reply.status !== 429) || leaked.length > 0) {
              problems.push(`${principal.label} ${op.key} with ${target.kind} ${nameOf(target.id)} in {${op.params[position] ?? ''}}: ${got}, a non-existent id gets ${expected}${leaked.length > 0 ? `; leaks ${leaked.join(', ')}` : ''}`);
            }
          }
        }
      }
    }
    countLeaks(leaks);
    reportFigures('ISO-01 generated', {
      routes: operations.length,
      compatibleApiRoutes: operations.filter((op) => facade(op.path)).length,
      callers: callers.length,
      compatibleApiCallers: keyHolders.length,
      requests,
      compatibleApiRequests: facadeRequests,
      compatibleApiThrottled: facadeThrottled,
      refusedWritesDigested: writes,
      throttled,
      leaks,
      problems: problems.length,
    });
    expect(problems).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(30);
    expect(writes).toBeGreaterThan(500);
    expect(facadeRequests).toBeGreaterThan(500);
  }, 600_000);

  it('the fixture\'s keys are all there is: only global admins mint keys, an admin agent\'s key cannot', async () => {
    const before = await databaseDigest(t);
    for (const name of partnerNames) {
      const agentKey = f.principals.find((p) => p.label === `${name} admin_agent key`);
      if (agentKey === undefined) throw new Error(`${name} has no admin_agent key`);
      for (const role of ['sales_agent', 'helpdesk_agent', 'billing_admin', 'user_admin', 'global_admin'] as const) {
        const reply = await agentKey.client.post<{ code: string }>('/api/v1/api-keys', { name: `${name} ${role}`, roles: [role] });
        expect([reply.status, reply.body.code], `${name} ${role}`).toEqual([403, 'forbidden']);
      }
    }
    expect(await databaseDigest(t)).toBe(before);
  });

  describe('ISO-05: the hierarchy edges', () => {
    const ids = (v: Visible) => (v.status === 200 ? v.ids : []);
    const get = async (who: TenantName, url: string) => (await f.tenants[who].admin.get(url)).status;
    const actorOf = (name: TenantName) => {
      const p = f.principals.find((x) => x.label === `${name} admin`);
      if (p === undefined) throw new Error(name);
      return p.actor;
    };
    const customers = (who: TenantName) => ids(visibleSet(f.graph, actorOf(who), 'customers')).map(nameOf).sort();

    it('siblings under one provider do not see each other\'s customers (R1a → C2, R1b → C1)', async () => {
      expect(customers('R1a')).toEqual(['C1']);
      expect(customers('R1b')).toEqual(['C2']);
      expect(await get('R1a', `/api/v1/customers/${f.graph.tenants.C2.id}`)).toBe(404);
      expect(await get('R1b', `/api/v1/customers/${f.graph.tenants.C1.id}`)).toBe(404);
      expect(await get('R1a', `/api/v1/customers/${f.graph.tenants.C1.id}`)).toBe(200);
    });

    it('cousins under another provider are out of reach (R1a → C3)', async () => {
      expect(customers('R2a')).toEqual(['C3']);
      expect(await get('R1a', `/api/v1/customers/${f.graph.tenants.C3.id}`)).toBe(404);
      expect(await get('R1a', `/api/v1/customers/${f.graph.tenants.C3.id}/delegated-admin`)).toBe(404);
    });

    it('the reseller with two providers sees C4 and C5; P1 sees neither, P2 only the C5 it joined', async () => {
      expect(customers('Rm')).toEqual(['C4', 'C5']);
      expect(customers('P1')).toEqual([]);
      expect(customers('P2')).toEqual(['C5']);
      for (const c of ['C4', 'C5'] as const) expect(await get('Rm', `/api/v1/customers/${f.graph.tenants[c].id}`)).toBe(200);
      expect(await get('P1', `/api/v1/customers/${f.graph.tenants.C5.id}`)).toBe(404);
      expect(await get('P1', `/api/v1/customers/${f.graph.tenants.C4.id}`)).toBe(404);
      expect(await get('P2', `/api/v1/customers/${f.graph.tenants.C5.id}`)).toBe(200);
      expect(await get('P2', `/api/v1/customers/${f.graph.tenants.C4.id}`)).toBe(404);
      const shared = (provider: 'P1' | 'P2') => ids(visibleSet(f.graph, actorOf('Rm'), { sharedWith: f.graph.tenants[provider].id })).map(nameOf);
      expect(shared('P2')).toEqual(['C5']);
      expect(shared('P1')).toEqual([]);
    });

    it('a provider does not see its resellers\' customers without a relationship of its own (P1 → C1)', async () => {
      expect(await get('P1', `/api/v1/customers/${f.graph.tenants.C1.id}`)).toBe(404);
      expect(await get('P1', `/api/v1/customers/${f.graph.tenants.C1.id}/delegated-admin`)).toBe(404);
      for (const c of customerNames) expect(customers('P1')).not.toContain(c);
    });

    it('a provider that removed its relationship loses the customer; the customer still sees its grant (P1 / C1)', async () => {
      const c1 = f.graph.tenants.C1.id;
      expect(await get('P1', `/api/v1/customers/${c1}`)).toBe(404);
      expect(await get('P1', `/api/v1/customers/${c1}/delegated-admin`)).toBe(404);
      const partners = ids(visibleSet(f.graph, actorOf('C1'), 'partners')).map(nameOf).sort();
      expect(partners).toEqual(['P1', 'R1a']);
      const listed = await f.tenants.C1.admin.get<{ items: { organization: { id: string }; relationship: unknown; delegatedAdmin: { state: string }[] }[] }>('/api/v1/partners');
      const p1 = listed.body.items.find((i) => i.organization.id === f.graph.tenants.P1.id);
      expect(p1?.relationship).toBeNull();
      expect(p1?.delegatedAdmin.map((g) => g.state)).toEqual(['active']);
    });

    it('customer admins reach no partner list, partners no customer-admin list, nobody but the operator the registry', async () => {
      for (const c of customerNames) {
        for (const url of ['/api/v1/customers', '/api/v1/indirect-providers', '/api/v1/indirect-resellers', '/api/v1/invitations', '/api/v1/operator/partners']) {
          expect(await get(c, url), `${c} ${url}`).toBe(403);
        }
      }
      for (const p of partnerNames) {
        expect(await get(p, '/api/v1/partners')).toBe(403);
        expect(await get(p, '/api/v1/operator/partners')).toBe(403);
      }
    });
  });
});
