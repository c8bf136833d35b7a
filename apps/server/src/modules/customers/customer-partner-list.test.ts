import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createCustomer, createOperator, createPartner, createTestContext, expectOk, relate, type OrgHandle, type TestContext } from '../../../test/harness.ts';
import { expectForeignCursor, readCsv, sortedIds, walkList, type CountedPage } from '../../../test/lists.ts';

interface PartnerItem {
  organization: { id: string; name: string; domain: string; country: string };
  relationship: { createdAt: string } | null;
}

describe('a customer admin\'s partners: sorted, searched, counted and exported by the server', () => {
  let t: TestContext;
  let customer: OrgHandle;
  let all: PartnerItem[];

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    const provider = await createPartner(t, operator, 'Willow Distribution', 'indirect_provider');
    const resellers = [await createPartner(t, operator, 'birch Resale', 'indirect_reseller'), await createPartner(t, operator, 'Aspen Resale', 'indirect_reseller')];
    customer = await createCustomer(t, 'Tern Bakery');
    const other = await createCustomer(t, 'Other Bakery');
    for (const reseller of resellers) {
      await connect(provider, reseller);
      await relate(reseller, customer);
    }
    await relate(provider, customer);
    const [first] = resellers;
    if (first !== undefined) await relate(first, other);
    all = expectOk(await customer.admin.get<CountedPage<PartnerItem>>('/api/v1/partners?limit=200')).items;
  });
  afterAll(() => t.close());

  const id = (p: PartnerItem) => p.organization.id;

  it('by name (the default), domain or country, both ways: every partner once, in order, ties by id', async () => {
    expect(all.map((p) => p.organization.name)).toEqual(['Aspen Resale', 'birch Resale', 'Willow Distribution']);
    const keys = { name: (p: PartnerItem) => p.organization.name.toLowerCase(), domain: (p: PartnerItem) => p.organization.domain, country: (p: PartnerItem) => p.organization.country };
    for (const sort of ['name', 'domain', 'country'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const rows = await walkList<PartnerItem>(customer.admin, `/api/v1/partners?sort=${sort}&order=${order}`, 1);
        expect(rows.map(id), `${sort} ${order}`).toEqual(sortedIds(all, keys[sort], id, order));
      }
    }
  });

  it('search, count, a foreign cursor, and the CSV of what the filter shows', async () => {
    const page = expectOk(await customer.admin.get<CountedPage<PartnerItem>>('/api/v1/partners?search=b&count=true'));
    expect(page.items.map((p) => p.organization.name)).toEqual(['birch Resale']);
    expect(page.count).toEqual({ value: 1, exact: true });
    const first = expectOk(await customer.admin.get<CountedPage<PartnerItem>>('/api/v1/partners?sort=domain&limit=1'));
    await expectForeignCursor(customer.admin, `/api/v1/partners?cursor=${first.nextCursor ?? ''}`);
    const { header, rows } = await readCsv(customer.admin, '/api/v1/partners/export?sort=name&order=desc');
    expect(header).toEqual(['partner_id', 'name', 'domain', 'country', 'reseller_of_record_since', 'delegated_admin_roles', 'delegated_admin_ends_at']);
    expect(rows.map((r) => r[1])).toEqual(['Willow Distribution', 'birch Resale', 'Aspen Resale']);
    expect(rows.every((r) => r[4] !== '' && r[5] !== '')).toBe(true);
    expect((await readCsv(customer.admin, '/api/v1/partners/export?search=wil')).rows.map((r) => r[1])).toEqual(['Willow Distribution']);
  });
});
