import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSku } from '../../../test/commerce-fixture.ts';
import { connect, createCustomer, createOperator, createPartner, createTestContext, expectOk, relate, type Client, type OrgHandle, type TestContext } from '../../../test/harness.ts';

interface Ref {
  id: string;
  name: string;
}
interface SubscriptionItem {
  id: string;
  customer: Ref;
  provider: Ref;
  reseller: Ref | null;
  skuName: string;
  productName: string;
  quantity: number;
  status: 'active' | 'suspended';
  etag: string;
  createdAt: string;
}
interface OrderItem {
  id: string;
  customer: Ref;
  provider: Ref;
  reseller: Ref | null;
  state: string;
  currency: string;
  totalAmount: number;
  createdAt: string;
}
interface Counted<T> {
  items: T[];
  nextCursor: string | null;
  count: { value: number; exact: boolean } | null;
}
interface Problem {
  code: string;
  field?: string;
}

let keys = 0;
const key = () => ({ 'idempotency-key': `partner-lists-${(keys += 1)}` });

/** Reads every page of a list; each id must come once. */
async function walk<T extends { id: string }>(client: Client, path: string, query: string, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const reply: Counted<T> = expectOk(await client.get<Counted<T>>(`${path}?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`));
    expect(reply.items.length).toBeLessThanOrEqual(limit);
    items.push(...reply.items);
    cursor = reply.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error('too many pages');
}

type Key = (string | number)[];
/** Plain code-point order: the fixture's names are lower-case letters and spaces of the same shape, so every collation agrees. */
function compare(a: Key, b: Key): number {
  for (let n = 0; n < a.length; n += 1) {
    const x = a[n];
    const y = b[n];
    if (x === undefined || y === undefined || x === y) continue;
    return x < y ? -1 : 1;
  }
  return 0;
}
function expectSorted<T extends { id: string }>(items: T[], keyOf: (item: T) => Key, order: 'asc' | 'desc') {
  for (let n = 1; n < items.length; n += 1) {
    const [before, after] = [items[n - 1], items[n]];
    if (before === undefined || after === undefined) continue;
    const c = compare([...keyOf(before), before.id], [...keyOf(after), after.id]);
    expect(order === 'asc' ? c : -c, `${JSON.stringify(keyOf(before))} then ${JSON.stringify(keyOf(after))}`).toBeLessThan(0);
  }
}

