import { clientRoutes } from '@tierlink/client';
import { describe, expect, it } from 'vitest';
import { baseUrl } from './harness.ts';

describe('the typed client', () => {
  it('has one function for every route of the API', async () => {
    const response = await fetch(`${baseUrl()}/api/openapi.json`);
    const spec = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    const methods = ['get', 'post', 'put', 'patch', 'delete'];
    const served = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, item]) => Object.keys(item).filter((m) => methods.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const client = clientRoutes();
    // A route added to the server needs its entry in packages/client/src/routes.ts (and back).
    expect(served.filter((r) => !client.includes(r)), 'served routes missing from packages/client/src/routes.ts').toEqual([]);
    expect(client.filter((r) => !served.includes(r)), 'client entries the server does not serve').toEqual([]);
  });

  it('serves the portal for page addresses and problem+json for unknown API paths', async () => {
    const page = await fetch(`${baseUrl()}/invitations/00000000-0000-4000-8000-000000000000?token=x`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const api = await fetch(`${baseUrl()}/api/v1/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });
});
