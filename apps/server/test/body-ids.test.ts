import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, databaseDigest, giveMembershipIds, tenantNames, type Fixture, type Principal } from './fixture.ts';
import { catalogSku } from './commerce-fixture.ts';
import { reportFigures } from './crash/proof-profile.ts';
import { createCustomer, errorCodeOf, expectOk, isCompatiblePath, issuedFrom, relate, type Client, type OrgHandle, type Reply, type TestContext, createTestContext } from './harness.ts';
import { isSchema, SchemaTools, type Json, type OpenApiDocument, type Schema } from './openapi-schema.ts';

/*
 * ISO-03 (nested and body id swap) and INPUT-07 (injection in filters and sorts) over the shared
 * fixture. Both take their cases from /api/openapi.json: every request-body property that names an
 * object (ends in Id/Ids, or is a uuid) and every query parameter of a GET route. A coverage guard
 * fails when the document gains such a body property without an ISO-03 case here.
 */

/** `METHOD /path#property.path` of every id-carrying body property, `[]` marking array items. */
function bodyIdProperties(document: OpenApiDocument, tools: SchemaTools): string[] {
  const found: string[] = [];
  const walk = (input: Schema, at: string, depth: number) => {
    if (depth > 8) return;
    const schema = tools.resolve(input);
    const properties = schema['properties'];
    if (isSchema(properties)) {
      for (const [name, value] of Object.entries(properties)) {
        if (!isSchema(value)) continue;
        const property = tools.resolve(value);
        const items = isSchema(property['items']) ? tools.resolve(property['items']) : null;
        const path = at === '' ? name : `${at}.${name}`;
        if (/Ids?$/.test(name) || property['format'] === 'uuid' || items?.['format'] === 'uuid') found.push(path);
        walk(property, path, depth + 1);
      }
    }
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const options = schema[key];
      if (Array.isArray(options)) for (const option of options) if (isSchema(option)) walk(option, at, depth + 1);
    }
    if (isSchema(schema['items'])) walk(schema['items'], `${at}[]`, depth + 1);
  };
  const all: string[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (schema === undefined) continue;
      found.length = 0;
      walk(schema, '', 0);
      for (const property of found) all.push(`${method.toUpperCase()} ${path}#${property}`);
    }
  }
  return all.sort();
}

/*
 * Body id properties that do not name another tenant's object, with the reason; everything else
 * the document lists needs an ISO-03 case below.
 */
const notTenantReferences: Record<string, string> = {
  // The operator writes the vendor's membership registry: membershipId is the vendor's own external
  // identifier (a string the operator types in), not a reference to a Tierlink object of a tenant.
  'POST /api/v1/operator/memberships#membershipId': 'operator registry: an external identifier',
  'POST /api/v1/operator/memberships/import#items[].membershipId': 'operator registry: an external identifier',
  // Enrollment names a membership record of the signed-in membership account; one of another
  // account is refused ("not one of the signed-in account's profiles", enrollment.test.ts).
  'POST /api/v1/enrollments#membershipId': 'a membership of the signed-in membership account (enrollment.test.ts)',
  // Partner Center's order names its customer twice; any value but the path's is refused with 400 before anything is read.
  'POST /v1/customers/{id}/orders#referenceCustomerId': 'must equal the path\'s customer id (400 otherwise)',
  // The customer's own external identifier for the user (directory sync), echoed; it names no Tierlink object.
  'POST /v1/customers/{id}/users#immutableId': 'an external identifier, echoed',
  // Graph's role ids are Microsoft Entra role templates, the same in every tenant; ids Tierlink has no role for are refused (400).
  'POST /v1.0/tenantRelationships/delegatedAdminRelationships#accessDetails.unifiedRoles[].roleDefinitionId': 'a role template id, the same in every tenant',
  'PATCH /v1.0/tenantRelationships/delegatedAdminRelationships/{id}#accessDetails.unifiedRoles[].roleDefinitionId': 'a role template id, the same in every tenant',
};

