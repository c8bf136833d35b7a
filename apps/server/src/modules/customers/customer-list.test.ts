import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countUpTo } from '../../platform/cursor.ts';
import {
  connect,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  password,
  relate,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface CustomerItem {
  id: string;
  name: string;
  domain: string;
  country: string;
  relationship: { createdAt: string };
}
interface CountedPage<T> {
  items: T[];
  nextCursor: string | null;
  count: { value: number; exact: boolean } | null;
}
interface Problem {
  code: string;
  field?: string;
}

/** name, domain, country: names, domains and countries order differently; countries tie. */
const book: readonly [string, string, string][] = [
  ['Kilo', 'pear.test', 'DE'],
  ['Bravo', 'fig.test', 'US'],
  ['Echo', 'apple.test', 'DE'],
  ['Alpha', 'kiwi.test', 'FR'],
  ['Hotel "Quoted", Inc', 'lime.test', 'US'],
  ['Delta', 'mango.test', 'DE'],
  ['Golf', 'banana.test', 'GB'],
];

/** Every row of a list, following nextCursor with a small page. */
async function walk(client: Client, url: string, limit = 3): Promise<CustomerItem[]> {
  const rows: CustomerItem[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const page: CountedPage<CustomerItem> = expectOk(await client.get<CountedPage<CustomerItem>>(`${url}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`));
    rows.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) return rows;
  }
  throw new Error('paging does not end');
}

const keys = {
  name: (c: CustomerItem) => c.name.toLowerCase(),
  domain: (c: CustomerItem) => c.domain,
  country: (c: CustomerItem) => c.country,
  since: (c: CustomerItem) => c.relationship.createdAt,
} as const;

/** The order the server promises: the key, then the customer id, both in one direction. */
function expected(rows: CustomerItem[], sort: keyof typeof keys, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => sign * (compare(keys[sort](a), keys[sort](b)) || compare(a.id, b.id))).map((c) => c.id);
}

