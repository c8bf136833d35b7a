import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission, type Program, type RouteAccess } from '@tierlink/contract';
import { routeAccessOf } from '../src/platform/http/access.ts';
import { iterations, proofSeed, reportFigures } from './crash/proof-profile.ts';
import { buildFixture, providerNames, resellerNames, type Fixture, type Principal } from './fixture.ts';
import { createTestContext, expectOk, type Client, type TestContext } from './harness.ts';
import { isSchema, pointerSegment, SchemaTools, type Json, type OpenApiDocument, type Operation, type Parameter } from './openapi-schema.ts';

/*
 * INPUT-01, fuzzing driven by the OpenAPI document (the checks of Schemathesis, in TypeScript).
 * For every operation of /api/openapi.json, as every principal of the shared fixture and without
 * credentials, fast-check generates schema-valid and schema-invalid path parameters, queries and
 * bodies; each answer must be:
 *   not_a_server_error        never a 5xx;
 *   status_code_conformance   a status the operation documents (exactly, or by its class);
 *   content_type_conformance  the documented content type (none for a 204);
 *   response_schema_conformance  a body the documented schema accepts (ajv, JSON Schema 2020-12);
 *   negative_data_rejection   schema-invalid input from a caller the guard lets through → 400/422;
 *   ignored_auth              an operation that needs credentials, called without → 401.
 * Path ids of reads come from the fixture (so answers are real objects) or are random; writes get
 * random ids only, so the fixture survives. Signing out is sent with API keys and without
 * credentials only: a session it ended would leave the rest of the run unauthenticated.
 * PostgreSQL only (one engine is enough for this one); CI profile ~30 cases per operation,
 * PROOF_PROFILE=long ~200. PROOF_SEED replays a run.
 */

const casesPerOperation = iterations(30, 200);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Op {
  key: string;
  method: Method;
  path: string;
  operation: Operation;
  pointer: string;
  access: RouteAccess;
  needsCredentials: boolean;
}

interface Caller {
  label: string;
  client: Client;
  /** null: no credentials. */
  principal: Principal | null;
  programs: readonly Program[];
}

interface Case {
  caller: number;
  negative: boolean;
  pick: number;
  values: { [key: string]: Json };
  body: Json | undefined;
}

interface Failure {
  check: string;
  detail: string;
}

