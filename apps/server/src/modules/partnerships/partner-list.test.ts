import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createOperator, createPartner, createTestContext, expectOk, type OrgHandle, type TestContext } from '../../../test/harness.ts';
import { expectForeignCursor, readCsv, sortedIds, walkList, type CountedPage } from '../../../test/lists.ts';

interface PartnerItem {
  organization: { id: string; name: string; domain: string; country: string };
  partnership: { createdAt: string };
}

describe('indirect resellers and providers: sorted, searched, counted and exported by the server', () => {
  let t: TestContext;
  let provider: OrgHandle;
  let otherProvider: OrgHandle;
  let resellers: OrgHandle[];
  let all: PartnerItem[];

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Spruce Distribution', 'indirect_provider');
    otherProvider = await createPartner(t, operator, 'Larch Distribution', 'indirect_provider');
    resellers = [];
    for (const name of ['Maple Resale', 'alder Resale', 'Birch Resale', 'Cherry Resale']) {
      const reseller = await createPartner(t, operator, name, 'indirect_reseller');
      resellers.push(reseller);
      t.clock.advance(60_000);
      await connect(provider, reseller);
    }
    const [first] = resellers;
    if (first !== undefined) await connect(otherProvider, first);
    all = expectOk(await provider.admin.get<CountedPage<PartnerItem>>('/api/v1/indirect-resellers?limit=200')).items;
  });
  afterAll(() => t.close());

  const id = (p: PartnerItem) => p.organization.id;

  it('by name (the default), country or since, both ways: every reseller once, in order, ties by id', async () => {
    expect(all.map((p) => p.organization.name)).toEqual(['alder Resale', 'Birch Resale', 'Cherry Resale', 'Maple Resale']);
    const keys = {
      name: (p: PartnerItem) => p.organization.name.toLowerCase(),
      country: (p: PartnerItem) => p.organization.country,
      since: (p: PartnerItem) => p.partnership.createdAt,
    };
    for (const sort of ['name', 'country', 'since'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const rows = await walkList<PartnerItem>(provider.admin, `/api/v1/indirect-resellers?sort=${sort}&order=${order}`, 1);
        expect(rows.map(id), `${sort} ${order}`).toEqual(sortedIds(all, keys[sort], id, order));
      }
    }
    const [first] = resellers;
    const providers = await walkList<PartnerItem>(first?.admin ?? provider.admin, '/api/v1/indirect-providers?sort=name&order=desc', 1);
    expect(providers.map((p) => p.organization.name)).toEqual(['Spruce Distribution', 'Larch Distribution']);
  });

  it('search by name or domain prefix and an exact count', async () => {
    const page = expectOk(await provider.admin.get<CountedPage<PartnerItem>>('/api/v1/indirect-resellers?search=B&count=true'));
    expect(page.items.map((p) => p.organization.name)).toEqual(['Birch Resale']);
    expect(page.count).toEqual({ value: 1, exact: true });
    expect(expectOk(await provider.admin.get<CountedPage<PartnerItem>>('/api/v1/indirect-resellers?count=true')).count).toEqual({ value: 4, exact: true });
    expect(expectOk(await otherProvider.admin.get<CountedPage<PartnerItem>>('/api/v1/indirect-resellers?count=true')).count).toEqual({ value: 1, exact: true });
  });

  it('a cursor of another sort or order answers 400 at cursor', async () => {
    const first = expectOk(await provider.admin.get<CountedPage<PartnerItem>>('/api/v1/indirect-resellers?sort=since&limit=1'));
    await expectForeignCursor(provider.admin, `/api/v1/indirect-resellers?cursor=${first.nextCursor ?? ''}`);
    await expectForeignCursor(provider.admin, `/api/v1/indirect-resellers?sort=since&order=desc&cursor=${first.nextCursor ?? ''}`);
  });

  it('the CSV export holds every partner the filter shows, in the order asked, and only the caller\'s', async () => {
    const { header, rows } = await readCsv(provider.admin, '/api/v1/indirect-resellers/export?sort=since&order=desc');
    expect(header).toEqual(['organization_id', 'name', 'domain', 'country', 'partnership_id', 'since', 'delegated_admin_roles', 'delegated_admin_ends_at']);
    expect(rows.map((r) => r[0])).toEqual(sortedIds(all, (p) => p.partnership.createdAt, id, 'desc'));
    expect((await readCsv(otherProvider.admin, '/api/v1/indirect-resellers/export')).rows.map((r) => r[1])).toEqual(['Maple Resale']);
    const [first] = resellers;
    const mine = await readCsv(first?.admin ?? provider.admin, '/api/v1/indirect-providers/export?search=lar');
    expect(mine.rows.map((r) => r[1])).toEqual(['Larch Distribution']);
  });
});
