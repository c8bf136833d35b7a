import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { User } from '@tierlink/contract';
import { buildFixture, giveMembershipIds, type Fixture, type Principal } from './fixture.ts';
import { catalogSku } from './commerce-fixture.ts';
import { reportFigures } from './crash/proof-profile.ts';
import { createTestContext, enrollMfa, expectOk, issuedFrom, signIn, type Reply, type TestContext } from './harness.ts';
import { isSchema, pointerSegment, SchemaTools, type Json, type OpenApiDocument } from './openapi-schema.ts';
import { countLeaks } from './proof-counts.ts';

/*
 * ISO-09 (caching isolation) and AUTHZ-05 (response exposure) over the shared fixture. The GET
 * walk is generated from /api/openapi.json: every GET route, as every admin, the operator and two
 * API keys, with path ids taken from what the caller's own answers showed it, so that a new route
 * enters without anyone adding it. Every answer of this file goes through `scan`.
 */

/** Property names that must not appear in an answer, and values shaped like our secrets. */
const deniedName = /password|hash|secret|token|mfa|otp|apikey/i;
const secretShapes: [string, RegExp][] = [
  ['API key secret', /\btl_[A-Za-z0-9_-]{20,}/],
  ['argon2 hash', /\$argon2(id|i|d)\$/],
  ['otpauth URI', /otpauth:\/\//],
  ['link token', /[?&]token=[A-Za-z0-9_-]{20,}/],
  ['sha-256 digest', /^[0-9a-f]{64}$/],
  ['TOTP seed', /^[A-Z2-7]{32}$/],
];

/*
 * The places that deliberately show a secret once, as `METHOD /path#json.path` of the answer
 * (`[]` for array items). Everything else that matches the deny-list is a leak.
 */
const shownOnce: Record<string, string> = {
  'POST /api/v1/api-keys#secret': 'the API key itself, shown at creation only',
  'POST /api/v1/me/mfa/totp#secret': 'the TOTP seed to type into an authenticator app, at setup only',
  'POST /api/v1/me/mfa/totp#otpauthUri': 'the same seed as a QR-code URI, at setup only',
  'POST /api/v1/me/mfa/totp/confirm#recoveryCodes[]': 'recovery codes, once, when MFA is confirmed',
  'POST /api/v1/users#temporaryPassword': 'Add user: the temporary password, shown once',
  'POST /api/v1/customers/{id}/users#temporaryPassword': 'a delegated admin adds a customer user: shown once',
  'POST /api/v1/customers/{id}/users/{uid}/password-reset#temporaryPassword': 'a delegated reset: shown once',
  'POST /api/v1/reseller-invitations#email.link': 'the sender gets the link (draft email) to pass on',
  'POST /api/v1/reseller-invitations#email.text': 'the draft email\'s text carries the same link',
  'POST /api/v1/customer-invitations#email.link': 'the sender gets the link (draft email) to pass on',
  'POST /api/v1/customer-invitations#email.text': 'the draft email\'s text carries the same link',
  // The embedded mailbox is the recipient's inbox (each user reads only mail addressed to them,
  // ISO-02): an invitation email carries its link there by design.
  'GET /api/v1/mailbox#items[].text': 'an invitation email in its recipient\'s inbox',
};
/*
 * Property names that contain a denied word but hold a flag or a count about a secret, never the
 * secret: allowed everywhere.
 */
const flagsAboutSecrets = new Set([
  'mustChangePassword',
  'mfaEnrolled',
  'mfaEnrollmentRequired',
  'mfaRequired',
  'recoveryCodesLeft',
  // A key's description (id, name, prefix, roles), never its secret: POST /api-keys, GET /me.
  'apiKey',
]);

interface Hit {
  where: string;
  why: string;
}

/** Deny-list hits of one answer; `route` is the documented `METHOD /path` it answered. */
function denyListHits(route: string, body: Json): Hit[] {
  const hits: Hit[] = [];
  const visit = (value: Json, at: string) => {
    const allowed = shownOnce[`${route}#${at}`] !== undefined;
    if (typeof value === 'string') {
      for (const [what, shape] of secretShapes) if (shape.test(value) && !allowed) hits.push({ where: `${route}#${at}`, why: what });
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, `${at}[]`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [name, inner] of Object.entries(value)) {
      const path = at === '' ? name : `${at}.${name}`;
      if (deniedName.test(name) && !flagsAboutSecrets.has(name) && shownOnce[`${route}#${path}`] === undefined && inner !== null) {
        hits.push({ where: `${route}#${path}`, why: `property name ${name}` });
      }
      visit(inner, path);
    }
  };
  visit(body, '');
  return hits;
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('ISO-09 and AUTHZ-05 over the shared fixture', () => {
  let t: TestContext;
  let f: Fixture;
  let document: OpenApiDocument;
  let tools: SchemaTools;
  const hits: Hit[] = [];
  const violations: string[] = [];
  let scanned = 0;
  /** Secrets the writes below showed once: no later answer may carry any of them. */
  const shown: string[] = [];

  beforeAll(async () => {
    t = await createTestContext();
    f = await buildFixture(t);
    await giveMembershipIds(t, f);
    document = (await f.operator.get<OpenApiDocument>('/api/openapi.json')).body;
    tools = new SchemaTools(document);
    // A subscription in C5 (P2 orders naming Rm), so that the subscription routes answer 2xx too.
    const skuId = await catalogSku(f.operator, 'Exposure');
    expectOk(
      await f.tenants.P2.admin.post(
        `/api/v1/customers/${f.tenants.C5.id}/orders`,
        { resellerId: f.tenants.Rm.id, lines: [{ skuId, quantity: 2, billingCycle: 'monthly' }] },
        { 'idempotency-key': 'exposure-1' },
      ),
      201,
    );
  }, 240_000);
  afterAll(() => t.close());

  /** Every answer of this file: deny-list scan, and the documented schema (strict objects) for a 2xx. */
  const scan = (method: string, path: string, reply: Reply<unknown>) => {
    scanned += 1;
    const route = `${method} ${path}`;
    if (reply.raw !== '' && reply.body !== null) hits.push(...denyListHits(route, reply.body as Json));
    for (const secret of shown) if (reply.raw.includes(secret)) hits.push({ where: route, why: 'a secret shown once, shown again' });
    const response = document.paths[path]?.[method.toLowerCase()]?.responses[String(reply.status)];
    const type = Object.keys(response?.content ?? {})[0];
    // A text answer (the audit log's CSV) has no JSON body to validate; the deny-list scan above is JSON's.
    if (reply.status < 300 && type !== undefined && type.endsWith('json')) {
      const validate = tools.validator(`/paths/${pointerSegment(path)}/${method.toLowerCase()}/responses/${reply.status}/content/${pointerSegment(type)}/schema`);
      if (!validate(reply.body)) violations.push(`${route} ${reply.status}: ${tools.errorsOf(validate)}`);
    }
  };

  it('AUTHZ-05: the places that show a secret once show it, and only there; no later answer repeats it', async () => {
    const ga = f.tenants.R1a.admin;
    const key = await ga.post<{ secret: string }>('/api/v1/api-keys', { name: 'exposure key', roles: ['admin_agent'] });
    scan('POST', '/api/v1/api-keys', key);
    shown.push(expectOk(key, 201).secret);
    const added = await ga.post<{ temporaryPassword: string; user: { email: string } }>('/api/v1/users', { displayName: 'Exposure User', email: 'exposure@r1a-reseller.test', roles: ['admin_agent'] });
    scan('POST', '/api/v1/users', added);
    const temporary = expectOk(added, 201).temporaryPassword;
    shown.push(temporary);
    // The new user changes the password and sets MFA up: the seed and the recovery codes are shown once.
    const user = await signIn(t, 'exposure@r1a-reseller.test', temporary);
    expect((await user.post('/api/v1/me/password', { currentPassword: temporary, newPassword: 'exposure user phrase' })).status).toBe(204);
    const recovery = await enrollMfa(t, user, 'exposure@r1a-reseller.test');
    shown.push(...recovery);
    const invitation = await ga.post<{ invitation: { id: string }; email: { link: string } }>('/api/v1/customer-invitations', { email: 'admin@exposure-customer.test' });
    scan('POST', '/api/v1/customer-invitations', invitation);
    const issued = issuedFrom(expectOk(invitation, 201));
    // The public preview (GET, the one route with a required query) is a tenant answer too.
    const preview = await t.client().get<unknown>(`/api/v1/invitations/${issued.id}?token=${issued.token}`);
    scan('GET', '/api/v1/invitations/{id}', preview);
    expect([preview.status, preview.headers['cache-control']]).toEqual([200, 'no-store']);
    shown.push(issued.token);
    // Setting MFA up again from a fresh user, with the answers scanned this time.
    const second = expectOk(await ga.post<{ temporaryPassword: string }>('/api/v1/users', { displayName: 'Second', email: 'second@r1a-reseller.test', roles: [] }), 201);
    const other = await signIn(t, 'second@r1a-reseller.test', second.temporaryPassword);
    expect((await other.post('/api/v1/me/password', { currentPassword: second.temporaryPassword, newPassword: 'second user phrase' })).status).toBe(204);
    const setup = await other.post<{ secret: string; otpauthUri: string }>('/api/v1/me/mfa/totp');
    scan('POST', '/api/v1/me/mfa/totp', setup);
    expect(expectOk(setup, 201).otpauthUri).toMatch(/^otpauth:\/\//);
    shown.push(setup.body.secret);
    expect(hits).toEqual([]);
    // The allow-list is not vacuous: the same answers, scanned as another route, are hits.
    expect(denyListHits('POST /api/v1/elsewhere', key.body as Json).map((h) => h.why)).toContain('property name secret');
    expect(denyListHits('POST /api/v1/elsewhere', setup.body as Json).map((h) => h.why)).toEqual(expect.arrayContaining(['property name secret', 'otpauth URI', 'TOTP seed']));
    expect(denyListHits('POST /api/v1/elsewhere', invitation.body as Json).map((h) => h.why)).toContain('link token');
  });

  it('AUTHZ-05: response objects are strict in the document, and the serializer strips what a handler adds beyond them', () => {
    // Every object of every documented answer (responses and output components) forbids extra keys.
    const loose: string[] = [];
    const walk = (value: Json, at: string) => {
      if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${at}/${i}`));
      if (!isSchema(value)) return;
      if (value['type'] === 'object' && isSchema(value['properties']) && value['additionalProperties'] !== false) loose.push(at);
      for (const [k, v] of Object.entries(value)) walk(v, `${at}/${k}`);
    };
    for (const [path, ops] of Object.entries(document.paths)) for (const [m, op] of Object.entries(ops)) walk(op.responses as unknown as Json, `${m} ${path}`);
    // Components named *Input are request schemas (zod's input side); the others are what answers use.
    for (const [name, schema] of Object.entries(document.components.schemas)) if (!name.endsWith('Input')) walk(schema, name);
    expect(loose).toEqual([]);
    // The serializer parses with the route's zod schema (strip mode): a handler that handed it a
    // row with a password hash and a TOTP seed sends neither.
    const serialize = serializerCompiler({ schema: User, method: 'GET', url: '/api/v1/me', httpStatus: '200' });
    const row = {
      id: '0b3c7a52-6b4e-4a8e-9d3f-1c2b3a4d5e6f',
      organizationId: '1b3c7a52-6b4e-4a8e-9d3f-1c2b3a4d5e6f',
      displayName: 'Row',
      email: 'row@example.test',
      roles: [],
      status: 'active',
      mustChangePassword: false,
      mfaEnrolled: true,
      createdAt: '2026-11-02T09:00:00.000Z',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def',
      totpSeed: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    };
    const sent = JSON.parse(serialize(row)) as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(Object.keys(User.shape).sort());
    expect(JSON.stringify(sent)).not.toMatch(/argon2|JBSWY3DP/);
  });

  it('ISO-09 and AUTHZ-05: every GET route the callers reach answers 2xx with Cache-Control: no-store, a strict documented body and nothing on the deny-list', async () => {
    const gets = Object.entries(document.paths)
      .filter(([, ops]) => ops['get'] !== undefined)
      .map(([path]) => ({ path, params: [...path.matchAll(/\{[^}]+\}/g)].length, required: (document.paths[path]?.['get']?.parameters ?? []).some((p) => p.in === 'query' && p.required === true) }))
      .sort((a, b) => a.params - b.params);
    const callers = f.principals.filter((p) => !p.label.endsWith('key') || p.tenant === 'R1a');
    const reachedRoutes = new Set<string>();
    const problems: string[] = [];
    let answers2xx = 0;
    for (const principal of callers) {
      // Ids the caller was shown by its own answers (and its own organization), per answer path.
      const seen = new Set<string>([principal.actor.organizationId]);
      const answered = new Map<string, string>();
      const get = async (path: string, url: string) => {
        const reply = await principal.client.get<unknown>(url);
        scan('GET', path, reply);
        if (reply.status >= 200 && reply.status < 300) {
          answers2xx += 1;
          reachedRoutes.add(path);
          if (reply.headers['cache-control'] !== 'no-store') problems.push(`${principal.label} GET ${url}: Cache-Control ${String(reply.headers['cache-control'])}`);
          answered.set(url, reply.raw);
          for (const id of reply.raw.match(uuidPattern) ?? []) seen.add(id);
        }
        return reply;
      };
      for (const route of gets) {
        if (route.required) continue;
        if (route.params === 0) {
          await get(route.path, route.path);
          continue;
        }
        // The first id from everything seen; each further id from the answer of the route's prefix.
        const segments = route.path.split(/(\{[^}]+\})/).filter((s) => s !== '');
        let urls = [''];
        for (const segment of segments) {
          if (!segment.startsWith('{')) {
            urls = urls.map((u) => u + segment);
            continue;
          }
          urls = urls.flatMap((u) => {
            const prefix = answered.get(u.replace(/\/$/, ''));
            const candidates = u.split('/').some((s) => isUuid.test(s)) ? [...(prefix?.match(uuidPattern) ?? [])] : [...seen];
            return [...new Set(candidates)].slice(0, 40).map((id) => u + id);
          });
        }
        for (const url of urls) await get(route.path, url);
      }
    }
    const unreached = gets.filter((r) => !r.required && !reachedRoutes.has(r.path)).map((r) => r.path);
    reportFigures('ISO-09/AUTHZ-05 GET walk', { getRoutes: gets.length, reached: reachedRoutes.size, answers2xx, scanned, hits: hits.length, schemaViolations: violations.length });
    countLeaks(hits.length);
    expect(problems).toEqual([]);
    expect(hits).toEqual([]);
    expect(violations).toEqual([]);
    expect(unreached).toEqual([]);
  }, 300_000);

  it('ISO-09: no shared cache: the same path as tenant A, then as tenant B, gives B its own answer', async () => {
    const paths = Object.entries(document.paths)
      .filter(([path, ops]) => ops['get'] !== undefined && !path.includes('{') && path.startsWith('/api/'))
      .map(([path]) => path);
    const callers: Principal[] = f.principals.filter((p) => !p.label.endsWith('key') || p.tenant === 'R1a');
    let pairs = 0;
    let differing = 0;
    const problems: string[] = [];
    for (const path of paths) {
      for (let i = 0; i < callers.length; i += 1) {
        const a = callers[i];
        const b = callers[(i + 1) % callers.length];
        if (a === undefined || b === undefined || a.actor.organizationId === b.actor.organizationId) continue;
        const own = await b.client.get<unknown>(path);
        const warmed = await a.client.get<unknown>(path);
        const after = await b.client.get<unknown>(path);
        for (const [reply, method] of [[own, 'GET'], [warmed, 'GET'], [after, 'GET']] as [Reply<unknown>, string][]) scan(method, path, reply);
        // A 2xx body must be B's own to the byte; a refusal carries its own request id, so its status
        // and code are compared.
        const answer = (r: Reply<unknown>) => (r.status < 300 ? `${r.status} ${r.raw}` : `${r.status} ${String((r.body as { code?: unknown } | null)?.code)}`);
        pairs += 1;
        if (answer(warmed) !== answer(own)) differing += 1;
        if (answer(after) !== answer(own)) problems.push(`${path}: ${b.label} got another answer after ${a.label} (${after.status})`);
      }
    }
    reportFigures('ISO-09 cache', { paths: paths.length, pairs, pairsWithDifferentAnswers: differing, problems: problems.length });
    expect(problems).toEqual([]);
    expect(differing).toBeGreaterThan(pairs / 2);
    expect(hits).toEqual([]);
  }, 120_000);
});
