import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createCustomer, createOperator, createPartner, createTestContext, expectOk, relate, type Client, type TestContext } from './harness.ts';

interface Page {
  items: { id: string }[];
  nextCursor: string | null;
}

/** Walks a list one row at a time and returns the ids in order. */
async function walk(client: Client, url: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page: Page = expectOk(await client.get(`${url}${sep}limit=1${cursor === null ? '' : `&cursor=${cursor}`}`));
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

// Newest-first lists (audit, mailbox, sent invitations) page without gaps or repeats, also when
// many rows share one timestamp (the test clock does not move between them).
describe('keyset pagination', () => {
  let t: TestContext;
  let operator: Client;
  let reseller: Awaited<ReturnType<typeof createPartner>>;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    const provider = await createPartner(t, operator, 'Paging Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Paging Reseller', 'indirect_reseller');
    await connect(provider, reseller);
    for (let i = 0; i < 4; i += 1) {
      const customer = await createCustomer(t, `Paging Customer ${i}`);
      await relate(reseller, customer);
    }
    for (let i = 0; i < 3; i += 1) expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: `p${i}@paging.test`, send: true }), 201);
    t.clock.advance(1000);
    for (let i = 3; i < 5; i += 1) expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: `p${i}@paging.test`, send: true }), 201);
    await t.drainOutbox();
  });
  afterAll(() => t.close());

  for (const url of ['/api/v1/audit-events', '/api/v1/invitations', '/api/v1/mailbox', '/api/v1/customers']) {
    it(`${url}: one row at a time equals one big page`, async () => {
      const client = url === '/api/v1/mailbox' ? operator : reseller.admin;
      const whole = expectOk(await client.get<Page>(`${url}?limit=200`));
      expect(whole.nextCursor).toBeNull();
      expect(whole.items.length).toBeGreaterThan(3);
      const walked = await walk(client, url);
      expect(walked).toEqual(whole.items.map((i) => i.id));
      expect(new Set(walked).size).toBe(walked.length);
    });
  }
});
