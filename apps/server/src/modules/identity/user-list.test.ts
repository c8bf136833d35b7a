import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createPartner, createTestContext, expectOk, type OrgHandle, type TestContext } from '../../../test/harness.ts';
import { expectForeignCursor, readCsv, sortedIds, walkList, type CountedPage } from '../../../test/lists.ts';

interface UserItem {
  id: string;
  displayName: string;
  email: string;
  createdAt: string;
}

describe('User management: sorted, searched, counted and exported by the server', () => {
  let t: TestContext;
  let partner: OrgHandle;
  let other: OrgHandle;
  let all: UserItem[];

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    partner = await createPartner(t, operator, 'Roster Partner', 'indirect_reseller');
    other = await createPartner(t, operator, 'Other Roster', 'indirect_reseller');
    const people: [string, string][] = [
      ['Zoe, "Z" Adams', 'adams@roster.test'],
      ['bob Brown', 'zed@roster.test'],
      ['Carla Diaz', 'carla@roster.test'],
      ['Anna Evans', 'evans@roster.test'],
    ];
    for (const [n, [displayName, email]] of people.entries()) {
      if (n !== 2) t.clock.advance(1000);
      expectOk(await partner.admin.post('/api/v1/users', { displayName, email, roles: [] }), 201);
    }
    expectOk(await other.admin.post('/api/v1/users', { displayName: 'Aaron Outsider', email: 'aaron@other.test', roles: [] }), 201);
    all = expectOk(await partner.admin.get<CountedPage<UserItem>>('/api/v1/users?limit=200')).items;
  });
  afterAll(() => t.close());

  it('by name (the default), email or created, both ways: every user once, in order, ties by id', async () => {
    expect(all.map((u) => u.displayName)).toEqual(['Anna Evans', 'bob Brown', 'Carla Diaz', 'Roster Partner admin', 'Zoe, "Z" Adams']);
    const keys = { name: (u: UserItem) => u.displayName.toLowerCase(), email: (u: UserItem) => u.email, created: (u: UserItem) => u.createdAt };
    for (const sort of ['name', 'email', 'created'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const rows = await walkList<UserItem>(partner.admin, `/api/v1/users?sort=${sort}&order=${order}`);
        expect(rows.map((u) => u.id), `${sort} ${order}`).toEqual(sortedIds(all, keys[sort], (u) => u.id, order));
      }
    }
  });

  it('search keeps a name or email prefix; count is exact and the caller\'s own', async () => {
    // "a": Anna Evans by name, Zoe Adams and the first admin by email.
    const page = expectOk(await partner.admin.get<CountedPage<UserItem>>('/api/v1/users?search=A&count=true'));
    expect(page.items.map((u) => u.email)).toEqual(['evans@roster.test', 'admin@roster-partner.test', 'adams@roster.test']);
    expect(page.count).toEqual({ value: 3, exact: true });
    expect(expectOk(await partner.admin.get<CountedPage<UserItem>>('/api/v1/users?search=%25')).items).toEqual([]);
    expect(expectOk(await partner.admin.get<CountedPage<UserItem>>('/api/v1/users?count=true')).count).toEqual({ value: 5, exact: true });
    expect(expectOk(await partner.admin.get<CountedPage<UserItem>>('/api/v1/users')).count).toBeNull();
  });

  it('a cursor of another sort or order answers 400 at cursor', async () => {
    const first = expectOk(await partner.admin.get<CountedPage<UserItem>>('/api/v1/users?sort=email&limit=1'));
    await expectForeignCursor(partner.admin, `/api/v1/users?sort=name&cursor=${first.nextCursor ?? ''}`);
    await expectForeignCursor(partner.admin, `/api/v1/users?sort=email&order=desc&cursor=${first.nextCursor ?? ''}`);
    await expectForeignCursor(partner.admin, `/api/v1/users?sort=created&cursor=${first.nextCursor ?? ''}`);
  });

  it('the CSV export holds every user the search shows, in the order asked, quoted, and no other organization\'s', async () => {
    const { header, rows, raw } = await readCsv(partner.admin, '/api/v1/users/export?sort=email&order=desc');
    expect(header).toEqual(['user_id', 'display_name', 'email', 'roles', 'status', 'mfa_enrolled', 'must_change_password', 'created_at']);
    expect(rows.map((r) => r[0])).toEqual(sortedIds(all, (u) => u.email, (u) => u.id, 'desc'));
    expect(raw).toContain('"Zoe, ""Z"" Adams"');
    expect(raw).not.toContain('other.test');
    expect((await readCsv(partner.admin, '/api/v1/users/export?search=car')).rows.map((r) => r[2])).toEqual(['carla@roster.test']);
  });
});
