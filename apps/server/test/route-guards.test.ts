import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowCounts } from './fixture.ts';
import { createOperator, createPartner, createTestContext, expectOk, publicUrl, type Client, type TestContext } from './harness.ts';

/*
 * Route guards over the whole OpenAPI document: unauthenticated calls are refused with 401,
 * cookie-authenticated writes from another origin with 403 csrf_origin_mismatch, and every answer
 * carries a Request-Id. A route the document lists but these tables do not fails the suite, so a
 * new route cannot ship without a decision about its guard.
 */

/** Reachable without credentials; each proves its right some other way (password, invitation token). */
const publicRoutes = [
  'POST /api/v1/organizations',
  'POST /api/v1/sessions',
  'GET /api/v1/invitations/{id}',
  'POST /api/v1/invitations/{id}/decline',
  'POST /api/v1/enrollments/{id}/verify-email',
];

/** Everything else needs a session or an API key. */
const guardedRoutes = [
  'DELETE /api/v1/sessions',
  'GET /api/v1/me',
  'POST /api/v1/me/password',
  'POST /api/v1/me/mfa/totp',
  'POST /api/v1/me/mfa/totp/confirm',
  'DELETE /api/v1/users/{id}/mfa',
  'GET /api/v1/api-keys',
  'POST /api/v1/api-keys',
  'DELETE /api/v1/api-keys/{id}',
  'GET /api/v1/users',
  'GET /api/v1/users/export',
  'POST /api/v1/users',
  'PATCH /api/v1/users/{id}',
  'DELETE /api/v1/users/{id}',
  'POST /api/v1/operator/partners',
  'GET /api/v1/operator/partners',
  'GET /api/v1/operator/partners/export',
  'POST /api/v1/operator/memberships',
  'POST /api/v1/operator/memberships/import',
  'POST /api/v1/enrollments/membership-sign-in',
  'POST /api/v1/enrollments',
  'GET /api/v1/enrollments/current',
  'GET /api/v1/operator/enrollments',
  'POST /api/v1/operator/enrollments/{id}/approve',
  'POST /api/v1/operator/enrollments/{id}/reject',
  'GET /api/v1/indirect-providers',
  'GET /api/v1/indirect-providers/export',
  'GET /api/v1/indirect-resellers',
  'GET /api/v1/indirect-resellers/export',
  'DELETE /api/v1/indirect-providers/{id}',
  'DELETE /api/v1/indirect-resellers/{id}',
  'DELETE /api/v1/indirect-providers/{id}/delegated-admin',
  'GET /api/v1/customers',
  'GET /api/v1/customers/export',
  'GET /api/v1/customers/{id}',
  'GET /api/v1/indirect-providers/{id}/customers',
  'GET /api/v1/indirect-providers/{id}/customers/export',
  'POST /api/v1/customers/{id}/relationship/remove',
  'GET /api/v1/customers/{id}/delegated-admin',
  'DELETE /api/v1/customers/{id}/delegated-admin/{grantId}',
  'GET /api/v1/partners',
  'GET /api/v1/partners/export',
  'DELETE /api/v1/partners/{id}/delegated-admin/{grantId}',
  'POST /api/v1/operator/reseller-relationships/import',
  'POST /api/v1/reseller-invitations',
  'POST /api/v1/customer-invitations',
  'GET /api/v1/invitations',
  'GET /api/v1/invitations/export',
  'POST /api/v1/invitations/{id}/accept',
  'POST /api/v1/invitations/{id}/revoke',
  'POST /api/v1/invitations/{id}/send',
  'GET /api/v1/catalog/products',
  'POST /api/v1/operator/catalog/products',
  'PATCH /api/v1/operator/catalog/skus/{id}',
  'DELETE /api/v1/operator/catalog/products/{id}',
  'POST /api/v1/customers/{id}/orders',
  'GET /api/v1/customers/{id}/orders',
  'GET /api/v1/customers/{id}/subscriptions',
  'GET /api/v1/customers/{id}/subscriptions/{sid}',
  'PATCH /api/v1/customers/{id}/subscriptions/{sid}',
  'GET /api/v1/subscriptions',
  'GET /api/v1/partner-subscriptions',
  'GET /api/v1/partner-subscriptions/export',
  'GET /api/v1/partner-orders',
  'GET /api/v1/partner-orders/export',
  'PUT /api/v1/indirect-resellers/{id}/credit',
  'GET /api/v1/indirect-resellers/{id}/credit',
  'GET /api/v1/indirect-providers/{id}/credit',
  'GET /api/v1/indirect-resellers/credit',
  'GET /api/v1/indirect-providers/credit',
  'GET /api/v1/customers/{id}/users',
  'POST /api/v1/customers/{id}/users',
  'DELETE /api/v1/customers/{id}/users/{uid}',
  'POST /api/v1/customers/{id}/users/{uid}/password-reset',
  'POST /api/v1/customers/{id}/users/{uid}/licenses',
  'DELETE /api/v1/customers/{id}/users/{uid}/licenses/{sid}',
  'GET /api/v1/audit-events',
  'GET /api/v1/audit-events/export',
  'GET /api/v1/dashboards/provider',
  'GET /api/v1/indirect-resellers/{id}/offboarding-plan',
  'POST /api/v1/indirect-resellers/{id}/offboard',
  'GET /api/v1/indirect-providers/{id}/offboarding-plan',
  'POST /api/v1/indirect-providers/{id}/offboard',
  'GET /api/v1/customers/{id}/offboarding-plan',
  'POST /api/v1/customers/{id}/offboard',
  'GET /api/v1/dashboards/reseller',
  'GET /api/v1/dashboards/customer',
  'GET /api/v1/dashboards/operator',
  'GET /api/v1/mailbox',
  'GET /api/v1/event-types',
  'GET /api/v1/webhook-endpoints',
  'POST /api/v1/webhook-endpoints',
  'GET /api/v1/webhook-endpoints/{id}',
  'PATCH /api/v1/webhook-endpoints/{id}',
  'DELETE /api/v1/webhook-endpoints/{id}',
  'POST /api/v1/webhook-endpoints/{id}/rotate-secret',
  'POST /api/v1/webhook-endpoints/{id}/test',
  'GET /api/v1/webhook-endpoints/{id}/deliveries',
  'GET /api/v1/delegated-admin-relationships',
  'POST /api/v1/delegated-admin-relationships',
  'GET /api/v1/delegated-admin-relationships/{id}',
  'PATCH /api/v1/delegated-admin-relationships/{id}',
  'DELETE /api/v1/delegated-admin-relationships/{id}',
  'POST /api/v1/delegated-admin-relationships/{id}/requests',
  'POST /api/v1/delegated-admin-relationships/{id}/amendments',
  'POST /api/v1/delegated-admin-relationships/{id}/amendments/{amendmentId}/approve',
  'POST /api/v1/delegated-admin-relationships/{id}/amendments/{amendmentId}/reject',
  'GET /api/v1/delegated-admin-requests',
  'GET /api/v1/customers/{id}/access',
  'GET /api/v1/partners/{id}/access',
  'POST /api/v1/webhook-deliveries/{id}/retry',
];

