import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission, type Program, type RouteAccess } from '@tierlink/contract';
import { routeAccessOf } from '../src/platform/http/access.ts';
import { iterations, proofSeed, reportFigures } from './crash/proof-profile.ts';
import { buildFixture, providerNames, resellerNames, type Fixture, type Principal } from './fixture.ts';
import { createTestContext, expectOk, isCompatiblePath, type Client, type TestContext } from './harness.ts';
import {
  edgeNumberLiterals,
  edgeNumberTexts,
  hostileTexts,
  invalidUtf8,
  isSchema,
  percentEncode,
  pointerSegment,
  replaceAt,
  SchemaTools,
  slotsOf,
  type Json,
  type OpenApiDocument,
  type Operation,
  type Parameter,
} from './openapi-schema.ts';

/*
 * INPUT-01, fuzzing driven by the OpenAPI document (the checks of Schemathesis, in TypeScript).
 * For every operation of /api/openapi.json, as every role of the shared fixture (operator,
 * provider, reseller and customer admins, API keys) and without credentials, fast-check generates
 * path parameters, queries and bodies: schema-valid, schema-invalid, hostile text (lone
 * surrogates, NUL, RTL overrides, combining marks, long grapheme clusters) in a string of the body,
 * query or path, numbers at the integer and double edges (-0, ±2^31, ±2^53, 2^53+1, 1e308, exponent
 * forms, "NaN"), bodies with bytes that are not UTF-8, and bodies declared in another charset. Each
 * answer must be:
 *   not_a_server_error        never a 5xx;
 *   status_code_conformance   a status the operation documents — exactly: the document lists each
 *                             operation's error statuses (`errorStatusesOf` in openapi.ts), no 4XX;
 *   content_type_conformance  the documented content type (none for a 204);
 *   response_schema_conformance  a body the documented schema accepts (ajv, JSON Schema 2020-12);
 *   negative_data_rejection   schema-invalid input from a caller the guard lets through → 400/422;
 *   unstorable_text_rejection text PostgreSQL cannot store, or bytes that are not UTF-8, from a
 *                             caller the guard lets through → 400;
 *   charset_rejection         a body declared in another charset than UTF-8 → 415 (before the guard);
 *   ignored_auth              an operation that needs credentials, called without → 401.
 * Once per operation, over real HTTP, the requests no route sees: a `%ff` path escape, a 300-character
 * path parameter, a 100 kB query, OPTIONS with a JSON body: problem+json (204 with Allow for
 * OPTIONS), a documented status and a Request-Id.
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
  /** operator, provider admin, reseller admin, customer admin, API key, anonymous: every operation gets cases from each. */
  role: string;
}

type Kind = 'valid' | 'invalid' | 'text' | 'number' | 'bytes' | 'charset';
const kinds: readonly Kind[] = ['valid', 'valid', 'valid', 'invalid', 'invalid', 'invalid', 'text', 'text', 'number', 'bytes', 'charset'];