describe('customers: sorted, searched, counted and exported by the server', () => {
  let t: TestContext;
  let reseller: OrgHandle;
  let other: OrgHandle;
  let provider: OrgHandle;
  let stranger: OrgHandle;
  let all: CustomerItem[];

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Oak Distribution', 'indirect_provider');
    stranger = await createPartner(t, operator, 'Elm Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Pine Reseller', 'indirect_reseller');
    other = await createPartner(t, operator, 'Yew Reseller', 'indirect_reseller');
    await connect(provider, reseller);
    for (const [n, [name, domain, country]] of book.entries()) {
      const admin = t.client();
      const adminEmail = `admin@${domain}`;
      const created = expectOk(
        await admin.post<{ organization: { id: string } }>('/api/v1/organizations', {
          organization: { name, domain, country },
          admin: { displayName: `${name} admin`, email: adminEmail, password },
        }),
        201,
      );
      // Two relationships begin in the same millisecond: the id breaks the tie.
      if (n !== 3) t.clock.advance(60_000);
      await relate(reseller, { id: created.organization.id, name, domain, adminEmail, admin }, n % 2 === 0 ? provider.id : undefined);
    }
    const foreign = t.client();
    expectOk(
      await foreign.post('/api/v1/organizations', {
        organization: { name: 'Aardvark Foreign', domain: 'aardvark.test', country: 'AD' },
        admin: { displayName: 'Foreign admin', email: 'admin@aardvark.test', password },
      }),
      201,
    );
    await relate(other, { id: '', name: 'Aardvark Foreign', domain: 'aardvark.test', adminEmail: 'admin@aardvark.test', admin: foreign });
    all = expectOk(await reseller.admin.get<CountedPage<CustomerItem>>('/api/v1/customers?limit=200')).items;
  });
  afterAll(() => t.close());

  it('the default order is unchanged (name, ascending) and no count unless asked', async () => {
    const page = expectOk(await reseller.admin.get<CountedPage<CustomerItem>>('/api/v1/customers'));
    expect(page.items.map((c) => c.name)).toEqual(['Alpha', 'Bravo', 'Delta', 'Echo', 'Golf', 'Hotel "Quoted", Inc', 'Kilo']);
    expect(page.count).toBeNull();
  });

  for (const sort of ['name', 'domain', 'country', 'since'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      it(`sort=${sort}&order=${order} pages through every customer once, in order, ties by id`, async () => {
        const rows = await walk(reseller.admin, `/api/v1/customers?sort=${sort}&order=${order}`);
        expect(rows.map((c) => c.id)).toEqual(expected(all, sort, order));
      });
    }
  }

  it('the shared list sorts and pages the same way, and only the shared customers', async () => {
    const shared = all.filter((c) => ['Kilo', 'Echo', 'Hotel "Quoted", Inc', 'Golf'].includes(c.name));
    for (const order of ['asc', 'desc'] as const) {
      const rows = await walk(reseller.admin, `/api/v1/indirect-providers/${provider.id}/customers?sort=country&order=${order}`, 2);
      expect(rows.map((c) => c.id)).toEqual(expected(shared, 'country', order));
    }
  });

  it('search keeps a name or domain prefix, case-insensitive and literal; count is exact', async () => {
    const search = async (q: string) =>
      expectOk(await reseller.admin.get<CountedPage<CustomerItem>>(`/api/v1/customers?search=${encodeURIComponent(q)}&count=true`));
    const a = await search('A');
    expect(a.items.map((c) => c.name)).toEqual(['Alpha', 'Echo']);
    expect(a.count).toEqual({ value: 2, exact: true });
    expect((await search('ba')).items.map((c) => c.name)).toEqual(['Golf']);
    expect((await search('%')).items).toEqual([]);
    const counted = expectOk(await reseller.admin.get<CountedPage<CustomerItem>>('/api/v1/customers?count=true&limit=2'));
    expect(counted.count).toEqual({ value: book.length, exact: true });
    expect(expectOk(await other.admin.get<CountedPage<CustomerItem>>('/api/v1/customers?count=true')).count).toEqual({ value: 1, exact: true });
  });

  it('a cursor made under another sort or order answers 400 at cursor, never a page of the wrong rows', async () => {
    const first = expectOk(await reseller.admin.get<CountedPage<CustomerItem>>('/api/v1/customers?sort=domain&limit=2'));
    expect(first.nextCursor).not.toBeNull();
    const cursor = first.nextCursor ?? '';
    for (const query of ['sort=name', 'sort=since', 'sort=domain&order=desc', '']) {
      const reply = await reseller.admin.get<Problem>(`/api/v1/customers?${query}&cursor=${cursor}`);
      expect([reply.status, reply.body.code, reply.body.field], query).toEqual([400, 'validation_failed', 'cursor']);
    }
    const since = expectOk(await reseller.admin.get<CountedPage<CustomerItem>>('/api/v1/customers?sort=since&limit=2'));
    const forged = Buffer.from(JSON.stringify(['since.asc', 'not a time', all[0]?.id])).toString('base64url');
    expect((await reseller.admin.get<Problem>(`/api/v1/customers?sort=since&cursor=${forged}`)).status).toBe(400);
    expect((await reseller.admin.get(`/api/v1/customers?sort=since&cursor=${since.nextCursor ?? ''}`)).status).toBe(200);
  });

  it('the CSV export streams every customer the filter shows, in the order asked, quoted, and only the caller\'s', async () => {
    const reply = await reseller.admin.get('/api/v1/customers/export?sort=country&order=desc');
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(reply.headers['content-disposition'])).toContain('customers.csv');
    const [header, ...rows] = parse(reply.raw) as string[][];
    expect(header).toEqual(['customer_id', 'name', 'domain', 'country', 'source', 'since', 'delegated_admin_roles', 'delegated_admin_ends_at']);
    expect(rows.map((r) => r[0])).toEqual(expected(all, 'country', 'desc'));
    expect(rows.find((r) => r[2] === 'lime.test')?.[1]).toBe('Hotel "Quoted", Inc');
    expect(reply.raw).toContain('"Hotel ""Quoted"", Inc"');
    expect(reply.raw).not.toContain('aardvark');
    expect(rows.every((r) => r[6] !== '')).toBe(true);

    const searched = parse((await reseller.admin.get('/api/v1/customers/export?search=a')).raw) as string[][];
    expect(searched.slice(1).map((r) => r[1])).toEqual(['Alpha', 'Echo']);

    const shared = parse((await reseller.admin.get(`/api/v1/indirect-providers/${provider.id}/customers/export?sort=name`)).raw) as string[][];
    expect(shared.slice(1).map((r) => r[1])).toEqual(['Echo', 'Golf', 'Hotel "Quoted", Inc', 'Kilo']);
    const notPartnered = await reseller.admin.get<Problem>(`/api/v1/indirect-providers/${stranger.id}/customers/export`);
    expect([notPartnered.status, notPartnered.body.code]).toEqual([404, 'not_found']);
  });

  it('countUpTo is exact up to the cap and "more than" past it', async () => {
    expect(await countUpTo(t.db, sql`select g from generate_series(1, 5) as g`)).toEqual({ value: 5, exact: true });
    expect(await countUpTo(t.db, sql`select g from generate_series(1, 10000) as g`)).toEqual({ value: 10_000, exact: true });
    expect(await countUpTo(t.db, sql`select g from generate_series(1, 20000) as g limit 10001`)).toEqual({ value: 10_000, exact: false });
  });
});
