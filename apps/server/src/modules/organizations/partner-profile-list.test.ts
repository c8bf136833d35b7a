import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createPartner, createTestContext, expectOk, type Client, type TestContext } from '../../../test/harness.ts';
import { expectForeignCursor, readCsv, sortedIds, walkList, type CountedPage } from '../../../test/lists.ts';

interface ProfileItem {
  id: string;
  organizationId: string;
  organizationName: string;
  program: string;
  createdAt: string;
}

describe('the operator\'s partners: sorted, filtered, counted and exported by the server', () => {
  let t: TestContext;
  let operator: Client;
  let all: ProfileItem[];

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    for (const [name, program] of [
      ['Kite Reseller', 'indirect_reseller'],
      ['alpha Distribution', 'indirect_provider'],
      ['Moss Reseller', 'indirect_reseller'],
      ['Bay Distribution', 'indirect_provider'],
    ] as const) {
      t.clock.advance(1000);
      await createPartner(t, operator, name, program);
    }
    all = expectOk(await operator.get<CountedPage<ProfileItem>>('/api/v1/operator/partners?limit=200')).items;
  });
  afterAll(() => t.close());

  it('by name (the default) or created, both ways: every profile once, in order, ties by id', async () => {
    expect(all.map((p) => p.organizationName)).toEqual(['alpha Distribution', 'Bay Distribution', 'Kite Reseller', 'Moss Reseller']);
    const keys = { name: (p: ProfileItem) => p.organizationName.toLowerCase(), created: (p: ProfileItem) => p.createdAt };
    for (const sort of ['name', 'created'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const rows = await walkList<ProfileItem>(operator, `/api/v1/operator/partners?sort=${sort}&order=${order}`, 1);
        expect(rows.map((p) => p.id), `${sort} ${order}`).toEqual(sortedIds(all, keys[sort], (p) => p.id, order));
      }
    }
  });

  it('filters, counts, refuses a foreign cursor, and exports what the filter shows', async () => {
    const resellers = expectOk(await operator.get<CountedPage<ProfileItem>>('/api/v1/operator/partners?program=indirect_reseller&count=true'));
    expect(resellers.items.map((p) => p.organizationName)).toEqual(['Kite Reseller', 'Moss Reseller']);
    expect(resellers.count).toEqual({ value: 2, exact: true });
    const first = expectOk(await operator.get<CountedPage<ProfileItem>>('/api/v1/operator/partners?sort=created&order=desc&limit=1'));
    await expectForeignCursor(operator, `/api/v1/operator/partners?sort=created&cursor=${first.nextCursor ?? ''}`);
    const { header, rows } = await readCsv(operator, '/api/v1/operator/partners/export?sort=created&order=desc&program=indirect_provider');
    expect(header.slice(0, 3)).toEqual(['organization_id', 'organization_name', 'program']);
    expect(rows.map((r) => r[1])).toEqual(['Bay Distribution', 'alpha Distribution']);
  });
});