/**
 * The Partner Center–compatible API: bearer credentials only (an API key or a token from
 * /oauth2/token, which is public), errors in Partner Center's shape with the native code in the
 * Tierlink-Error-Code header.
 */
const compatiblePublicRoutes = ['POST /oauth2/token'];
const compatibleRoutes = [
  'GET /v1/relationships',
  'GET /v1/customers',
  'GET /v1/customers/{id}',
  'PATCH /v1/customers/{id}',
  'GET /v1/customers/{id}/relationships',
  'POST /v1/customers/relationshiprequests',
  'POST /v1/customers/{id}/orders',
  'GET /v1/customers/{id}/orders',
  'GET /v1/customers/{id}/orders/{orderId}',
  'GET /v1/customers/{id}/subscriptions',
  'GET /v1/customers/{id}/subscriptions/{sid}',
  'PATCH /v1/customers/{id}/subscriptions/{sid}',
  'GET /v1/customers/{id}/users',
  'POST /v1/customers/{id}/users',
  'GET /v1/customers/{id}/subscribedskus',
  'GET /v1/customers/{id}/users/{uid}/licenses',
  'DELETE /v1/customers/{id}/users/{uid}',
  'GET /v1/customers/{id}/users/{uid}/directoryroles',
  'POST /v1/customers/{id}/users/{uid}/licenseupdates',
  'GET /v1/profiles/legalbusiness',
  'GET /v1/profiles/mpn',
  'GET /v1/compliance/csp/agreementstatus',
];
/** Its Graph part (delegated admin relationships): the same credentials, errors in Graph's shape. */
const graphRoutes = [
  'GET /v1.0/tenantRelationships/delegatedAdminRelationships',
  'POST /v1.0/tenantRelationships/delegatedAdminRelationships',
  'GET /v1.0/tenantRelationships/delegatedAdminRelationships/{id}',
  'PATCH /v1.0/tenantRelationships/delegatedAdminRelationships/{id}',
  'DELETE /v1.0/tenantRelationships/delegatedAdminRelationships/{id}',
  'POST /v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests',
  'GET /v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests',
  'GET /v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests/{requestId}',
  'GET /v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments',
];

