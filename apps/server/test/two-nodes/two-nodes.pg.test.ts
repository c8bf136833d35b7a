import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import { buildWorld, linkOf, partnerPassword, signUpCustomer, type ApiWorld } from '../crash/world.ts';
import { iterations, reportFigures } from '../crash/proof-profile.ts';
import { Browser, startNodes, within, type Nodes } from './cluster.ts';

/*
 * SCALE-01: two nodes behave as one. Two real server processes (each with its own worker) on one
 * PostgreSQL, behind a round-robin proxy, sharing SECRET_KEY. What one node does to a credential
 * is honoured by the other within 1 s; every limiter counts once for both; one invitation accepted
 * 50 times at once over both nodes is accepted once. Every loop is bounded in count and time.
 */

/** Low enough for the test to reach, high enough for the world it builds (RATE-02 across nodes). */
const quotaPerHour = 20;
const acceptRounds = iterations(1, 5);

interface Page<T> {
  items: T[];
}

describe('SCALE-01: two nodes on one database behave as one', () => {
  let database: TestDatabase;
  let cluster: Nodes;
  let world: ApiWorld;
  let a: string;
  let b: string;
  let origin: string;
  const figures: Record<string, number | string> = {};

  const count = async (query: ReturnType<typeof sql>): Promise<number> => {
    const result = (await database.handle.db.execute(query)) as unknown as { rows: { n: number }[] };
    return result.rows[0]?.n ?? -1;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 2 });
    if (database.url === null) throw new Error('SCALE-01 needs PostgreSQL');
    cluster = await startNodes(database.url, 2, { env: () => ({ INVITATIONS_PER_ORGANIZATION_PER_HOUR: String(quotaPerHour) }) });
    [a, b] = cluster.nodes.map((n) => n.base) as [string, string];
    origin = cluster.proxy.base;
    // Built through the proxy: every request of the setup lands on either node.
    world = await buildWorld(cluster.proxy.base, 'Two', 1, 1);
  }, 600_000);

  afterAll(async () => {
    reportFigures('SCALE-01', { ...figures, 'forwarded to a / b': cluster?.proxy.forwarded.join(' / ') ?? '' });
    await cluster?.close();
    await database?.drop();
  }, 120_000);

  /** A new session of a user, signed in on `node` directly. */
  async function signedIn(node: string, email: string, password: string): Promise<Browser> {
    const browser = new Browser(origin);
    const answer = await browser.send(node, 'POST', '/api/v1/sessions', { email, password });
    expect(answer.status, answer.raw).toBe(201);
    return browser;
  }

  it('a session made on one node works on the other; signing out and a password change on one are refused on the other within 1 s', async () => {
    const customer = await signUpCustomer(cluster.proxy.base, 'Two Sessions');
    const mine = await signedIn(a, customer.adminEmail, partnerPassword);
    expect((await mine.send(b, 'GET', '/api/v1/me')).status).toBe(200);
    const kept = new Browser(origin);
    kept.cookie = mine.cookie;
    expect((await mine.send(a, 'DELETE', '/api/v1/sessions')).status).toBe(204);
    const signOut = await within(1000, async () => (await kept.send(b, 'GET', '/api/v1/me')).status === 401);
    expect(signOut, 'sign-out on a honoured by b').not.toBeNull();

    const other = await signedIn(b, customer.adminEmail, partnerPassword);
    const changer = await signedIn(a, customer.adminEmail, partnerPassword);
    expect((await other.send(b, 'GET', '/api/v1/me')).status).toBe(200);
    const newPassword = 'another horse battery';
    const changed = await changer.send(a, 'POST', '/api/v1/me/password', { currentPassword: partnerPassword, newPassword });
    expect(changed.status, changed.raw).toBe(204);
    const password = await within(1000, async () => (await other.send(b, 'GET', '/api/v1/me')).status === 401);
    expect(password, 'the other session ended on b').not.toBeNull();
    expect((await changer.send(b, 'GET', '/api/v1/me')).status).toBe(200);
    figures['sign-out seen on the other node (ms)'] = Math.round(signOut ?? -1);
    figures['password change seen (ms)'] = Math.round(password ?? -1);
  }, 120_000);

  it('an API key deleted on one node is refused on the other within 1 s (its cache is flushed by NOTIFY)', async () => {
    const admin = new Browser(origin);
    admin.cookie = world.reseller.session.cookie;
    const created = await admin.send<{ apiKey: { id: string }; secret: string }>(a, 'POST', '/api/v1/api-keys', { name: 'two nodes', roles: ['global_admin'] });
    expect(created.status, created.raw).toBe(201);
    const key = new Browser(origin);
    key.apiKey = created.body.secret;
    // Used on b first, so that b has it in its cache when a deletes it.
    for (let i = 0; i < 3; i += 1) expect((await key.send(b, 'GET', '/api/v1/me')).status).toBe(200);
    expect((await admin.send(a, 'DELETE', `/api/v1/api-keys/${created.body.apiKey.id}`)).status).toBe(200);
    const refused = await within(1000, async () => (await key.send(b, 'GET', '/api/v1/me')).status === 401);
    expect(refused, 'the deleted key refused on b').not.toBeNull();
    figures['API key deletion seen (ms)'] = Math.round(refused ?? -1);
  }, 60_000);

  it('delegated admin revoked on one node is refused on the other within 1 s', async () => {
    const customer = world.customers[0];
    if (customer === undefined) throw new Error('no customer');
    const reseller = new Browser(origin);
    reseller.apiKey = world.reseller.api.apiKey;
    expect((await reseller.send(b, 'GET', `/api/v1/customers/${customer.id}/users`)).status).toBe(200);
    const admin = new Browser(origin);
    admin.cookie = customer.admin.cookie;
    const partners = await admin.send<Page<{ organization: { id: string }; delegatedAdmin: { id: string; state: string }[] }>>(a, 'GET', '/api/v1/partners');
    const grant = partners.body.items.find((p) => p.organization.id === world.reseller.id)?.delegatedAdmin.find((g) => g.state === 'active');
    if (grant === undefined) throw new Error(`the reseller holds no grant: ${partners.raw}`);
    const revoked = await admin.send(a, 'DELETE', `/api/v1/partners/${world.reseller.id}/delegated-admin/${grant.id}`);
    expect(revoked.status, revoked.raw).toBe(200);
    const refused = await within(1000, async () => (await reseller.send(b, 'GET', `/api/v1/customers/${customer.id}/users`)).status === 403);
    expect(refused, 'the revoked grant refused on b').not.toBeNull();
    figures['grant revocation seen (ms)'] = Math.round(refused ?? -1);
  }, 60_000);

  it('RATE-01 through the proxy: 10 wrong passwords of one client over both nodes block it on both', async () => {
    const customer = await signUpCustomer(cluster.proxy.base, 'Two Throttle');
    const client = new Browser(origin, '127.0.6.1');
    const before = [...cluster.proxy.forwarded];
    for (let i = 0; i < 10; i += 1) {
      const answer = await client.send(cluster.proxy.base, 'POST', '/api/v1/sessions', { email: customer.adminEmail, password: `wrong guess ${i}` });
      expect(answer.status, `attempt ${i}: ${answer.raw}`).toBe(401);
    }
    // The proxy alternated: each node saw five of them.
    expect(cluster.proxy.forwarded.map((n, i) => n - (before[i] ?? 0))).toEqual([5, 5]);
    for (let i = 0; i < 2; i += 1) {
      const blocked = await client.send<{ code: string }>(cluster.proxy.base, 'POST', '/api/v1/sessions', { email: customer.adminEmail, password: partnerPassword });
      expect([blocked.status, blocked.body.code]).toEqual([429, 'rate_limited']);
    }
    // Another client (another address behind the proxy) is not locked out.
    expect((await new Browser(origin, '127.0.6.2').send(cluster.proxy.base, 'POST', '/api/v1/sessions', { email: customer.adminEmail, password: partnerPassword })).status).toBe(201);
  }, 120_000);

  it('RATE-03 through the proxy: 30 wrong invitation tokens at once from one client get exactly 10 answers and 20 × 429', async () => {
    const client = new Browser(origin, '127.0.7.1');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.send<{ code: string }>(cluster.proxy.base, 'GET', `/api/v1/invitations/00000000-0000-4000-8000-000000000001?token=guess-${i}-${'z'.repeat(30)}`)),
    );
    expect(answers.filter((x) => x.status === 404 && x.body.code === 'invitation_not_found')).toHaveLength(10);
    expect(answers.filter((x) => x.status === 429 && x.body.code === 'rate_limited')).toHaveLength(20);
    figures['token guesses: answered / 429'] = '10 / 20';
  }, 60_000);

  it('RATE-02 through the proxy: 30 invitations at once over both nodes stay within one organization\'s hourly quota', async () => {
    const sent = await count(sql`select count(*)::int as n from invitations where organization_id = ${world.provider.id}`);
    const provider = new Browser(origin);
    provider.apiKey = world.provider.api.apiKey;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => provider.send<{ code: string }>(cluster.proxy.base, 'POST', '/api/v1/reseller-invitations', { email: `quota-${i}@two-nodes.test` })),
    );
    const created = answers.filter((x) => x.status === 201).length;
    expect(created).toBe(quotaPerHour - sent);
    expect(answers.filter((x) => x.status === 429 && x.body.code === 'invitation_quota_exceeded')).toHaveLength(30 - created);
    expect(await count(sql`select count(*)::int as n from invitations where organization_id = ${world.provider.id}`)).toBe(quotaPerHour);
    figures['quota: created / 429'] = `${created} / ${30 - created}`;
  }, 60_000);

  it('INV-04 over both nodes: 50 concurrent accepts of one invitation, from 50 clients, are accepted exactly once, never a 5xx', async () => {
    const statuses: Record<string, number> = {};
    for (let round = 0; round < acceptRounds; round += 1) {
      const customer = await signUpCustomer(cluster.proxy.base, `Two Race ${round}`);
      const issued = await world.reseller.api.post('/api/v1/customer-invitations', { email: customer.adminEmail, indirectProviderId: world.provider.id });
      expect(issued.status, issued.raw).toBe(201);
      const link = linkOf(issued.body as never);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const browser = new Browser(origin, `127.0.8.${i + 1}`);
          browser.cookie = customer.admin.cookie;
          return browser.send(cluster.proxy.base, 'POST', `/api/v1/invitations/${link.id}/accept`, { token: link.token, consent: true });
        }),
      );
      for (const x of answers) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
      expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
      expect(answers.filter((x) => x.status >= 500)).toEqual([]);
      expect(answers.filter((x) => x.status !== 200 && x.status !== 409).map((x) => x.raw)).toEqual([]);
      expect(await count(sql`select count(*)::int as n from reseller_relationships where customer_organization_id = ${customer.id}`)).toBe(2);
      expect(await count(sql`select count(*)::int as n from audit_events where action = 'invitation.accepted' and target_id = ${link.id}`)).toBe(1);
    }
    figures['accept race rounds'] = acceptRounds;
    figures['accept answers'] = Object.entries(statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
  }, 300_000);
});