/** One request to send and what its answer must be beyond the checks every answer gets. */
interface Request {
  kind: Kind;
  url: string;
  payload: string | Buffer | undefined;
  contentType: string | undefined;
  what: string;
  /** Statuses allowed when the guard lets the caller through (null: only the general checks). */
  refusedWith: readonly number[] | null;
  /** The check `refusedWith` stands for. */
  refusal: string;
  /** Refused before the route's guard runs (body parsing, Fastify's router): no 401 to expect. */
  beforeGuard: boolean;
  /** Statuses required from every caller, whatever the guard says (a charset is refused before it). */
  always: readonly number[] | null;
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
  let base: string;

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
    const roleOf = (p: Principal): string =>
      p.actor.email === null ? 'API key' : p.actor.kind === 'operator' ? 'operator' : p.actor.kind === 'customer' ? 'customer admin' : `${programsOf(p)[0] === 'indirect_provider' ? 'provider' : 'reseller'} admin`;
    callers = [
      ...f.principals.map((p) => ({ label: p.label, client: p.client, principal: p, programs: programsOf(p), role: roleOf(p) })),
      { label: 'anonymous', client: t.client(), principal: null, programs: [], role: 'anonymous' },
    ];
    // Requests no route sees (Node's parser, Fastify's router) are sent over real HTTP.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
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
    // The compatible API reads bearer credentials only: a signed-in user is anonymous there.
    if (isCompatiblePath(op.path) && p.actor.email !== null) return false;
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
    const path = op.path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => percentEncode(String(values[`path:${name}`] ?? randomUUID())));
    const query = Object.entries(values)
      .filter(([k, v]) => k.startsWith('query:') && v !== undefined)
      .map(([k, v]) => `${percentEncode(k.slice('query:'.length))}=${percentEncode(typeof v === 'string' ? v : JSON.stringify(v))}`);
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
    // A documented text answer (the audit log's CSV): its media type is the check.
    if (!type.endsWith('json')) return failures;
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

  type Input = { values: { [key: string]: Json }; body: Json | undefined };

  /** Whether the body, as JSON text, is one the documented schema refuses. */
  function bodyRefused(op: Op, text: string): boolean {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return true;
    }
    return !tools.validator(`${op.pointer}/requestBody/content/application~1json/schema`)(parsed);
  }

  /** Whether an integer query text is one the parameter's schema refuses (not a finite integer in its bounds). */
  function integerRefused(parameter: Parameter, text: string): boolean | null {
    const schema = tools.resolve(parameter.schema);
    if (text.trim() === '' || /^\s|x|_|e|E|\.0$/.test(text)) return null; // forms a lenient coercion may read: no expectation
    const n = Number(text);
    if (!Number.isFinite(n) || !Number.isInteger(n)) return true;
    if (typeof schema['minimum'] === 'number' && n < schema['minimum']) return true;
    if (typeof schema['maximum'] === 'number' && n > schema['maximum']) return true;
    return false;
  }

  const jsonType = 'application/json';
  const plain = (kind: Kind, url: string, body: Json | undefined, what: string): Request => ({
    kind,
    url,
    payload: body === undefined ? undefined : JSON.stringify(body),
    contentType: body === undefined ? undefined : jsonType,
    what,
    refusedWith: null,
    refusal: '',
    beforeGuard: false,
    always: null,
  });

  /** The request of one generated case: its kind applied to a schema-valid input. */
  function requestOf(op: Op, kind: Kind, input: Input, pick: number): Request {
    const hasBody = op.operation.requestBody?.content['application/json'] !== undefined && input.body !== undefined;
    const slots = hasBody && input.body !== undefined ? slotsOf(input.body) : { strings: [], numbers: [] };
    const stringParameters = (op.operation.parameters ?? []).filter((p) => (p.in === 'query' || p.in === 'path') && tools.resolve(p.schema)['type'] === 'string');
    const integerQueries = (op.operation.parameters ?? []).filter((p) => p.in === 'query' && ['integer', 'number'].includes(String(tools.resolve(p.schema)['type'])));
    const at = <T>(items: readonly T[]): T | undefined => items[pick % Math.max(1, items.length)];
    switch (kind) {
      case 'invalid': {
        const variants = invalidVariants(op, input);
        const variant = at(variants);
        if (variant === undefined) return plain('valid', urlOf(op, input.values), input.body, 'valid');
        return { ...plain('invalid', urlOf(op, variant.values), variant.body, variant.what), refusedWith: [400, 422], refusal: 'negative_data_rejection' };
      }
      case 'text': {
        const hostile = hostileTexts[pick % hostileTexts.length] ?? hostileTexts[0];
        if (hostile === undefined) throw new Error('no hostile texts');
        // A body string, else a string parameter, else an extra query parameter no route reads.
        const slot = at(slots.strings);
        if (slot !== undefined && input.body !== undefined) {
          const body = replaceAt(input.body, slot, hostile.value);
          const text = JSON.stringify(body);
          const refusedWith = hostile.unstorable ? [400] : bodyRefused(op, text) ? [400, 422] : null;
          return { ...plain('text', urlOf(op, input.values), body, `${hostile.label} in body ${slot.join('.')}`), refusedWith, refusal: hostile.unstorable ? 'unstorable_text_rejection' : 'negative_data_rejection' };
        }
        const parameter = at(stringParameters);
        const name = parameter === undefined ? 'query:q' : `${parameter.in}:${parameter.name}`;
        const values = { ...input.values, [name]: hostile.value };
        // A lone surrogate in the path is an escape the router cannot decode: refused before any route (and guard) runs.
        const beforeGuard = parameter?.in === 'path';
        // A path id that is no uuid is refused (400), or, longer than the router takes, matches no route (404).
        const refusedWith = parameter?.in === 'path' ? [400, 404] : hostile.unstorable ? [400] : null;
        return { ...plain('text', urlOf(op, values), input.body, `${hostile.label} in ${name}`), refusedWith, refusal: 'unstorable_text_rejection', beforeGuard };
      }
      case 'number': {
        const slot = at(slots.numbers);
        if (slot !== undefined && input.body !== undefined) {
          const literal = edgeNumberLiterals[pick % edgeNumberLiterals.length] ?? '0';
          const marker = `@@number-${randomUUID()}@@`;
          const text = JSON.stringify(replaceAt(input.body, slot, marker)).replace(`"${marker}"`, literal);
          return { ...plain('number', urlOf(op, input.values), undefined, `${literal} in body ${slot.join('.')}`), payload: text, contentType: jsonType, refusedWith: bodyRefused(op, text) ? [400, 422] : null, refusal: 'negative_data_rejection' };
        }
        const parameter = at(integerQueries);
        if (parameter === undefined) return plain('valid', urlOf(op, input.values), input.body, 'valid');
        const edge = edgeNumberTexts[pick % edgeNumberTexts.length] ?? '0';
        const refused = integerRefused(parameter, edge);
        return { ...plain('number', urlOf(op, { ...input.values, [`query:${parameter.name}`]: edge }), input.body, `${parameter.name}=${JSON.stringify(edge)}`), refusedWith: refused === true ? [400] : null, refusal: 'negative_data_rejection' };
      }
      case 'bytes': {
        const slot = at(slots.strings);
        if (slot === undefined || input.body === undefined) return plain('valid', urlOf(op, input.values), input.body, 'valid');
        const bad = invalidUtf8[pick % invalidUtf8.length] ?? invalidUtf8[0];
        if (bad === undefined) throw new Error('no invalid UTF-8');
        const marker = `@@bytes-${randomUUID()}@@`;
        const [before = '', after = ''] = JSON.stringify(replaceAt(input.body, slot, marker)).split(marker);
        const payload = Buffer.concat([Buffer.from(before), bad.bytes, Buffer.from(after)]);
        return { ...plain('bytes', urlOf(op, input.values), undefined, `${bad.label} in body ${slot.join('.')}`), payload, contentType: jsonType, refusedWith: [400], refusal: 'unstorable_text_rejection' };
      }
      case 'charset': {
        if (op.method === 'GET') return plain('valid', urlOf(op, input.values), input.body, 'valid');
        const charset = pick % 2 === 0 ? 'utf-16' : 'latin1';
        return { ...plain('charset', urlOf(op, input.values), input.body ?? {}, `charset=${charset}`), contentType: `${jsonType}; charset=${charset}`, beforeGuard: true, always: [415] };
      }
      case 'valid':
        return plain('valid', urlOf(op, input.values), input.body, 'valid');
    }
  }

  it('every operation × every role: no 5xx, documented statuses, content types and bodies; invalid or unstorable input 400/422; no credentials 401', async () => {
    const failures: string[] = [];
    const counts: Record<string, number> = {};
    const bump = (k: string) => {
      counts[k] = (counts[k] ?? 0) + 1;
    };
    let cases = 0;
    let serverErrors = 0;
    const cells = new Set<string>();
    for (const [index, op] of ops.entries()) {
      const signOut = op.key === 'DELETE /api/v1/sessions';
      const eligible = callers.map((c, i) => ({ c, i })).filter(({ c }) => !signOut || c.principal === null || c.principal.actor.email === null);
      const roles = [...new Set(eligible.map(({ c }) => c.role))];
      const arbitrary = fc.record({ kind: fc.constantFrom(...kinds), caller: fc.nat(), pick: fc.nat(), input: validInput(op) });
      const generated = fc.sample(arbitrary, { numRuns: casesPerOperation, seed: proofSeed + index });
      for (const [n, g] of generated.entries()) {
        // Every role gets its share of every operation's cases; the principal within a role is random.
        const role = roles[n % roles.length];
        const ofRole = eligible.filter(({ c }) => c.role === role);
        const chosen = ofRole[g.caller % ofRole.length];
        if (chosen === undefined) continue;
        const caller = chosen.c;
        cells.add(`${op.key} ${caller.role}`);
        const request = requestOf(op, g.kind, g.input, g.pick);
        // A copy of the caller's credentials: an answer's Set-Cookie (signing up while signed in
        // signs in as the new admin) must not turn the principal into someone else for later cases.
        const client = t.client();
        client.cookie = caller.client.cookie;
        client.apiKey = caller.client.apiKey;
        const reply = await client.request<unknown>(op.method, request.url, request.payload, request.contentType === undefined ? {} : { 'content-type': request.contentType });
        cases += 1;
        if (reply.status >= 500) serverErrors += 1;
        const found = conformance(op, reply.status, String(reply.headers['content-type'] ?? ''), reply.raw);
        if (op.needsCredentials && caller.principal === null && !request.beforeGuard && reply.status !== 401) {
          found.push({ check: 'ignored_auth', detail: `without credentials got ${reply.status}` });
        }
        if (request.refusedWith !== null && passesGuard(op, caller) && !request.refusedWith.includes(reply.status)) {
          found.push({ check: request.refusal, detail: `${request.what} → ${reply.status} ${reply.raw.slice(0, 160)}` });
        }
        if (request.always !== null && !request.always.includes(reply.status)) {
          found.push({ check: 'charset_rejection', detail: `${request.what} → ${reply.status} ${reply.raw.slice(0, 160)}` });
        }
        bump(`kind ${request.kind}`);
        bump(`status ${reply.status}`);
        for (const x of found) {
          bump(x.check);
          const body = request.payload === undefined ? '' : typeof request.payload === 'string' ? request.payload.slice(0, 200) : `<${request.payload.length} bytes>`;
          failures.push(`[${x.check}] ${op.key} as ${caller.label} (seed ${proofSeed + index}, case ${n}, ${request.what.slice(0, 80)}): ${op.method} ${request.url.slice(0, 160)} ${body} → ${x.detail}`);
        }
      }
    }
    const probes = await frameworkProbes(failures, bump);
    reportFigures('INPUT-01', {
      operations: ops.length,
      casesPerOperation,
      cases,
      'operation × role cells': cells.size,
      'framework probes': probes,
      serverErrors,
      failures: failures.length,
      'failed checks': Object.entries(counts)
        .filter(([k]) => !k.startsWith('status ') && !k.startsWith('kind '))
        .map(([k, v]) => `${k}×${v}`)
        .join(' '),
      kinds: Object.entries(counts)
        .filter(([k]) => k.startsWith('kind '))
        .map(([k, v]) => `${k.slice(5)}×${v}`)
        .join(' '),
      statuses: Object.entries(counts)
        .filter(([k]) => k.startsWith('status '))
        .map(([k, v]) => `${k.slice(7)}×${v}`)
        .join(' '),
    });
    expect(failures.slice(0, 40)).toEqual([]);
    expect(ops.length).toBeGreaterThanOrEqual(60);
    expect(counts['kind invalid'] ?? 0).toBeGreaterThan(ops.length * 3);
    expect(counts['kind text'] ?? 0).toBeGreaterThan(ops.length);
  }, 900_000);

  /**
   * Requests the routes never see, once per operation over real HTTP: a `%ff` escape and a
   * 300-character value in a path parameter (Fastify's router), a 100 kB query (Node's parser: the
   * request line is over 16 KiB), OPTIONS with a JSON body. Returns how many were sent.
   */
  async function frameworkProbes(failures: string[], bump: (k: string) => void): Promise<number> {
    let sent = 0;
    for (const op of ops) {
      const withParam = (value: string) => op.path.replace(/\{[^}]+\}/, value).replaceAll(/\{[^}]+\}/g, () => randomUUID());
      const probes: { what: string; url: string; method: string; headers: Record<string, string>; body?: string }[] = [
        { what: '100 kB query', url: `${withParam(randomUUID())}?q=${'a'.repeat(100_000)}`, method: op.method, headers: {} },
        { what: 'OPTIONS with a JSON body', url: withParam(randomUUID()), method: 'OPTIONS', headers: { 'content-type': jsonType }, body: '{"x":' },
      ];
      if (op.path.includes('{')) {
        probes.push({ what: '%ff in a path parameter', url: withParam('%ff'), method: op.method, headers: {} });
        probes.push({ what: '300-character path parameter', url: withParam('a'.repeat(300)), method: op.method, headers: {} });
      }
      for (const probe of probes) {
        sent += 1;
        let status: number;
        let headers: Headers;
        let raw: string;
        try {
          const response = await fetch(`${base}${probe.url}`, { method: probe.method, headers: probe.headers, ...(probe.body === undefined ? {} : { body: probe.body }) });
          status = response.status;
          headers = response.headers;
          raw = await response.text();
        } catch (error) {
          bump('no_answer');
          failures.push(`[no_answer] ${op.key} ${probe.what}: ${String(error)}`);
          continue;
        }
        bump(`status ${status}`);
        const found: Failure[] = [];
        if (probe.method === 'OPTIONS') {
          const allow = headers.get('allow') ?? '';
          if (status !== 204 || !allow.split(', ').includes(op.method)) found.push({ check: 'options', detail: `${status} Allow: ${allow} ${raw.slice(0, 120)}` });
        } else if (probe.what === '100 kB query' && isCompatiblePath(op.path)) {
          // Node's parser refuses it before any path is read: problem+json even on the compatible API (docs/partner-center-api.md).
          if (status !== 400 || !(headers.get('content-type') ?? '').startsWith('application/problem+json')) found.push({ check: 'framework_refusal', detail: `expected 400 problem+json, got ${status}` });
        } else {
          found.push(...conformance(op, status, headers.get('content-type') ?? '', raw));
          // 404 where a GET path too long for the router falls through to the portal's catch-all.
          if (status !== 400 && status !== 404) found.push({ check: 'framework_refusal', detail: `expected 400 or 404, got ${status}` });
        }
        if (headers.get('request-id') === null) found.push({ check: 'request_id', detail: `${status} without Request-Id` });
        for (const x of found) {
          bump(x.check);
          failures.push(`[${x.check}] ${op.key} ${probe.what}: ${probe.method} ${probe.url.slice(0, 100)} → ${x.detail}`);
        }
      }
    }
    return sent;
  }

  it('the checks bite: a 5xx, an undocumented status, a wrong content type and a body off its schema are each reported', () => {
    const me = ops.find((o) => o.key === 'GET /api/v1/me');
    const signOut = ops.find((o) => o.key === 'DELETE /api/v1/sessions');
    if (me === undefined || signOut === undefined) throw new Error('GET /me or DELETE /sessions is not documented');
    const problem = JSON.stringify({ type: 'about:blank', title: 'Sign-in required', status: 401, code: 'unauthenticated', detail: 'x', requestId: randomUUID() });
    const checks = (op: Op, status: number, type: string, raw: string) => conformance(op, status, type, raw).map((x) => x.check);
    expect(checks(me, 401, 'application/problem+json', problem)).toEqual([]);
    expect(checks(me, 500, 'application/problem+json', problem.replace('unauthenticated', 'internal_error'))).toContain('not_a_server_error');
    expect(checks(me, 302, 'text/html', '')).toEqual(['status_code_conformance']);
    // GET /me documents no 404, 409 or 429: a class (4XX) no longer covers them.
    for (const status of [404, 409, 429]) expect(checks(me, status, 'application/problem+json', problem)).toEqual(['status_code_conformance']);
    expect(checks(me, 401, 'application/json', problem)).toEqual(['content_type_conformance']);
    expect(checks(me, 401, 'application/problem+json', problem.replace('unauthenticated', 'no_such_code'))).toEqual(['response_schema_conformance']);
    expect(checks(me, 200, 'application/json', JSON.stringify({ user: null }))).toEqual(['response_schema_conformance']);
    expect(checks(signOut, 204, 'application/json', '{}')).toEqual(['content_type_conformance']);
  });

  it('the document describes every operation: a success response, errors as problem+json, and its guard', () => {
    const problems: string[] = [];
    for (const op of ops) {
      const statuses = Object.keys(op.operation.responses);
      if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${op.key}: no success response`);
      // Exact error statuses, each problem+json: those of every route of the operation's shape at least.
      const errors = statuses.filter((s) => /^[45]/.test(s));
      const shape = ['400', '401', '503', ...(op.access === 'public' ? [] : ['403']), ...(op.path.includes('{') ? ['404'] : []), ...(op.method === 'GET' ? [] : ['403', '409', '413', '415'])];
      for (const s of shape) if (!errors.includes(s)) problems.push(`${op.key}: ${s} not documented`);
      for (const s of errors) {
        if (!/^\d{3}$/.test(s)) problems.push(`${op.key}: ${s} is a range, not a status`);
        const content = op.operation.responses[s]?.content;
        // The Partner Center–compatible API answers its errors as application/json, in Partner Center's shape.
        const errorType = isCompatiblePath(op.path) ? 'application/json' : 'application/problem+json';
        if (content === undefined || Object.keys(content).join() !== errorType) problems.push(`${op.key}: ${s} is not ${errorType}`);
      }
      if (op.needsCredentials !== (op.access !== 'public')) problems.push(`${op.key}: documented security does not match its guard ${op.access}`);
      for (const p of op.operation.parameters ?? []) if (!isSchema(p.schema)) problems.push(`${op.key}: parameter ${p.name} without schema`);
    }
    expect(problems).toEqual([]);
  });
});
