import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  relate,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  field?: string;
}
interface CustomerItem {
  id: string;
  name: string;
  relationship: { partner: { id: string }; customer: { id: string }; state: string };
  delegatedAdmin: { partner: { id: string }; organization: { id: string }; state: string }[];
}

/** Follows nextCursor with the given page size; returns every page's names. */
async function walk(client: Client, url: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page: Page<CustomerItem> = expectOk(await client.get<Page<CustomerItem>>(`${url}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`));
    pages.push(page.items.map((c) => c.name));
    cursor = page.nextCursor;
    if (pages.length > 50) throw new Error('pagination does not end');
  } while (cursor !== null);
  return pages;
}

describe('W5 and W9: customers a reseller shares with each provider, and nobody else\'s', () => {
  let t: TestContext;
  let operator: Client;
  let p1: OrgHandle;
  let p2: OrgHandle;
  let unpartnered: OrgHandle;
  let reseller: OrgHandle;
  let sibling: OrgHandle;
  const c = {} as Record<string, OrgHandle>;

  /** Names of the customers that `reseller` shares with `p1`, in the list's order (case-insensitive). */
  const sharedWithP1 = ['100% Club', 'Alpha Works', 'Alpine Foods', 'alto Labs', 'Beta Retail', 'Separate Both'];

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    p1 = await createPartner(t, operator, 'Alder Distribution', 'indirect_provider');
    p2 = await createPartner(t, operator, 'Birch Distribution', 'indirect_provider');
    unpartnered = await createPartner(t, operator, 'Cedar Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Rowan Reseller', 'indirect_reseller');
    sibling = await createPartner(t, operator, 'Sibling Reseller', 'indirect_reseller');
    await connect(p1, reseller);
    await connect(p2, reseller);
    await connect(p1, sibling);
    for (const name of ['Beta Retail', 'alto Labs', 'Alpha Works', '100% Club', 'Alpine Foods']) {
      c[name] = await createCustomer(t, name);
      await relate(reseller, c[name] as OrgHandle, p1.id);
    }
    c['Solo Shop'] = await createCustomer(t, 'Solo Shop');
    await relate(reseller, c['Solo Shop']);
    c['Provider Direct'] = await createCustomer(t, 'Provider Direct');
    await relate(p1, c['Provider Direct']);
    c['Sibling Joint'] = await createCustomer(t, 'Sibling Joint');
    await relate(sibling, c['Sibling Joint'], p1.id);
    c['Second Provider Co'] = await createCustomer(t, 'Second Provider Co');
    await relate(reseller, c['Second Provider Co'], p2.id);
    // Related to both, but through two separate invitations: shared all the same.
    c['Separate Both'] = await createCustomer(t, 'Separate Both');
    await relate(reseller, c['Separate Both']);
    await relate(p1, c['Separate Both']);
  });
  afterAll(() => t.close());

  const names = async (client: Client, url: string) => expectOk(await client.get<Page<CustomerItem>>(url)).items.map((i) => i.name);

  it('W5: the reseller sees its providers and, per provider, exactly the customers they share', async () => {
    const providers = expectOk(await reseller.admin.get<Page<{ organization: { id: string } }>>('/api/v1/indirect-providers'));
    expect(providers.items.map((p) => p.organization.id)).toEqual([p1.id, p2.id]);

    const shared = expectOk(await reseller.admin.get<Page<CustomerItem>>(`/api/v1/indirect-providers/${p1.id}/customers`));
    expect(shared.items.map((i) => i.name)).toEqual(sharedWithP1);
    expect(shared.nextCursor).toBeNull();
    // Each row is the caller's own relationship and its own grants, never the provider's.
    for (const item of shared.items) {
      expect([item.relationship.partner.id, item.relationship.customer.id, item.relationship.state]).toEqual([reseller.id, item.id, 'active']);
      expect(item.delegatedAdmin.every((g) => g.partner.id === reseller.id && g.organization.id === item.id)).toBe(true);
    }
    expect(await names(reseller.admin, `/api/v1/indirect-providers/${p2.id}/customers`)).toEqual(['Second Provider Co']);
    expect(await names(sibling.admin, `/api/v1/indirect-providers/${p1.id}/customers`)).toEqual(['Sibling Joint']);
  });

  it('W9: connecting with a provider gives neither side the other\'s customers', async () => {
    expect(await names(reseller.admin, '/api/v1/customers')).toEqual([...sharedWithP1.slice(0, 5), 'Second Provider Co', 'Separate Both', 'Solo Shop']);
    expect(await names(p1.admin, '/api/v1/customers')).toEqual([...sharedWithP1.slice(0, 5), 'Provider Direct', 'Separate Both', 'Sibling Joint']);
    expect(await names(p2.admin, '/api/v1/customers')).toEqual(['Second Provider Co']);
    expect(await names(sibling.admin, '/api/v1/customers')).toEqual(['Sibling Joint']);
    expect(await names(unpartnered.admin, '/api/v1/customers')).toEqual([]);

    for (const [who, other] of [
      [reseller, 'Provider Direct'],
      [reseller, 'Sibling Joint'],
      [p1, 'Solo Shop'],
      [p2, 'Alpha Works'],
      [sibling, 'Solo Shop'],
    ] as const) {
      const hidden = await who.admin.get<Problem>(`/api/v1/customers/${c[other]?.id}`);
      expect([hidden.status, hidden.body.code]).toEqual([404, 'not_found']);
    }
  });

  it('a provider the reseller is not partnered with, or any other id, answers 404; customers get 403', async () => {
    for (const id of [unpartnered.id, randomUUID(), sibling.id, c['Solo Shop']?.id ?? '']) {
      const refused = await reseller.admin.get<Problem>(`/api/v1/indirect-providers/${id}/customers`);
      expect([refused.status, refused.body.code]).toEqual([404, 'not_found']);
    }
    // A provider asking about its reseller as if it were a provider.
    const wrongSide = await p1.admin.get<Problem>(`/api/v1/indirect-providers/${reseller.id}/customers`);
    expect([wrongSide.status, wrongSide.body.code]).toEqual([404, 'not_found']);
    const byCustomer = await (c['Alpha Works'] as OrgHandle).admin.get<Problem>(`/api/v1/indirect-providers/${p1.id}/customers`);
    expect([byCustomer.status, byCustomer.body.code]).toEqual([403, 'forbidden']);
  });

  it('filters by a case-insensitive name prefix, taken literally', async () => {
    const url = `/api/v1/indirect-providers/${p1.id}/customers`;
    expect(await names(reseller.admin, `${url}?name=al`)).toEqual(['Alpha Works', 'Alpine Foods', 'alto Labs']);
    expect(await names(reseller.admin, `${url}?name=AL`)).toEqual(['Alpha Works', 'Alpine Foods', 'alto Labs']);
    expect(await names(reseller.admin, `${url}?name=alp`)).toEqual(['Alpha Works', 'Alpine Foods']);
    expect(await names(reseller.admin, `${url}?name=100%25`)).toEqual(['100% Club']);
    // LIKE wildcards are plain characters here.
    expect(await names(reseller.admin, `${url}?name=%25`)).toEqual([]);
    expect(await names(reseller.admin, `${url}?name=_`)).toEqual([]);
    // The filter never widens the set: a name the reseller does not share stays out.
    expect(await names(reseller.admin, `${url}?name=solo`)).toEqual([]);
    expect(await names(reseller.admin, `${url}?name=provider`)).toEqual([]);
  });

  it('cursor pagination walks every page once, in order, with or without a filter', async () => {
    const url = `/api/v1/indirect-providers/${p1.id}/customers`;
    const single = await walk(reseller.admin, url, 1);
    expect(single).toEqual(sharedWithP1.map((n) => [n]));
    expect(await walk(reseller.admin, url, 4)).toEqual([sharedWithP1.slice(0, 4), sharedWithP1.slice(4)]);
    expect(await walk(reseller.admin, url, 6)).toEqual([sharedWithP1]);
    expect((await walk(reseller.admin, `${url}?name=al`, 1)).flat()).toEqual(['Alpha Works', 'Alpine Foods', 'alto Labs']);

    for (const [cursor, label] of [
      ['not-a-cursor', 'garbage'],
      [Buffer.from(JSON.stringify(['alpha works'])).toString('base64url'), 'wrong arity'],
      [Buffer.from(JSON.stringify(['alpha works', 'not-a-uuid'])).toString('base64url'), 'not an id'],
    ]) {
      const bad = await reseller.admin.get<Problem>(`${url}?limit=1&cursor=${cursor}`);
      expect([label, bad.status, bad.body.code, bad.body.field]).toEqual([label, 400, 'validation_failed', 'cursor']);
    }
    for (const limit of [0, 201]) {
      const bad = await reseller.admin.get<Problem>(`${url}?limit=${limit}`);
      expect([bad.status, bad.body.field]).toEqual([400, 'limit']);
    }
  });

  it('a customer leaves the shared list as soon as either side\'s relationship is removed', async () => {
    const url = `/api/v1/indirect-providers/${p1.id}/customers`;
    expectOk(await reseller.admin.post(`/api/v1/customers/${c['Beta Retail']?.id}/relationship/remove`, { attestation: true }));
    expectOk(await p1.admin.post(`/api/v1/customers/${c['Alpha Works']?.id}/relationship/remove`, { attestation: true }));
    expect(await names(reseller.admin, url)).toEqual(['100% Club', 'Alpine Foods', 'alto Labs', 'Separate Both']);
    // Alpha Works is still the reseller's own customer; it is just no longer shared.
    expect(await names(reseller.admin, '/api/v1/customers?name=alpha')).toEqual(['Alpha Works']);
    // Ending the partnership hides the whole list.
    expectOk(await reseller.admin.delete(`/api/v1/indirect-providers/${p1.id}`));
    expect((await reseller.admin.get(url)).status).toBe(404);
  });
});
