import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, errorStatus } from '@tierlink/contract';
import { createCustomer, createOperator, createPartner, expectOk, relate, type Client, type OrgHandle, type TestContext, createTestContext } from '../../../test/harness.ts';
import { recordSecret } from '../../../test/log-capture.ts';
import { partnerCenterCodes, partnerCenterCode } from './partner-center.errors.ts';

/*
 * The compatible API's credentials and error shape: API keys and OAuth client-credentials tokens
 * (never session cookies), Partner Center's error body on every refusal — the guard's, the
 * framework's, the router's — and the mapping of every native error code.
 */

interface PcErrorBody {
  code: number;
  description: string;
  data: unknown[];
  source: string;
}

function expectPcError(reply: { status: number; body: unknown; headers: Record<string, unknown> }, status: number, code: number, native?: string): void {
  expect(reply.status).toBe(status);
  const body = reply.body as PcErrorBody;
  expect(Object.keys(body).sort()).toEqual(['code', 'data', 'description', 'source']);
  expect(body).toMatchObject({ code, data: [], source: 'PartnerFD' });
  expect(typeof body.description).toBe('string');
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  if (native !== undefined) expect(reply.headers['tierlink-error-code']).toBe(native);
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('compatible API: credentials and errors', () => {
  let t: TestContext;
  let provider: OrgHandle;
  let keyId: string;
  let secret: string;
  let apiKey: Client;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Token Provider', 'indirect_provider');
    const created = expectOk(await provider.admin.post<{ apiKey: { id: string }; secret: string }>('/api/v1/api-keys', { name: 'PC tool', roles: ['admin_agent'] }), 201);
    keyId = created.apiKey.id;
    secret = created.secret;
    apiKey = t.client();
    apiKey.apiKey = secret;
  });
  afterAll(() => t.close());

  async function token(fields: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: form(fields),
    });
    const body = JSON.parse(response.body) as Record<string, unknown>;
    if (typeof body['access_token'] === 'string') recordSecret(body['access_token']);
    return { status: response.statusCode, body, headers: response.headers };
  }

  it('POST /oauth2/token: client credentials (API key id + key) give a one-hour bearer token that the facade accepts', async () => {
    const answer = await token({ grant_type: 'client_credentials', client_id: keyId, client_secret: secret, scope: 'https://api.partnercenter.microsoft.com/.default' });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(answer.headers['cache-control']).toBe('no-store');
    const accessToken = String(answer.body['access_token']);
    expect(accessToken).not.toContain(secret);

    const client = t.client();
    client.apiKey = accessToken;
    const reply = expectOk(await client.get<{ totalCount: number; attributes: { objectType: string } }>('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf'));
    expect(reply).toMatchObject({ totalCount: 0, attributes: { objectType: 'Collection' } });

    // Expired after the hour.
    t.clock.advance(3601 * 1000);
    const expired = await client.get('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf');
    expectPcError(expired, 401, 800001, 'unauthenticated');
    expect(expired.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('HTTP Basic client authentication works too; wrong credentials answer RFC 6749 errors', async () => {
    const basic = Buffer.from(`${keyId}:${secret}`).toString('base64');
    expect((await token({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` })).status).toBe(200);

    const wrong = await token({ grant_type: 'client_credentials', client_id: keyId, client_secret: 'tl_not-the-key-at-all' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    const otherId = await token({ grant_type: 'client_credentials', client_id: '00000000-0000-4000-8000-000000000000', client_secret: secret });
    expect(otherId.body['error']).toBe('invalid_client');
    const grant = await token({ grant_type: 'password', client_id: keyId, client_secret: secret });
    expect([grant.status, grant.body['error']]).toEqual([400, 'unsupported_grant_type']);
  });

  it('a revoked key\'s tokens stop working at once', async () => {
    const created = expectOk(await provider.admin.post<{ apiKey: { id: string }; secret: string }>('/api/v1/api-keys', { name: 'short-lived', roles: ['admin_agent'] }), 201);
    const answer = await token({ grant_type: 'client_credentials', client_id: created.apiKey.id, client_secret: created.secret });
    const client = t.client();
    client.apiKey = String(answer.body['access_token']);
    expectOk(await client.get('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf'));
    expectOk(await provider.admin.delete(`/api/v1/api-keys/${created.apiKey.id}`));
    expectPcError(await client.get('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf'), 401, 800001);
  });

  it('session cookies are not accepted on /v1: a signed-in user is anonymous there', async () => {
    expectPcError(await provider.admin.get('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf'), 401, 800001, 'unauthenticated');
  });

  it('framework refusals come out in Partner Center\'s shape: validation, bad JSON, unknown route, unsupported operation', async () => {
    expectPcError(await apiKey.get('/v1/relationships?relationship_type=Nope'), 400, 2000, 'validation_failed');
    const badJson = await apiKey.request('PATCH', `/v1/customers/${provider.id}`, '{"RelationshipToPartner":', { 'content-type': 'application/json' });
    expectPcError(badJson, 400, 2000, 'malformed_body');
    expectPcError(await apiKey.get('/v1/no-such-thing'), 404, 1000, 'not_found');
    const unsupported = await apiKey.post('/v1/customers', { CompanyProfile: { Domain: 'x.onmicrosoft.com' } });
    expectPcError(unsupported, 501, 971100, 'not_supported');
    expect((unsupported.body as unknown as PcErrorBody).description).toContain('invitation');
    // A customer the caller does not serve: Partner Center's tenant-not-found code.
    expectPcError(await apiKey.get('/v1/customers/00000000-0000-4000-8000-000000000000'), 404, 60003, 'not_found');
  });

  it('MS-RequestId and MS-CorrelationId are echoed, or made up when missing', async () => {
    const reply = await apiKey.get('/v1/relationships?relationship_type=IsIndirectResellerOf', { 'ms-requestid': 'req-1', 'ms-correlationid': 'corr-1' });
    expect([reply.headers['ms-requestid'], reply.headers['ms-correlationid']]).toEqual(['req-1', 'corr-1']);
    const made = await apiKey.get('/v1/relationships?relationship_type=IsIndirectResellerOf');
    expect(String(made.headers['ms-requestid'])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET /v1/customers pages with seekOperation=Next and MS-ContinuationToken from links.next until the last page', async () => {
    for (const name of ['Alpha Paging', 'Beta Paging', 'Gamma Paging']) await relate(provider, await createCustomer(t, name));
    interface Page {
      totalCount: number;
      items: { companyProfile: { companyName: string } }[];
      continuationToken?: string;
      links: { self: { uri: string }; next?: { uri: string; headers: { key: string; value: string }[] } };
    }
    const seen: string[] = [];
    let page = expectOk(await apiKey.get<Page>('/v1/customers?size=2'));
    seen.push(...page.items.map((c) => c.companyProfile.companyName));
    expect(page.totalCount).toBe(2);
    while (page.links.next !== undefined) {
      const next = page.links.next;
      const header = next.headers.find((h) => h.key === 'MS-ContinuationToken');
      expect(header?.value).toBe(page.continuationToken);
      expect(next.uri).toContain('seekOperation=Next');
      page = expectOk(await apiKey.get<Page>(`/v1${next.uri}`, { 'ms-continuationtoken': header?.value ?? '' }));
      seen.push(...page.items.map((c) => c.companyProfile.companyName));
    }
    expect(seen).toEqual(['Alpha Paging', 'Beta Paging', 'Gamma Paging']);
    expect(page.continuationToken).toBeUndefined();
    // Next without the token is refused, naming the header.
    const refused = await apiKey.get<PcErrorBody>('/v1/customers?size=2&seekOperation=Next');
    expectPcError(refused, 400, 2000, 'validation_failed');
    expect(refused.body.description).toContain('MS-ContinuationToken');
  });

  it('every native error code maps to a numeric Partner Center code (the table names each one)', () => {
    const missing = errorCodes.filter((code) => !(code in partnerCenterCodes));
    expect(missing, 'native error codes without an entry in partnerCenterCodes (add them, and to docs/partner-center-api.md)').toEqual([]);
    for (const code of errorCodes) {
      const mapped = partnerCenterCodes[code];
      if (errorStatus[code] === 429) expect(mapped, code).toBeNull();
      else expect(Number.isInteger(partnerCenterCode(code, errorStatus[code])), code).toBe(true);
    }
    expect(partnerCenterCodes.relationship_not_active).toBe(20002);
    expect(partnerCenterCodes.precondition_failed).toBe(2055);
    expect(partnerCenterCodes.partner_of_record_required).toBe(800016);
    expect(partnerCenterCodes.not_found).toBe(1000);
  });
});
