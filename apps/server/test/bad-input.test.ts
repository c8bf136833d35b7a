import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowCounts } from './fixture.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  password,
  relate,
  type Client,
  type OrgHandle,
  type Reply,
  type TestContext,
} from './harness.ts';

/*
 * INPUT-02/03/04/06 and the bad-input table: malformed, truncated, mistyped, oversized, polluted
 * and mislabelled bodies on the write routes, and nonsense paging on the lists. Every answer is a
 * 4xx problem+json naming the field at fault, never a 5xx, and nothing is written.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

interface WriteRoute {
  name: string;
  who: () => Client;
  url: string;
  /** A body that passes validation (it is only ever sent broken). */
  valid: { [key: string]: Json };
  /** The body limit of the route (bytes). */
  limit: number;
}

interface Problem {
  code?: string;
  field?: string;
  requestId?: string;
}

/** Every leaf and inner value of a body, with its dotted path. */
function paths(value: Json, prefix: string[] = []): { path: string[]; value: Json }[] {
  const here = prefix.length === 0 ? [] : [{ path: prefix, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, String(i)]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

function setAt(body: Json, path: string[], replacement: Json): Json {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  let node = copy as { [key: string]: Json };
  for (const key of path.slice(0, -1)) node = node[key] as { [key: string]: Json };
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = replacement;
  return copy;
}

/** Values of other types than `value` has: the type confusions of INPUT-04. */
function wrongTypes(value: Json): Json[] {
  if (typeof value === 'string') return [42, true, null, [value], { value }];
  if (typeof value === 'number') return [String(value), false, null, [value]];
  if (typeof value === 'boolean') return [String(value), 1, null, [value]];
  if (Array.isArray(value)) return ['x', 7, null, { 0: value[0] ?? null }];
  return ['x', 7, false, null, []];
}

describe('bad input: 400/413/415 problem+json, never 5xx, nothing written', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let customer: OrgHandle;
  let pendingId: string;
  let routes: WriteRoute[];

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Input Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Input Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Input Customer');
    await connect(provider, reseller);
    await relate(reseller, customer);
    pendingId = issuedFrom(expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: 'later@input-customer.test' }), 201) as never).id;
    const kib = 1024;
    routes = [
      {
        name: 'sign-up',
        who: () => t.client(),
        url: '/api/v1/organizations',
        valid: {
          organization: { name: 'Newco', domain: 'newco.test', country: 'US' },
          admin: { displayName: 'New Admin', email: 'admin@newco.test', password },
          invitation: { id: pendingId, token: 'not-the-token' },
        },
        limit: 256 * kib,
      },
      { name: 'sign-in', who: () => t.client(), url: '/api/v1/sessions', valid: { email: reseller.adminEmail, password, totpCode: '123456' }, limit: 256 * kib },
      {
        name: 'reseller invitation',
        who: () => provider.admin,
        url: '/api/v1/reseller-invitations',
        valid: { email: 'someone@elsewhere.test', expiresInDays: 7, message: 'Hello' },
        limit: 256 * kib,
      },
      {
        name: 'customer invitation',
        who: () => reseller.admin,
        url: '/api/v1/customer-invitations',
        valid: {
          email: 'someone@elsewhere.test',
          indirectProviderId: provider.id,
          expiresInDays: 7,
          delegatedRoles: ['user_admin'],
          delegatedAdminDays: 30,
          send: true,
          text: 'Hello',
        },
        limit: 256 * kib,
      },
      { name: 'accept', who: () => customer.admin, url: `/api/v1/invitations/${pendingId}/accept`, valid: { token: 'x'.repeat(43), consent: true }, limit: 256 * kib },
      {
        name: 'remove relationship',
        who: () => reseller.admin,
        url: `/api/v1/customers/${customer.id}/relationship/remove`,
        valid: { attestation: true, revokeDelegatedAdmin: true, notifyCustomer: false },
        limit: 256 * kib,
      },
      {
        name: 'operator onboards a partner',
        who: () => operator,
        url: '/api/v1/operator/partners',
        valid: {
          organization: { name: 'Onboarded', domain: 'onboarded.test', country: 'US' },
          program: 'indirect_reseller',
          admin: { displayName: 'Onboarded Admin', email: 'admin@onboarded.test', password },
        },
        limit: 256 * kib,
      },
      {
        name: 'import',
        who: () => operator,
        url: '/api/v1/operator/reseller-relationships/import',
        valid: { items: [{ partnerDomain: reseller.domain, customerName: 'Imported', customerDomain: 'imported.test', customerCountry: 'US' }] },
        limit: 4096 * kib,
      },
    ];
  });
  afterAll(() => t.close());

  /** Sends a raw body and checks the problem answer; returns the problem for further checks. */
  async function send(route: WriteRoute, body: string, headers: Record<string, string>, status: number, code: string, field?: string): Promise<Reply<Problem>> {
    const reply = await route.who().request<Problem>('POST', route.url, body, headers);
    const label = `${route.name} ${body.slice(0, 120)}`;
    expect(reply.status, `${label}: ${reply.raw.slice(0, 300)}`).toBe(status);
    expect(String(reply.headers['content-type']), label).toMatch(/^application\/problem\+json/);
    expect(reply.body.code, label).toBe(code);
    expect(reply.body.code, label).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(reply.body.requestId, label).toBe(reply.headers['request-id']);
    if (field !== undefined) expect(reply.body.field, label).toBe(field);
    return reply;
  }
  const json = { 'content-type': 'application/json' };

  it('malformed, truncated, empty, deeply nested and mislabelled bodies', async () => {
    const before = await rowCounts(t);
    for (const route of routes) {
      const text = JSON.stringify(route.valid);
      await send(route, '{"email": "a@b.test", "password": ', json, 400, 'malformed_body');
      await send(route, text.slice(0, Math.floor(text.length / 2)), json, 400, 'malformed_body');
      await send(route, text.slice(0, -1), json, 400, 'malformed_body');
      await send(route, '', json, 400, 'malformed_body');
      await send(route, "{'single': 'quotes'}", json, 400, 'malformed_body');
      await send(route, `${'['.repeat(10_000)}${']'.repeat(10_000)}`, json, 400, 'validation_failed', 'body');
      await send(route, '[]', json, 400, 'validation_failed', 'body');
      await send(route, 'null', json, 400, 'validation_failed', 'body');
      for (const type of ['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png']) {
        await send(route, text, { 'content-type': type }, 415, 'unsupported_media_type');
      }
      await send(route, text, {}, 415, 'unsupported_media_type');
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('a wrong type in any field, and any unknown field, names that field', async () => {
    const before = await rowCounts(t);
    let cases = 0;
    for (const route of routes) {
      for (const { path, value } of paths(route.valid)) {
        for (const wrong of wrongTypes(value)) {
          await send(route, JSON.stringify(setAt(route.valid, path, wrong)), json, 400, 'validation_failed', path.join('.'));
          cases += 1;
        }
      }
      // Unknown fields, at the top and inside every nested object (mass assignment, AUTHZ-04).
      for (const extra of ['organizationId', 'role', 'roles', 'isAdmin', 'state']) {
        await send(route, JSON.stringify({ ...route.valid, [extra]: 'x' }), json, 400, 'validation_failed', extra);
        cases += 1;
      }
      for (const { path, value } of paths(route.valid)) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
        await send(route, JSON.stringify(setAt(route.valid, path, { ...value, tenantId: 'x' })), json, 400, 'validation_failed', [...path, 'tenantId'].join('.'));
        cases += 1;
      }
    }
    expect(cases).toBeGreaterThan(150);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('__proto__ and constructor keys are refused and pollute nothing (INPUT-03)', async () => {
    const before = await rowCounts(t);
    for (const route of routes) {
      const inner = JSON.stringify(route.valid).slice(1, -1);
      // Raw JSON: an object literal would drop __proto__ before it was ever sent.
      await send(route, `{"__proto__": {"isAdmin": true}, ${inner}}`, json, 400, 'malformed_body');
      await send(route, `{${inner}, "__proto__": {"roles": ["global_admin"]}}`, json, 400, 'malformed_body');
      await send(route, `{"constructor": {"prototype": {"isAdmin": true}}, ${inner}}`, json, 400, 'malformed_body');
      await send(route, `{${inner}, "constructor": "x"}`, json, 400, 'validation_failed', 'constructor');
      const firstObject = paths(route.valid).find((p) => p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value));
      if (firstObject !== undefined) {
        const key = firstObject.path[firstObject.path.length - 1] ?? '';
        const nestedInner = JSON.stringify(firstObject.value).slice(1, -1);
        const others = JSON.stringify(Object.fromEntries(Object.entries(route.valid).filter(([k]) => k !== key))).slice(1, -1);
        await send(route, `{${others}, "${key}": {"__proto__": {"isAdmin": true}, ${nestedInner}}}`, json, 400, 'malformed_body');
      }
    }
    for (const url of ['/api/v1/customers?__proto__[isAdmin]=1', '/api/v1/customers?__proto__=x', '/api/v1/customers?constructor[prototype][isAdmin]=1']) {
      const reply = await reseller.admin.get<Problem>(url);
      expect([reply.status, reply.body.code], url).toEqual([400, 'validation_failed']);
      expect(reply.body.requestId).toBe(reply.headers['request-id']);
    }
    const probe: Record<string, unknown> = {};
    expect(probe['isAdmin']).toBeUndefined();
    expect(probe['roles']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('bodies over the limit answer 413 (INPUT-02)', async () => {
    const before = await rowCounts(t);
    for (const route of routes) {
      const padding = 'x'.repeat(route.limit + 1024);
      await send(route, JSON.stringify({ ...route.valid, padding }), json, 413, 'body_too_large');
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('nonsense paging on every list answers 400 naming limit or cursor (INPUT-06)', async () => {
    const before = await rowCounts(t);
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const lists: [Client, string][] = [
      [reseller.admin, '/api/v1/customers'],
      [reseller.admin, `/api/v1/indirect-providers/${provider.id}/customers`],
      [reseller.admin, '/api/v1/indirect-providers'],
      [provider.admin, '/api/v1/indirect-resellers'],
      [reseller.admin, '/api/v1/invitations'],
      [reseller.admin, '/api/v1/audit-events'],
      [provider.admin, '/api/v1/partner-subscriptions'],
      [reseller.admin, '/api/v1/partner-orders'],
      [reseller.admin, '/api/v1/mailbox'],
      [customer.admin, '/api/v1/partners'],
      [operator, '/api/v1/operator/partners'],
      [reseller.admin, '/api/v1/users'],
    ];
    const bad: [string, string][] = [
      ['limit=1e9', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=201', 'limit'],
      ['limit[]=1', 'limit[]'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['cursor=%21%21%21', 'cursor'],
      [`cursor=${'A'.repeat(600)}`, 'cursor'],
      [`cursor=${cursor(['a'])}`, 'cursor'],
      [`cursor=${cursor(['a', 'b', 'c'])}`, 'cursor'],
      [`cursor=${cursor({ a: 1 })}`, 'cursor'],
      [`cursor=${cursor(['garbage', 'not-a-uuid'])}`, 'cursor'],
    ];
    // Newest-first lists key on a timestamp: an impossible one is as forged as a bad id.
    const timeKeyed = new Set(['/api/v1/invitations', '/api/v1/audit-events', '/api/v1/mailbox']);
    const badTime: [string, string] = [`cursor=${cursor(['2026-13-45T99:00:00Z', '00000000-0000-4000-8000-000000000000'])}`, 'cursor'];
    for (const [client, url] of lists) {
      for (const [query, field] of timeKeyed.has(url) ? [...bad, badTime] : bad) {
        const reply = await client.get<Problem>(`${url}?${query}`);
        const label = `${url}?${query.slice(0, 60)}`;
        expect([reply.status, reply.body.code, reply.body.field], `${label}: ${reply.raw.slice(0, 200)}`).toEqual([400, 'validation_failed', field]);
        expect(String(reply.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect(reply.body.requestId).toBe(reply.headers['request-id']);
      }
      // The largest page allowed is served, capped.
      const max = await client.get<{ items: unknown[] }>(`${url}?limit=200`);
      expect(max.status, url).toBe(200);
      expect(max.body.items.length).toBeLessThanOrEqual(200);
    }
    expect(await rowCounts(t)).toEqual(before);
  });
});