/** Served outside the document (hidden); they answer anyone and still carry a Request-Id. */
const undocumented = ['/api/openapi.json', '/api/docs', '/healthz', '/readyz', '/metrics'];

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Route {
  key: string;
  method: Method;
  url: string;
}

const uuid = '00000000-0000-4000-8000-000000000000';
const toRoute = (key: string): Route => {
  const [method, path] = key.split(' ') as [Method, string];
  return { key, method, url: path.replaceAll(/\{[^}]+\}/g, uuid) };
};
const isWrite = (r: Route) => r.method !== 'GET' && r.method !== 'HEAD';

interface Answer {
  status: number;
  body: { code?: string; requestId?: string } | null;
  contentType: string;
}

describe('route guards over the OpenAPI document', () => {
  let t: TestContext;
  let operator: Client;
  let sessionCookie: string;
  let documented: string[];

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    const reseller = await createPartner(t, operator, 'Guard Reseller', 'indirect_reseller');
    if (reseller.admin.cookie === null) throw new Error('the admin has no session cookie');
    sessionCookie = reseller.admin.cookie;
    const spec = expectOk(await t.client().get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json'));
    documented = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
  });
  afterAll(() => t.close());

  /** A raw request (no helper adds an Origin); every answer must carry a Request-Id, and problems repeat it. */
  async function call(route: Route, headers: Record<string, string>, body?: string): Promise<Answer> {
    const response = await t.app.inject({
      method: route.method,
      url: route.url,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { payload: body }),
    });
    const requestId = response.headers['request-id'];
    expect(requestId, `${route.key}: Request-Id`).toMatch(/^[0-9a-f-]{36}$/);
    const contentType = String(response.headers['content-type'] ?? '');
    let parsed: Answer['body'] = null;
    if (contentType.startsWith('application/problem+json') || contentType.startsWith('application/json')) {
      parsed = JSON.parse(response.body) as Answer['body'];
    }
    if (contentType.startsWith('application/problem+json')) expect(parsed?.requestId, `${route.key}: problem requestId`).toBe(requestId);
    expect(response.statusCode, `${route.key}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
    return { status: response.statusCode, body: parsed, contentType };
  }
  const bodyFor = (route: Route) => (isWrite(route) ? '{}' : undefined);

  it('coverage guard: every documented route is a known public route or a guarded case, and no entry is stale', () => {
    const known = [...publicRoutes, ...guardedRoutes, ...compatiblePublicRoutes, ...compatibleRoutes, ...graphRoutes];
    expect(new Set(known).size, 'no route listed twice').toBe(known.length);
    expect(documented.filter((r) => !known.includes(r)), 'documented routes without a guard decision').toEqual([]);
    expect(known.filter((r) => !documented.includes(r)), 'listed routes the document no longer has').toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(50);
  });

  it('401 problem+json for every guarded route without credentials, with an unknown key, with an unknown session', async () => {
    const before = await rowCounts(t);
    for (const route of guardedRoutes.map(toRoute)) {
      const variants: [string, Record<string, string>][] = [
        ['no credentials', {}],
        ['unknown API key', { authorization: `Bearer tl_${'x'.repeat(43)}` }],
        ['malformed authorization', { authorization: 'Basic b3BzOnBhc3N3b3Jk' }],
        ['unknown session', { cookie: 'tierlink_session=not-a-session', origin: publicUrl }],
      ];
      for (const [what, headers] of variants) {
        const answer = await call(route, headers, bodyFor(route));
        expect([answer.status, answer.body?.code], `${route.key} ${what}`).toEqual([401, 'unauthenticated']);
        expect(answer.contentType, route.key).toMatch(/^application\/problem\+json/);
      }
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  /** What the compatible API refuses with 401: nothing, unknown or forged credentials, and a session (never read there). */
  const refusedCredentials = (): [string, Record<string, string>][] => [
    ['no credentials', {}],
    ['unknown API key', { authorization: `Bearer tl_${'x'.repeat(43)}` }],
    ['forged access token', { authorization: `Bearer tlat.v1.${'x'.repeat(16)}.${'y'.repeat(22)}.${'z'.repeat(40)}` }],
    ['malformed authorization', { authorization: 'Basic b3BzOnBhc3N3b3Jk' }],
    ['a valid session', { cookie: sessionCookie, origin: publicUrl }],
  ];

  it('compatible API: 401 in Partner Center\'s shape without credentials, with an unknown key or token, and with a valid session (never read there)', async () => {
    const before = await rowCounts(t);
    for (const route of compatibleRoutes.map(toRoute)) {
      const variants = refusedCredentials();
      for (const [what, headers] of variants) {
        const response = await t.app.inject({ method: route.method, url: route.url, headers: { ...(isWrite(route) ? { 'content-type': 'application/json' } : {}), ...headers }, ...(isWrite(route) ? { payload: '{}' } : {}) });
        const body = JSON.parse(response.body) as { code?: unknown; source?: unknown };
        expect([response.statusCode, response.headers['tierlink-error-code'], body.code, body.source], `${route.key} ${what}`).toEqual([401, 'unauthenticated', 800001, 'PartnerFD']);
        expect(String(response.headers['content-type']), route.key).toMatch(/^application\/json/);
        expect(response.headers['request-id'], route.key).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    expect(await rowCounts(t)).toEqual(before);
    // The token endpoint is public; credentials it does not know are refused (and counted, like wrong passwords).
    for (const route of compatiblePublicRoutes.map(toRoute)) {
      const response = await t.app.inject({ method: route.method, url: route.url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
      expect([response.statusCode, (JSON.parse(response.body) as { error?: string }).error], route.key).toEqual([401, 'invalid_client']);
    }
  });

  it('Graph part of the compatible API: 401 in Graph\'s shape without credentials, with an unknown key or token, and with a valid session', async () => {
    const before = await rowCounts(t);
    for (const route of graphRoutes.map(toRoute)) {
      const variants = refusedCredentials();
      for (const [what, headers] of variants) {
        const response = await t.app.inject({ method: route.method, url: route.url, headers: { ...(isWrite(route) ? { 'content-type': 'application/json' } : {}), ...headers }, ...(isWrite(route) ? { payload: '{}' } : {}) });
        const body = JSON.parse(response.body) as { error?: { code?: unknown } };
        expect([response.statusCode, response.headers['tierlink-error-code'], body.error?.code], `${route.key} ${what}`).toEqual([401, 'unauthenticated', 'InvalidAuthenticationToken']);
        expect(String(response.headers['content-type']), route.key).toMatch(/^application\/json/);
      }
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('public routes answer without credentials (never 401, never 5xx)', async () => {
    for (const route of publicRoutes.map(toRoute)) {
      const answer = await call(route, isWrite(route) ? { origin: publicUrl } : {}, bodyFor(route));
      expect(answer.status, route.key).not.toBe(401);
      expect(answer.status, route.key).toBeGreaterThanOrEqual(400);
      expect(answer.contentType, route.key).toMatch(/^application\/problem\+json/);
    }
  });

  it('a cookie-authenticated write without the portal\'s Origin is refused: 403 csrf_origin_mismatch, nothing written', async () => {
    const before = await rowCounts(t);
    const writes = [...publicRoutes, ...guardedRoutes].map(toRoute).filter(isWrite);
    expect(writes.length).toBeGreaterThan(20);
    for (const route of writes) {
      for (const origin of [undefined, 'https://evil.test', 'null', 'http://tierlink.test.evil.test', `${publicUrl}:8443`]) {
        const headers: Record<string, string> = { cookie: sessionCookie, ...(origin === undefined ? {} : { origin }) };
        const answer = await call(route, headers, '{}');
        expect([answer.status, answer.body?.code], `${route.key} origin ${String(origin)}`).toEqual([403, 'csrf_origin_mismatch']);
      }
    }
    // A browser without a session still may not post sign-in or sign-up forms from another site.
    for (const route of publicRoutes.map(toRoute).filter(isWrite)) {
      const answer = await call(route, { origin: 'https://evil.test' }, '{}');
      expect([answer.status, answer.body?.code], route.key).toEqual([403, 'csrf_origin_mismatch']);
    }
    expect(await rowCounts(t)).toEqual(before);
    // The refused sign-out did not end the session; reads need no Origin, and API keys none at all.
    const me = await call(toRoute('GET /api/v1/me'), { cookie: sessionCookie });
    expect(me.status).toBe(200);
  });

  it('the control: the same cookie with the portal\'s Origin gets past the guard', async () => {
    const answer = await call(toRoute('POST /api/v1/customer-invitations'), { cookie: sessionCookie, origin: publicUrl }, '{}');
    expect([answer.status, answer.body?.code]).toEqual([400, 'validation_failed']);
  });

  it('undocumented routes and unknown paths carry a Request-Id too', async () => {
    for (const url of undocumented) {
      const answer = await call({ key: `GET ${url}`, method: 'GET', url }, {});
      expect(answer.status, url).toBeLessThan(400);
    }
    for (const key of ['GET /api/v1/nothing-here', 'POST /api/v1/nothing-here', 'PUT /api/v1/customers', 'GET /api/v0/customers']) {
      const answer = await call(toRoute(key), {}, key.startsWith('GET') ? undefined : '{}');
      expect([answer.status, answer.body?.code], key).toEqual([404, 'not_found']);
    }
  });
});