/** `field: message` → field, from a Partner Center or OAuth error body. */
function describedField(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const text =
    (body as { description?: unknown }).description ?? (body as { error_description?: unknown }).error_description ?? (body as { error?: { message?: unknown } }).error?.message;
  return typeof text === 'string' ? text.split(':')[0] : undefined;
}

interface OrderReply {
  id: string;
  lines: { subscriptionId: string }[];
}

/** Helpdesk Administrator's role template id (the Graph facade's helpdesk). */
const helpdeskRole = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

let keys = 0;
const idempotency = () => ({ 'idempotency-key': `iso03-${(keys += 1)}` });

describe('ISO-03 and INPUT-07 over the shared fixture', () => {
  let t: TestContext;
  let f: Fixture;
  let document: OpenApiDocument;
  let tools: SchemaTools;
  let c6: OrgHandle;
  let skuId: string;
  let mpn: Record<string, string>;
  let serverErrors = 0;
  /** A partner's global_admin API key: the compatible API takes bearer credentials only. */
  const keyOf = (name: string, role: 'global_admin' | 'admin_agent' = 'global_admin'): Client => {
    const found = f.principals.find((p) => p.label === `${name} ${role} key`);
    if (found === undefined) throw new Error(`no API key for ${name}`);
    return found.client;
  };
  let pcRequests = 0;
  const msRequestId = () => ({ 'ms-requestid': `iso03-pc-${(pcRequests += 1)}` });

  beforeAll(async () => {
    t = await createTestContext();
    f = await buildFixture(t);
    mpn = await giveMembershipIds(t, f);
    document = (await f.operator.get<OpenApiDocument>('/api/openapi.json')).body;
    tools = new SchemaTools(document);
    // Commerce on top of the fixture: a catalog SKU, and a sixth customer C6 joint to R2a and P2,
    // so that P2 has two customers with subscriptions whose resellers are strangers (Rm, R2a).
    skuId = await catalogSku(f.operator, 'Iso');
    c6 = await createCustomer(t, 'C6 Customer');
    await relate(f.tenants.R2a, c6, f.tenants.P2.id);
    expectOk(await f.tenants.P2.admin.put(`/api/v1/indirect-resellers/${f.tenants.Rm.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
  }, 240_000);
  afterAll(() => t.close());

  /** The request must be refused with a 4xx and leave every table as it was. */
  const refusedUnchanged = async (label: string, send: () => Promise<Reply<{ code?: string } | null>>, except: readonly string[] = []) => {
    const before = await databaseDigest(t, except);
    const reply = await send();
    if (reply.status >= 500) serverErrors += 1;
    const after = await databaseDigest(t, except);
    return { label, status: reply.status, code: reply.body?.code ?? null, changed: before !== after, raw: reply.raw };
  };

  const c6Subscription = async (): Promise<string> => {
    const placed = expectOk(
      await f.tenants.P2.admin.post<OrderReply>(`/api/v1/customers/${c6.id}/orders`, { resellerId: f.tenants.R2a.id, lines: [{ skuId, quantity: 2, billingCycle: 'monthly' }] }, idempotency()),
      201,
    );
    return placed.lines[0]?.subscriptionId ?? '';
  };

  it('ISO-03: every id-carrying body property of the document has a swap case (coverage guard)', () => {
    const properties = bodyIdProperties(document, tools);
    const covered = new Set([...Object.keys(swapCases), ...Object.keys(notTenantReferences)]);
    expect(properties.filter((p) => !covered.has(p))).toEqual([]);
    // And no case outlives its property.
    expect([...covered].filter((p) => !properties.includes(p))).toEqual([]);
    expect(properties.length).toBeGreaterThanOrEqual(9);
  });

  /*
   * One case per body property: the otherwise valid request with ONE id swapped for another
   * tenant's object → 4xx and the database digest unchanged; then the valid request → 2xx, which
   * shows the swapped request failed on the id alone.
   */
  const swapCases: Record<string, () => Promise<void>> = {
    'POST /api/v1/organizations#invitation.id': async () => {
      const mine = issuedFrom(expectOk(await f.tenants.R1a.admin.post('/api/v1/customer-invitations', { email: 'admin@iso03-new.test' }), 201) as never);
      const theirs = issuedFrom(expectOk(await f.tenants.R2a.admin.post('/api/v1/customer-invitations', { email: 'admin@iso03-other.test' }), 201) as never);
      const body = (id: string) => ({
        organization: { name: 'Iso03 New', domain: 'iso03-new.test', country: 'US' },
        admin: { displayName: 'Iso03 admin', email: 'admin@iso03-new.test', password: 'correct horse battery' },
        invitation: { id, token: mine.token },
      });
      // A wrong token is counted against the address (guess_failures, the throttle's bookkeeping).
      const swapped = await refusedUnchanged('sign-up with R2a\'s invitation id and R1a\'s token', () => t.client().post('/api/v1/organizations', body(theirs.id)), ['sign_in_throttles', 'guess_failures']);
      expectRefused(swapped);
      expect((await t.client().post('/api/v1/organizations', body(mine.id))).status).toBe(201);
    },
    'POST /api/v1/customer-invitations#indirectProviderId': async () => {
      // R1a is P1's reseller; P2 is a provider it has never partnered with.
      const swapped = await refusedUnchanged('R1a invites jointly with P2', () =>
        f.tenants.R1a.admin.post('/api/v1/customer-invitations', { email: 'admin@iso03-joint.test', indirectProviderId: f.tenants.P2.id }),
      );
      expectRefused(swapped);
      expect((await f.tenants.R1a.admin.post('/api/v1/customer-invitations', { email: 'admin@iso03-joint.test', indirectProviderId: f.tenants.P1.id })).status).toBe(201);
    },
    'POST /api/v1/customers/{id}/orders#resellerId': async () => {
      // P2 orders for its joint customer C5 naming R1a, P1's reseller, instead of Rm.
      const body = (resellerId: string) => ({ resellerId, lines: [{ skuId, quantity: 1, billingCycle: 'monthly' }] });
      const swapped = await refusedUnchanged('P2 orders for C5 naming R1a', () => f.tenants.P2.admin.post(`/api/v1/customers/${f.tenants.C5.id}/orders`, body(f.tenants.R1a.id), idempotency()));
      expectRefused(swapped);
      expect((await f.tenants.P2.admin.post(`/api/v1/customers/${f.tenants.C5.id}/orders`, body(f.tenants.Rm.id), idempotency())).status).toBe(201);
    },
    'POST /api/v1/customers/{id}/orders#providerId': async () => {
      // Rm orders for C5 on a credit line naming P1 (its other provider, a stranger to C5) instead of P2.
      const body = (providerId: string) => ({ providerId, lines: [{ skuId, quantity: 1, billingCycle: 'monthly' }] });
      const swapped = await refusedUnchanged('Rm orders for C5 through P1', () => f.tenants.Rm.admin.post(`/api/v1/customers/${f.tenants.C5.id}/orders`, body(f.tenants.P1.id), idempotency()));
      expectRefused(swapped);
      expect((await f.tenants.Rm.admin.post(`/api/v1/customers/${f.tenants.C5.id}/orders`, body(f.tenants.P2.id), idempotency())).status).toBe(201);
    },
    'POST /api/v1/customers/{id}/orders#lines[].skuId': async () => {
      // The catalog is global (the operator's), so there is no other tenant's SKU: the slot gets
      // another tenant's commerce object instead, C6's subscription, next to a valid line.
      const foreign = await c6Subscription();
      const body = (ids: string[]) => ({ resellerId: f.tenants.Rm.id, lines: ids.map((id) => ({ skuId: id, quantity: 1, billingCycle: 'monthly' })) });
      const swapped = await refusedUnchanged('P2 orders for C5 with C6\'s subscription as a SKU', () =>
        f.tenants.P2.admin.post(`/api/v1/customers/${f.tenants.C5.id}/orders`, body([skuId, foreign]), idempotency()),
      );
      expectRefused(swapped);
      expect((await f.tenants.P2.admin.post(`/api/v1/customers/${f.tenants.C5.id}/orders`, body([skuId]), idempotency())).status).toBe(201);
    },
    'POST /api/v1/customers/{id}/users/{uid}/licenses#subscriptionId': async () => {
      // Rm administers C5 (grant); it assigns a seat to a C5 user from C6's subscription.
      const foreign = await c6Subscription();
      const own = expectOk(
        await f.tenants.P2.admin.post<OrderReply>(`/api/v1/customers/${f.tenants.C5.id}/orders`, { resellerId: f.tenants.Rm.id, lines: [{ skuId, quantity: 3, billingCycle: 'annual' }] }, idempotency()),
        201,
      ).lines[0]?.subscriptionId;
      const user = expectOk(
        await f.tenants.Rm.admin.post<{ user: { id: string } }>(`/api/v1/customers/${f.tenants.C5.id}/users`, { displayName: 'Seat Holder', email: 'seat@c5-customer.test' }),
        201,
      ).user;
      const url = `/api/v1/customers/${f.tenants.C5.id}/users/${user.id}/licenses`;
      const swapped = await refusedUnchanged('Rm assigns a C5 user a seat of C6\'s subscription', () => f.tenants.Rm.admin.post(url, { subscriptionId: foreign }));
      expectRefused(swapped);
      expect((await f.tenants.Rm.admin.post(url, { subscriptionId: own })).status).toBe(204);
    },
    'POST /v1/customers/relationshiprequests#indirectCloudSolutionProviderId': async () => {
      // Through the compatible API: R1a asks for a joint link with P2, a provider it never partnered with.
      const body = (providerId: string) => ({ Email: 'admin@iso03-pc-joint.test', IndirectCloudSolutionProviderId: providerId });
      const swapped = await refusedUnchanged('R1a asks for a joint link with P2 (compatible API)', () => keyOf('R1a').post('/v1/customers/relationshiprequests', body(f.tenants.P2.id)));
      expectRefused(swapped);
      expect((await keyOf('R1a').post('/v1/customers/relationshiprequests', body(f.tenants.P1.id))).status).toBe(201);
    },
    'POST /v1/customers/{id}/orders#indirectCloudSolutionProviderId': async () => {
      // Rm orders for C5 through P1 (a stranger to C5) instead of P2.
      const body = (providerId: string) => ({ BillingCycle: 'monthly', LineItems: [{ OfferId: skuId, Quantity: 1 }], IndirectCloudSolutionProviderId: providerId });
      const url = `/v1/customers/${f.tenants.C5.id}/orders`;
      const swapped = await refusedUnchanged('Rm orders for C5 through P1 (compatible API)', () => keyOf('Rm').post(url, body(f.tenants.P1.id), msRequestId()));
      expectRefused(swapped);
      expect((await keyOf('Rm').post(url, body(f.tenants.P2.id), msRequestId())).status).toBe(201);
    },
    'POST /v1/customers/{id}/orders#lineItems[].offerId': async () => {
      const foreign = await c6Subscription();
      const body = (ids: string[]) => ({ BillingCycle: 'monthly', LineItems: ids.map((id) => ({ OfferId: id, Quantity: 1, PartnerIdOnRecord: mpn['Rm'] })) });
      const url = `/v1/customers/${f.tenants.C5.id}/orders`;
      const swapped = await refusedUnchanged('P2 orders for C5 with C6\'s subscription as an offer (compatible API)', () => keyOf('P2').post(url, body([skuId, foreign]), msRequestId()));
      expectRefused(swapped);
      expect((await keyOf('P2').post(url, body([skuId]), msRequestId())).status).toBe(201);
    },
    'POST /v1/customers/{id}/users/{uid}/licenseupdates#licensesToAssign[].skuId': async () => {
      const foreign = await c6Subscription();
      const own = expectOk(
        await f.tenants.P2.admin.post<OrderReply>(`/api/v1/customers/${f.tenants.C5.id}/orders`, { resellerId: f.tenants.Rm.id, lines: [{ skuId, quantity: 3, billingCycle: 'annual' }] }, idempotency()),
        201,
      ).lines[0]?.subscriptionId;
      // Delegated admin is the admin agents' (DESIGN §6).
      const agent = keyOf('Rm', 'admin_agent');
      const user = expectOk(await agent.post<{ id: string }>(`/v1/customers/${f.tenants.C5.id}/users`, { DisplayName: 'Pc Seat Holder', UserPrincipalName: 'pc-seat@c5-customer.test' }));
      const url = `/v1/customers/${f.tenants.C5.id}/users/${user.id}/licenseupdates`;
      const swapped = await refusedUnchanged('Rm assigns a C5 user a seat of C6\'s subscription (compatible API)', () => agent.post(url, { LicensesToAssign: [{ SkuId: foreign }] }));
      expectRefused(swapped);
      expect((await agent.post(url, { LicensesToAssign: [{ SkuId: own }] })).status).toBe(201);
    },
    'POST /v1.0/tenantRelationships/delegatedAdminRelationships#customer.tenantId': async () => {
      // Through Graph: R2a asks for admin access to C1, R1a's customer, instead of its own C3.
      const body = (tenantId: string) => ({ displayName: 'Iso03 graph request', duration: 'P30D', customer: { tenantId }, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdeskRole }] } });
      const url = '/v1.0/tenantRelationships/delegatedAdminRelationships';
      const swapped = await refusedUnchanged('R2a requests delegated admin in C1 (Graph)', () => keyOf('R2a').post(url, body(f.tenants.C1.id)));
      expectRefused(swapped);
      expect((await keyOf('R2a').post(url, body(f.tenants.C3.id))).status).toBe(201);
    },
    'PATCH /v1.0/tenantRelationships/delegatedAdminRelationships/{id}#customer.tenantId': async () => {
      // R2a's draft for C3, sent again naming C1: a relationship's customer does not change.
      const url = '/v1.0/tenantRelationships/delegatedAdminRelationships';
      const draft = expectOk(
        await keyOf('R2a').post<{ id: string; '@odata.etag': string }>(url, { displayName: 'Iso03 graph draft', duration: 'P30D', customer: { tenantId: f.tenants.C3.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdeskRole }] } }),
        201,
      );
      const patch = (tenantId: string) => keyOf('R2a').patch(`${url}/${draft.id}`, { displayName: 'Iso03 graph renamed', customer: { tenantId } }, { 'if-match': draft['@odata.etag'] });
      const swapped = await refusedUnchanged('R2a moves its draft to C1 (Graph)', () => patch(f.tenants.C1.id));
      expectRefused(swapped);
      expect((await patch(f.tenants.C3.id)).status).toBe(200);
    },
    'POST /api/v1/delegated-admin-relationships#customerId': async () => {
      // R2a asks for admin access to C1, R1a's customer, instead of its own C3.
      const body = (customerId: string) => ({ displayName: 'Iso03 request', customerId, roles: ['helpdesk'], duration: 'P30D' });
      const swapped = await refusedUnchanged('R2a requests delegated admin in C1', () => f.tenants.R2a.admin.post('/api/v1/delegated-admin-relationships', body(f.tenants.C1.id)));
      expectRefused(swapped);
      expect((await f.tenants.R2a.admin.post('/api/v1/delegated-admin-relationships', body(f.tenants.C3.id))).status).toBe(201);
    },
    'POST /api/v1/delegated-admin-relationships#resellerId': async () => {
      // P2 asks for Rm's customer C4 naming R2a (its other reseller, a stranger to C4) instead of Rm.
      const body = (resellerId: string) => ({ displayName: 'Iso03 three-party', customerId: f.tenants.C4.id, roles: ['helpdesk'], duration: 'P30D', resellerId });
      const swapped = await refusedUnchanged('P2 requests for C4 naming R2a', () => f.tenants.P2.admin.post('/api/v1/delegated-admin-relationships', body(f.tenants.R2a.id)));
      expectRefused(swapped);
      expect((await f.tenants.P2.admin.post('/api/v1/delegated-admin-relationships', body(f.tenants.Rm.id))).status).toBe(201);
    },
  };

  const refusals: string[] = [];
  const expectRefused = (outcome: Awaited<ReturnType<typeof refusedUnchanged>>) => {
    refusals.push(`${outcome.label}: ${outcome.status} ${outcome.code ?? ''}`);
    expect({ label: outcome.label, clientError: outcome.status >= 400 && outcome.status < 500, changed: outcome.changed }, outcome.raw).toEqual({
      label: outcome.label,
      clientError: true,
      changed: false,
    });
  };

  it('ISO-03: one body id swapped for another tenant\'s object → 4xx and no table changes; the valid request then succeeds', async () => {
    const ran: string[] = [];
    for (const [property, run] of Object.entries(swapCases)) {
      await run();
      ran.push(property);
    }
    reportFigures('ISO-03', { bodyIdProperties: bodyIdProperties(document, tools).length, swapCases: ran.length, exempt: Object.keys(notTenantReferences).length });
    process.stdout.write(`ISO-03 refusals:\n  ${refusals.join('\n  ')}\n`);
    expect(ran.length).toBe(Object.keys(swapCases).length);
    expect(refusals.length).toBe(ran.length);
  }, 120_000);

  it('INPUT-07: a NUL character in a string of any write\'s body is refused with 400 naming the field, never a 5xx, nothing written', async () => {
    const writes = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => {
        const schema = op.requestBody?.content['application/json']?.schema;
        return schema === undefined ? [] : [{ method: method.toUpperCase() as 'POST' | 'PUT' | 'PATCH' | 'DELETE', path, schema }];
      }),
    );
    // The first string of a schema-valid body gets a NUL character in the middle.
    const poison = (value: Json, at: string): { body: Json; field: string } | null => {
      if (typeof value === 'string') return { body: `${value.slice(0, 1)}\u0000${value.slice(1)}`, field: at };
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) {
          const hit = poison(item, at === '' ? String(i) : `${at}.${i}`);
          if (hit !== null) return { body: value.map((v, j) => (j === i ? hit.body : v)), field: hit.field };
        }
        return null;
      }
      if (value === null || typeof value !== 'object') return null;
      for (const [key, item] of Object.entries(value)) {
        const hit = poison(item, at === '' ? key : `${at}.${key}`);
        if (hit !== null) return { body: { ...value, [key]: hit.body }, field: hit.field };
      }
      return null;
    };
    // Callers in turn until one gets past the guard: the operator, a partner admin, a customer admin.
    // The compatible API reads bearer credentials only: a partner's API key reaches it.
    const callers = [f.operator, f.tenants.P1.admin, f.tenants.C1.admin, keyOf('P1'), t.client()];
    const before = await databaseDigest(t, ['sign_in_throttles', 'guess_failures']);
    const problems: string[] = [];
    let sent = 0;
    for (const write of writes) {
      const valid = fc.sample(tools.valid(write.schema), { numRuns: 1, seed: 7 })[0];
      const poisoned = valid === undefined ? null : poison(valid, '');
      if (poisoned === null) continue;
      const url = write.path.replaceAll(/\{[^}]+\}/g, () => randomUUID());
      // A string body is a CSV import (text/csv), named as a whole.
      const text = typeof poisoned.body === 'string';
      const field = text ? 'body' : poisoned.field;
      const headers: Record<string, string> = { 'idempotency-key': `nul-${sent}`, 'if-match': '"1"', ...(text ? { 'content-type': 'text/csv' } : {}) };
      let reply: Reply<{ code?: string; field?: string } | null> | null = null;
      for (const caller of callers) {
        reply = await caller.request<{ code?: string; field?: string } | null>(write.method, url, poisoned.body, headers);
        if (reply.status !== 401 && reply.status !== 403) break;
      }
      sent += 1;
      if (reply === null) continue;
      if (reply.status >= 500) serverErrors += 1;
      // The compatible API's errors have no `field`: their description (or OAuth's error_description) starts with it.
      const compatible = isCompatiblePath(write.path);
      const named = compatible ? describedField(reply.body) : reply.body?.field;
      if (reply.status !== 400 || named !== field) problems.push(`${write.method} ${write.path} ${field}: ${reply.status} ${errorCodeOf(reply) ?? ''} ${named ?? ''}`);
    }
    reportFigures('INPUT-07 NUL in bodies', { writes: writes.length, sent, problems: problems.length });
    expect(problems).toEqual([]);
    expect(await databaseDigest(t, ['sign_in_throttles', 'guess_failures'])).toBe(before);
    expect(sent).toBeGreaterThan(20);
  }, 120_000);

  it('INPUT-07: every query parameter of every GET route, with an injection corpus: 400 or a literal, never a 5xx, nothing written', async () => {
    const corpus = ["' OR 1=1--", "%' --", ';DROP TABLE users;--', '\\', '%', '_', "name->>'x'", '{"$ne":null}', '$ne', 'a\u0000b', 'x'.repeat(5000), "R1a' OR 'a'='a"];
    // Free-text filters must treat the value as a literal: none of the corpus occurs in any
    // fixture name or address, so a 200 must list nothing.
    const literalFilters = new Set(['name', 'to']);
    const gets = Object.entries(document.paths).flatMap(([path, ops]) => {
      const op = ops['get'];
      const query = (op?.parameters ?? []).filter((p) => p.in === 'query');
      return op === undefined || query.length === 0 ? [] : [{ path, query: query.map((p) => p.name), required: query.filter((p) => p.required === true).map((p) => p.name) }];
    });
    const tenantIds = tenantNames.map((n) => f.tenants[n].id);
    // A caller and a path the plain route answers 200 for, so that the parameter reaches the use case.
    // A route with a required parameter (the invitation preview's token) answers 400 without it.
    const reach = async (path: string, required: string[]): Promise<{ client: Client; url: string } | null> => {
      const params = [...path.matchAll(/\{[^}]+\}/g)].length;
      const fills = params === 0 ? [[]] : tenantIds.map((id) => [id]).concat(f.graph.invitations.map((i) => [i.id]), f.graph.webhookEndpoints.map((e) => [e.id]));
      for (const principal of f.principals as Principal[]) {
        for (const ids of fills) {
          const queue = [...ids];
          const url = path.replaceAll(/\{[^}]+\}/g, () => queue.shift() ?? randomUUID());
          const plain = (await principal.client.get(url)).status;
          if (plain === 200 || (plain === 400 && required.length > 0)) return { client: principal.client, url };
        }
      }
      return null;
    };
    const before = await databaseDigest(t, ['sign_in_throttles', 'guess_failures']);
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    let requests = 0;
    let reached = 0;
    for (const route of gets) {
      const target = await reach(route.path, route.required);
      if (target === null) {
        problems.push(`${route.path}: no fixture caller gets a 200 to send parameters to`);
        continue;
      }
      reached += 1;
      for (const name of route.query) {
        for (const value of corpus) {
          const reply = await target.client.get<{ items?: unknown[] } | null>(`${target.url}?${name}=${encodeURIComponent(value)}`);
          requests += 1;
          statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
          if (reply.status >= 500) {
            serverErrors += 1;
            problems.push(`${route.path}?${name}=${JSON.stringify(value.slice(0, 20))}: ${reply.status}`);
          } else if (![400, 200, 429].includes(reply.status) && !(reply.status === 404 && route.required.includes(name))) {
            // A required value that names nothing (a token) is a literal that matches nothing: 404.
            problems.push(`${route.path}?${name}=${JSON.stringify(value.slice(0, 20))}: ${reply.status}, neither refused nor answered`);
          } else if (reply.status === 200 && literalFilters.has(name) && (reply.body?.items?.length ?? 0) > 0) {
            problems.push(`${route.path}?${name}=${JSON.stringify(value.slice(0, 20))}: matched ${reply.body?.items?.length ?? 0} rows, not a literal`);
          }
        }
      }
    }
    const after = await databaseDigest(t, ['sign_in_throttles', 'guess_failures']);
    reportFigures('INPUT-07', { routes: gets.length, reached, requests, ...Object.fromEntries(Object.entries(statuses).map(([s, n]) => [`status ${s}`, n])), problems: problems.length });
    expect(problems).toEqual([]);
    expect(after).toBe(before);
    expect(reached).toBe(gets.length);
    expect(serverErrors).toBe(0);
  }, 240_000);
});
