import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectOk, type TestContext } from './harness.ts';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

describe('the public contract', () => {
  let t: TestContext;
  let spec: OpenApi;

  beforeAll(async () => {
    t = await createTestContext();
    spec = expectOk(await t.client().get<OpenApi>('/api/openapi.json'));
  });
  afterAll(() => t.close());

  it('is OpenAPI 3.1 with a response schema and problem answers on every operation', () => {
    expect(spec.openapi).toBe('3.1.0');
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(25);
    for (const { path, method, op } of operations) {
      const responses = op.responses ?? {};
      const success = Object.entries(responses).filter(([status]) => status.startsWith('2'));
      expect(success.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, response] of success) {
        if (status === '204') continue;
        // JSON, or a documented text type (the lists' CSV exports).
        const media = Object.keys(response.content ?? {});
        expect(media, `${method} ${path} ${status}`).toEqual([path.endsWith('/export') ? 'text/csv' : 'application/json']);
        expect(Object.values(response.content ?? {})[0]?.schema, `${method} ${path} ${status}`).toBeDefined();
      }
      // Exact error statuses (openapi.ts): every operation can refuse its input and answer an outage.
      for (const status of ['400', '401', '503']) expect(responses[status], `${method} ${path} ${status}`).toBeDefined();
    }
  });

  it('answers unknown routes and methods with a 404 problem', async () => {
    for (const [method, url] of [['GET', '/api/v1/nothing-here'], ['PUT', '/api/v1/customers'], ['GET', '/api/v0/customers']] as const) {
      const reply = await t.client().request<{ code: string }>(method, url, method === 'GET' ? undefined : {});
      expect([reply.status, reply.body.code], `${method} ${url}`).toEqual([404, 'not_found']);
    }
  });
});