describe('INPUT-01: OpenAPI-driven fuzzing (every operation × every fixture principal and none)', () => {
  let t: TestContext;
  let f: Fixture;
  let document: OpenApiDocument;
  let tools: SchemaTools;
  let ops: Op[];
  let callers: Caller[];
  let knownIds: string[];

  beforeAll(async () => {
    t = await createTestContext();
    f = await buildFixture(t);
    document = expectOk(await t.client().get<OpenApiDocument>('/api/openapi.json'));
    tools = new SchemaTools(document);
    const access = new Map(routeAccessOf(t.app).map((r) => [`${r.method} ${r.path}`, r.access]));
    ops = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([m, operation]) => {
        const method = methods.find((x) => x === m.toUpperCase());
        const key = `${m.toUpperCase()} ${path}`;
        const guard = access.get(key);
        if (method === undefined || guard === undefined) return [];
        const security = operation.security ?? document.security ?? [];
        return [{ key, method, path, operation, pointer: `/paths/${pointerSegment(path)}/${m}`, access: guard, needsCredentials: security.length > 0 }];
      }),
    );
    const programsOf = (p: Principal): readonly Program[] =>
      (providerNames as readonly string[]).includes(p.tenant) ? ['indirect_provider'] : (resellerNames as readonly string[]).includes(p.tenant) ? ['indirect_reseller'] : [];
    callers = [
      ...f.principals.map((p) => ({ label: p.label, client: p.client, principal: p, programs: programsOf(p) })),
      { label: 'anonymous', client: t.client(), principal: null, programs: [] },
    ];
    const g = f.graph;
    knownIds = [
      g.operator.id,
      ...Object.values(g.tenants).map((x) => x.id),
      ...g.grants.map((x) => x.id),
      ...g.invitations.map((x) => x.id),
      ...g.apiKeys.map((x) => x.id),
      ...g.users.map((x) => x.id),
      ...g.partnerships.map((x) => x.id),
      ...g.relationships.map((x) => x.id),
    ];
  }, 300_000);
  afterAll(() => t.close());

  /** Whether the guard lets the caller through (fixture principals are past every gate). */
  function passesGuard(op: Op, caller: Caller): boolean {
    if (op.access === 'public') return true;
    const p = caller.principal;
    if (p === null) return false;
    if (op.access === 'authenticated') return true;
    return hasPermission({ roles: p.actor.roles, organizationKind: p.actor.kind, approvedPrograms: caller.programs }, op.access);
  }

  /** Valid values of every parameter and of the body, as one record. */
  function validInput(op: Op): fc.Arbitrary<{ values: { [key: string]: Json }; body: Json | undefined }> {
    const parameters = op.operation.parameters ?? [];
    const record: Record<string, fc.Arbitrary<Json>> = {};
    const required: string[] = [];
    for (const parameter of parameters) {
      if (parameter.in === 'header' || parameter.in === 'cookie') continue;
      const name = `${parameter.in}:${parameter.name}`;
      if (parameter.in === 'path' && parameter.schema['format'] === 'uuid') {
        // Reads address real fixture objects half of the time; writes never do (the fixture must survive).
        record[name] = op.method === 'GET' && knownIds.length > 0 ? fc.oneof(fc.constantFrom(...knownIds), fc.uuid()) : fc.uuid();
      } else {
        record[name] = tools.valid(parameter.schema);
      }
      if (parameter.required === true || parameter.in === 'path') required.push(name);
    }
    const bodySchema = op.operation.requestBody?.content['application/json']?.schema;
    const params = fc.record(record, { requiredKeys: required }).map((o) => o as { [key: string]: Json });
    if (bodySchema === undefined) return params.map((values) => ({ values, body: undefined }));
    return fc.tuple(params, tools.valid(bodySchema)).map(([values, body]) => ({ values, body }));
  }

  /** Schema-invalid variants of one valid input: a bad parameter or a bad body. */
  function invalidVariants(op: Op, input: { values: { [key: string]: Json }; body: Json | undefined }): { values: { [key: string]: Json }; body: Json | undefined; what: string }[] {
    const out: { values: { [key: string]: Json }; body: Json | undefined; what: string }[] = [];
    for (const parameter of op.operation.parameters ?? []) {
      if (parameter.in === 'header' || parameter.in === 'cookie') continue;
      const name = `${parameter.in}:${parameter.name}`;
      for (const bad of invalidParameter(parameter)) out.push({ values: { ...input.values, [name]: bad }, body: input.body, what: `${name}=${JSON.stringify(bad)}` });
      if (parameter.required === true && parameter.in === 'query') {
        out.push({ values: Object.fromEntries(Object.entries(input.values).filter(([k]) => k !== name)), body: input.body, what: `${name} left out` });
      }
    }
    const bodyPointer = `${op.pointer}/requestBody/content/application~1json/schema`;
    const bodySchema = op.operation.requestBody?.content['application/json']?.schema;
    if (bodySchema !== undefined && input.body !== undefined) {
      const validate = tools.validator(bodyPointer);
      for (const bad of tools.invalid(bodySchema, input.body)) {
        // Only what the documented schema itself refuses counts as negative data.
        if (!validate(bad)) out.push({ values: input.values, body: bad, what: `body ${JSON.stringify(bad).slice(0, 120)}` });
      }
    }
    return out;
  }

  function invalidParameter(parameter: Parameter): string[] {
    const schema = tools.resolve(parameter.schema);
    const out: string[] = [];
    if (schema['format'] === 'uuid') out.push('not-a-uuid', '12345');
    if (schema['type'] === 'integer') {
      out.push('abc', '1.5');
      if (typeof schema['minimum'] === 'number') out.push(String(schema['minimum'] - 1));
      if (typeof schema['maximum'] === 'number') out.push(String(schema['maximum'] + 1));
    }
    if (schema['type'] === 'string' && typeof schema['maxLength'] === 'number' && parameter.in === 'query') out.push('x'.repeat(schema['maxLength'] + 1));
    if (schema['type'] === 'string' && typeof schema['minLength'] === 'number' && schema['minLength'] > 0 && parameter.in === 'query') out.push('');
    if (Array.isArray(schema['enum'])) out.push('not_in_the_enum');
    return out;
  }

  function urlOf(op: Op, values: { [key: string]: Json }): string {
    const path = op.path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values[`path:${name}`] ?? randomUUID())));
    const query = Object.entries(values)
      .filter(([k, v]) => k.startsWith('query:') && v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k.slice('query:'.length))}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`);
    return query.length === 0 ? path : `${path}?${query.join('&')}`;
  }

  /** The checks of one answer against the document. */
  function conformance(op: Op, status: number, contentType: string, raw: string): Failure[] {
    const failures: Failure[] = [];
    if (status >= 500) failures.push({ check: 'not_a_server_error', detail: `${status} ${raw.slice(0, 200)}` });
    const responses = op.operation.responses;
    const key = [String(status), `${String(status)[0] ?? ''}XX`, 'default'].find((k) => responses[k] !== undefined);
    if (key === undefined) return [...failures, { check: 'status_code_conformance', detail: `${status} not documented (${Object.keys(responses).join(', ')})` }];
    const documented = responses[key]?.content;
    const type = contentType.split(';')[0]?.trim() ?? '';
    if (documented === undefined) {
      if (raw !== '') failures.push({ check: 'content_type_conformance', detail: `${status} documents no body, got ${type} ${raw.slice(0, 120)}` });
      return failures;
    }
    const media = documented[type];
    if (media === undefined) return [...failures, { check: 'content_type_conformance', detail: `${status} ${type || '(none)'}, documented ${Object.keys(documented).join(', ')}` }];
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return [...failures, { check: 'response_schema_conformance', detail: `${status}: not JSON: ${raw.slice(0, 120)}` }];
    }
    const validate = tools.validator(`${op.pointer}/responses/${key}/content/${pointerSegment(type)}/schema`);
    if (!validate(body)) failures.push({ check: 'response_schema_conformance', detail: `${status}: ${tools.errorsOf(validate)} in ${raw.slice(0, 200)}` });
    return failures;
  }

  it('every operation, every caller: no 5xx, documented statuses, content types and bodies; invalid input 400/422; no credentials 401', async () => {
    const failures: string[] = [];
    const counts: Record<string, number> = {};
    const bump = (k: string) => {
      counts[k] = (counts[k] ?? 0) + 1;
    };
    let cases = 0;
    let negatives = 0;
    let serverErrors = 0;
    for (const [index, op] of ops.entries()) {
      const signOut = op.key === 'DELETE /api/v1/sessions';
      const eligible = callers.map((c, i) => ({ c, i })).filter(({ c }) => !signOut || c.principal === null || c.principal.actor.email === null);
      const arbitrary = fc.record({
        caller: fc.constantFrom(...eligible.map(({ i }) => i)),
        negative: fc.boolean(),
        pick: fc.nat(),
        input: validInput(op),
      });
      const generated = fc.sample(arbitrary, { numRuns: casesPerOperation, seed: proofSeed + index });
      for (const [n, g] of generated.entries()) {
        const caller = callers[g.caller];
        if (caller === undefined) continue;
        const variants = g.negative ? invalidVariants(op, g.input) : [];
        const variant = variants.length === 0 ? undefined : variants[g.pick % variants.length];
        const c: Case = { caller: g.caller, negative: variant !== undefined, pick: g.pick, values: variant?.values ?? g.input.values, body: variant === undefined ? g.input.body : variant.body };
        const url = urlOf(op, c.values);
        // A copy of the caller's credentials: an answer's Set-Cookie (signing up while signed in
        // signs in as the new admin) must not turn the principal into someone else for later cases.
        const client = t.client();
        client.cookie = caller.client.cookie;
        client.apiKey = caller.client.apiKey;
        const reply = await client.request<unknown>(op.method, url, c.body === undefined ? undefined : JSON.stringify(c.body), c.body === undefined ? {} : { 'content-type': 'application/json' });
        cases += 1;
        if (c.negative) negatives += 1;
        if (reply.status >= 500) serverErrors += 1;
        const found = conformance(op, reply.status, String(reply.headers['content-type'] ?? ''), reply.raw);
        if (op.needsCredentials && caller.principal === null && reply.status !== 401) {
          found.push({ check: 'ignored_auth', detail: `without credentials got ${reply.status}` });
        }
        if (c.negative && passesGuard(op, caller) && reply.status !== 400 && reply.status !== 422) {
          found.push({ check: 'negative_data_rejection', detail: `${variant?.what ?? ''} → ${reply.status} ${reply.raw.slice(0, 160)}` });
        }
        bump(c.negative ? 'negative' : 'positive');
        bump(`status ${reply.status}`);
        for (const x of found) {
          bump(x.check);
          failures.push(`[${x.check}] ${op.key} as ${caller.label} (seed ${proofSeed + index}, case ${n}): ${op.method} ${url.slice(0, 160)} ${c.body === undefined ? '' : JSON.stringify(c.body).slice(0, 200)} → ${x.detail}`);
        }
      }
    }
    reportFigures('INPUT-01', {
      operations: ops.length,
      casesPerOperation,
      cases,
      negatives,
      serverErrors,
      failures: failures.length,
      statuses: Object.entries(counts)
        .filter(([k]) => k.startsWith('status '))
        .map(([k, v]) => `${k.slice(7)}×${v}`)
        .join(' '),
    });
    expect(failures.slice(0, 40)).toEqual([]);
    expect(ops.length).toBeGreaterThanOrEqual(60);
    expect(negatives).toBeGreaterThan(ops.length * 5);
  }, 900_000);

  it('the checks bite: a 5xx, an undocumented status, a wrong content type and a body off its schema are each reported', () => {
    const me = ops.find((o) => o.key === 'GET /api/v1/me');
    const signOut = ops.find((o) => o.key === 'DELETE /api/v1/sessions');
    if (me === undefined || signOut === undefined) throw new Error('GET /me or DELETE /sessions is not documented');
    const problem = JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, code: 'not_found', detail: 'x', requestId: randomUUID() });
    const checks = (op: Op, status: number, type: string, raw: string) => conformance(op, status, type, raw).map((x) => x.check);
    expect(checks(me, 404, 'application/problem+json', problem)).toEqual([]);
    expect(checks(me, 500, 'application/problem+json', problem.replace('not_found', 'internal_error'))).toContain('not_a_server_error');
    expect(checks(me, 302, 'text/html', '')).toEqual(['status_code_conformance']);
    expect(checks(me, 404, 'application/json', problem)).toEqual(['content_type_conformance']);
    expect(checks(me, 404, 'application/problem+json', problem.replace('not_found', 'no_such_code'))).toEqual(['response_schema_conformance']);
    expect(checks(me, 200, 'application/json', JSON.stringify({ user: null }))).toEqual(['response_schema_conformance']);
    expect(checks(signOut, 204, 'application/json', '{}')).toEqual(['content_type_conformance']);
  });

  it('the document describes every operation: a success response, errors as problem+json, and its guard', () => {
    const problems: string[] = [];
    for (const op of ops) {
      const statuses = Object.keys(op.operation.responses);
      if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${op.key}: no success response`);
      for (const s of ['4XX', '5XX']) {
        const content = op.operation.responses[s]?.content;
        if (content === undefined || Object.keys(content).join() !== 'application/problem+json') problems.push(`${op.key}: ${s} is not problem+json`);
      }
      if (op.needsCredentials !== (op.access !== 'public')) problems.push(`${op.key}: documented security does not match its guard ${op.access}`);
      for (const p of op.operation.parameters ?? []) if (!isSchema(p.schema)) problems.push(`${op.key}: parameter ${p.name} without schema`);
    }
    expect(problems).toEqual([]);
  });
});