describe('partner-wide subscriptions and orders', () => {
  let t: TestContext;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let stranger: OrgHandle;
  let strangerCustomer: OrgHandle;
  const customers: OrgHandle[] = [];
  let gone: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Plist Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Plist Reseller', 'indirect_reseller');
    stranger = await createPartner(t, operator, 'Plist Stranger', 'indirect_provider');
    await connect(provider, reseller);
    const skuA = await catalogSku(operator, 'Alpha');
    const skuB = await catalogSku(operator, 'Bravo');
    // Names of one shape (lower-case words): every collation sorts them alike.
    for (const name of ['delta works', 'alpha works', 'echo works', 'charlie works', 'bravo works']) {
      const c = await createCustomer(t, name);
      await relate(reseller, c, provider.id);
      customers.push(c);
    }
    // The provider's own customer: no reseller of record.
    gone = await createCustomer(t, 'foxtrot works');
    await relate(provider, gone);
    strangerCustomer = await createCustomer(t, 'golf works');
    await relate(stranger, strangerCustomer);
    let quantity = 1;
    for (const c of customers) {
      for (const [sku, cycle] of [[skuA, 'monthly'], [skuB, 'annual'], [skuA, 'annual']] as const) {
        t.clock.advance(60_000);
        quantity = (quantity * 7) % 23 + 1;
        expectOk(
          await provider.admin.post(`/api/v1/customers/${c.id}/orders`, { resellerId: reseller.id, lines: [{ skuId: sku, quantity, billingCycle: cycle }] }, key()),
          201,
        );
      }
    }
    expectOk(await provider.admin.post(`/api/v1/customers/${gone.id}/orders`, { lines: [{ skuId: skuB, quantity: 4, billingCycle: 'monthly' }] }, key()), 201);
    expectOk(await stranger.admin.post(`/api/v1/customers/${strangerCustomer.id}/orders`, { lines: [{ skuId: skuA, quantity: 9, billingCycle: 'monthly' }] }, key()), 201);
    // One suspended subscription, for the status filter and sort.
    const first = customers[0];
    if (first === undefined) throw new Error('no customer');
    const subs = expectOk(await provider.admin.get<{ items: SubscriptionItem[] }>(`/api/v1/customers/${first.id}/subscriptions`));
    const target = subs.items[0];
    if (target === undefined) throw new Error('no subscription');
    expectOk(await provider.admin.patch(`/api/v1/customers/${first.id}/subscriptions/${target.id}`, { status: 'suspended' }, { 'if-match': target.etag }));
  });
  afterAll(() => t.close());

  const subscriptionKeys: Record<string, (s: SubscriptionItem) => Key> = {
    customer: (s) => [s.customer.name.toLowerCase(), s.customer.id],
    product: (s) => [s.productName, s.skuName],
    quantity: (s) => [s.quantity],
    status: (s) => [s.status],
    createdAt: (s) => [s.createdAt],
  };
  const orderKeys: Record<string, (o: OrderItem) => Key> = {
    createdAt: (o) => [o.createdAt],
    customer: (o) => [o.customer.name.toLowerCase(), o.customer.id],
    total: (o) => [o.currency, o.totalAmount],
    state: (o) => [o.state],
  };

  it('every subscription sort, both ways, pages through all rows once and in order', async () => {
    const all = expectOk(await provider.admin.get<Counted<SubscriptionItem>>('/api/v1/partner-subscriptions?limit=200'));
    // 5 joint customers × 3 lines, and the provider's own customer's one.
    expect(all.items).toHaveLength(16);
    expect(all.count).toBeNull();
    const ids = all.items.map((s) => s.id).sort();
    for (const [sort, keyOf] of Object.entries(subscriptionKeys)) {
      for (const order of ['asc', 'desc'] as const) {
        const walked = await walk<SubscriptionItem>(provider.admin, '/api/v1/partner-subscriptions', `sort=${sort}&order=${order}`, 4);
        expect(walked.map((s) => s.id).sort(), `${sort} ${order}`).toEqual(ids);
        expectSorted(walked, keyOf, order);
      }
    }
    // The reseller sees the joint customers' subscriptions, not the provider's own customer's.
    const resold = await walk<SubscriptionItem>(reseller.admin, '/api/v1/partner-subscriptions', 'sort=customer&order=asc', 5);
    expect(resold).toHaveLength(15);
    expect(resold.every((s) => s.reseller?.id === reseller.id)).toBe(true);
    expect(resold[0]?.customer.name).toBe('alpha works');
  });

  it('every order sort, both ways, pages through all rows once and in order', async () => {
    const all = expectOk(await provider.admin.get<Counted<OrderItem>>('/api/v1/partner-orders?limit=200'));
    expect(all.items).toHaveLength(16);
    // Newest first by default.
    expectSorted(all.items, orderKeys['createdAt'] ?? (() => []), 'desc');
    const ids = all.items.map((o) => o.id).sort();
    for (const [sort, keyOf] of Object.entries(orderKeys)) {
      for (const order of ['asc', 'desc'] as const) {
        const walked = await walk<OrderItem>(provider.admin, '/api/v1/partner-orders', `sort=${sort}&order=${order}`, 3);
        expect(walked.map((o) => o.id).sort(), `${sort} ${order}`).toEqual(ids);
        expectSorted(walked, keyOf, order);
      }
    }
  });

  it('filters by customer name prefix, customer, status and state, and counts what the filter matches', async () => {
    const byName = expectOk(await provider.admin.get<Counted<SubscriptionItem>>('/api/v1/partner-subscriptions?customerName=ALP&count=true'));
    expect(byName.items.map((s) => s.customer.name)).toEqual(['alpha works', 'alpha works', 'alpha works']);
    expect(byName.count).toEqual({ value: 3, exact: true });
    const wildcard = expectOk(await provider.admin.get<Counted<SubscriptionItem>>('/api/v1/partner-subscriptions?customerName=%25'));
    expect(wildcard.items).toHaveLength(0);
    const first = customers[0];
    const byCustomer = expectOk(await provider.admin.get<Counted<SubscriptionItem>>(`/api/v1/partner-subscriptions?customerId=${first?.id ?? ''}&count=true`));
    expect(byCustomer.items.every((s) => s.customer.id === first?.id)).toBe(true);
    expect(byCustomer.count?.value).toBe(3);
    const suspended = expectOk(await provider.admin.get<Counted<SubscriptionItem>>('/api/v1/partner-subscriptions?status=suspended&count=true'));
    expect(suspended.items.map((s) => s.status)).toEqual(['suspended']);
    expect(suspended.count).toEqual({ value: 1, exact: true });
    // The count is of the whole filter, not of the page.
    const paged = expectOk(await provider.admin.get<Counted<SubscriptionItem>>('/api/v1/partner-subscriptions?limit=2&count=true'));
    expect(paged.items).toHaveLength(2);
    expect(paged.count).toEqual({ value: 16, exact: true });
    const completed = expectOk(await provider.admin.get<Counted<OrderItem>>('/api/v1/partner-orders?state=completed&customerName=bra&count=true'));
    expect(completed.items.map((o) => o.customer.name)).toEqual(['bravo works', 'bravo works', 'bravo works']);
    expect(completed.count).toEqual({ value: 3, exact: true });
    const failed = expectOk(await provider.admin.get<Counted<OrderItem>>('/api/v1/partner-orders?state=failed&count=true'));
    expect(failed).toEqual({ items: [], nextCursor: null, count: { value: 0, exact: true } });
  });

  it('another partner\'s rows never appear; a customer-side or unrelated caller gets nothing of them', async () => {
    const stranger1 = expectOk(await stranger.admin.get<Counted<SubscriptionItem>>('/api/v1/partner-subscriptions?count=true'));
    expect(stranger1.items.map((s) => s.customer.name)).toEqual(['golf works']);
    expect(stranger1.count?.value).toBe(1);
    const theirs = expectOk(await stranger.admin.get<Counted<OrderItem>>('/api/v1/partner-orders'));
    expect(theirs.items.map((o) => o.customer.id)).toEqual([strangerCustomer.id]);
    const mine = expectOk(await provider.admin.get<Counted<OrderItem>>(`/api/v1/partner-orders?customerId=${strangerCustomer.id}`));
    expect(mine.items).toEqual([]);
    // Customers read their own subscriptions elsewhere; the partner-wide lists are partners' only.
    expect((await strangerCustomer.admin.get('/api/v1/partner-subscriptions')).status).toBe(403);
    expect((await strangerCustomer.admin.get('/api/v1/partner-orders/export')).status).toBe(403);
  });

  it('a cursor of another sort, order or list, or a forged one, is a 400 at cursor', async () => {
    const page = expectOk(await provider.admin.get<Counted<SubscriptionItem>>('/api/v1/partner-subscriptions?sort=quantity&order=asc&limit=2'));
    const cursor = encodeURIComponent(page.nextCursor ?? '');
    const forged = Buffer.from(JSON.stringify(['quantity.asc', 'x', 'not-a-uuid'])).toString('base64url');
    const orderPage = expectOk(await provider.admin.get<Counted<OrderItem>>('/api/v1/partner-orders?limit=2'));
    for (const url of [
      `/api/v1/partner-subscriptions?sort=createdAt&order=asc&cursor=${cursor}`,
      `/api/v1/partner-subscriptions?sort=customer&cursor=${cursor}`,
      `/api/v1/partner-subscriptions?sort=quantity&order=desc&cursor=${cursor}`,
      `/api/v1/partner-subscriptions?sort=quantity&order=asc&cursor=${forged}`,
      `/api/v1/partner-subscriptions?cursor=not-base64-json`,
      `/api/v1/partner-orders?sort=total&cursor=${encodeURIComponent(orderPage.nextCursor ?? '')}`,
      `/api/v1/partner-orders?cursor=${cursor}`,
    ]) {
      const reply = await provider.admin.get<Problem>(url);
      expect(reply.status, url).toBe(400);
      expect(reply.body, url).toMatchObject({ code: 'validation_failed', field: 'cursor' });
    }
  });

  it('exports what the filter shows as streamed CSV, in the list\'s order, every row', async () => {
    const reply = await provider.admin.get('/api/v1/partner-subscriptions/export?sort=quantity&order=desc');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(reply.headers['content-disposition']).toBe('attachment; filename="subscriptions.csv"');
    const rows = parse(reply.raw, { columns: true }) as Record<string, string>[];
    const listed = await walk<SubscriptionItem>(provider.admin, '/api/v1/partner-subscriptions', 'sort=quantity&order=desc', 200);
    expect(rows.map((r) => r['id'])).toEqual(listed.map((s) => s.id));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'id', 'customer_id', 'customer_name', 'product', 'sku', 'sku_id', 'billing_cycle', 'quantity', 'assigned_licenses', 'status',
      'provider_id', 'provider_name', 'reseller_id', 'reseller_name', 'created_at', 'updated_at',
    ]);
    expect(rows.find((r) => r['customer_name'] === 'foxtrot works')?.['reseller_id']).toBe('');

    const filtered = parse((await provider.admin.get('/api/v1/partner-orders/export?customerName=ech')).raw, { columns: true }) as Record<string, string>[];
    expect(filtered.map((r) => r['customer_name'])).toEqual(['echo works', 'echo works', 'echo works']);
    expect(filtered.every((r) => r['currency'] === 'USD' && Number(r['total_amount']) > 0 && r['lines'] === '1')).toBe(true);

    const theirs = parse((await stranger.admin.get('/api/v1/partner-orders/export')).raw, { columns: true }) as Record<string, string>[];
    expect(theirs.map((r) => r['customer_id'])).toEqual([strangerCustomer.id]);
    const empty = await reseller.admin.get('/api/v1/partner-subscriptions/export?status=suspended&customerName=zzz');
    expect(empty.raw.trim().split('\n')).toHaveLength(1);
  });

  it('ends with the relationship: a removed customer\'s rows leave the lists', async () => {
    const before = expectOk(await provider.admin.get<Counted<SubscriptionItem>>(`/api/v1/partner-subscriptions?customerId=${gone.id}`));
    expect(before.items).toHaveLength(1);
    expectOk(await provider.admin.post(`/api/v1/customers/${gone.id}/relationship/remove`, { attestation: true }));
    expect(expectOk(await provider.admin.get<Counted<SubscriptionItem>>(`/api/v1/partner-subscriptions?customerId=${gone.id}`)).items).toEqual([]);
    expect(expectOk(await provider.admin.get<Counted<OrderItem>>(`/api/v1/partner-orders?customerId=${gone.id}`)).items).toEqual([]);
  });
});
