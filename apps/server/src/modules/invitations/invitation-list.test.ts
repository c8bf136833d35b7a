import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createPartner, createTestContext, expectOk, type OrgHandle, type TestContext } from '../../../test/harness.ts';
import { expectForeignCursor, readCsv, sortedIds, walkList, type CountedPage } from '../../../test/lists.ts';

interface InvitationItem {
  id: string;
  email: string;
  state: string;
  createdAt: string;
}

describe('Sent invitations: counted and exported with the list\'s filters and sort', () => {
  let t: TestContext;
  let partner: OrgHandle;
  let other: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    partner = await createPartner(t, operator, 'Envoy Partner', 'indirect_reseller');
    other = await createPartner(t, operator, 'Other Envoy', 'indirect_reseller');
    for (const email of ['kim@envoy.test', 'al@envoy.test', 'kai@envoy.test', 'bo@envoy.test']) {
      t.clock.advance(1000);
      expectOk(await partner.admin.post('/api/v1/customer-invitations', { email }), 201);
    }
    expectOk(await other.admin.post('/api/v1/customer-invitations', { email: 'kim@elsewhere.test' }), 201);
  });
  afterAll(() => t.close());

  it('counts the filter\'s invitations on request; a cursor of another sort answers 400 at cursor', async () => {
    const k = expectOk(await partner.admin.get<CountedPage<InvitationItem>>('/api/v1/invitations?email=k&count=true'));
    expect(k.items.map((i) => i.email)).toEqual(['kai@envoy.test', 'kim@envoy.test']);
    expect(k.count).toEqual({ value: 2, exact: true });
    const first = expectOk(await partner.admin.get<CountedPage<InvitationItem>>('/api/v1/invitations?sort=email&order=asc&limit=1'));
    expect(first.count).toBeNull();
    await expectForeignCursor(partner.admin, `/api/v1/invitations?cursor=${first.nextCursor ?? ''}`);
    await expectForeignCursor(partner.admin, `/api/v1/invitations?sort=email&order=desc&cursor=${first.nextCursor ?? ''}`);
  });

  it('the CSV export holds every invitation the filter shows, in the order asked, and only the caller\'s', async () => {
    const all = await walkList<InvitationItem>(partner.admin, '/api/v1/invitations?sort=email&order=desc');
    expect(all.map((i) => i.id)).toEqual(sortedIds(all, (i) => i.email, (i) => i.id, 'desc'));
    const { header, rows, raw } = await readCsv(partner.admin, '/api/v1/invitations/export?sort=email&order=desc');
    expect(header.slice(0, 4)).toEqual(['invitation_id', 'email', 'kind', 'state']);
    expect(rows.map((r) => r[0])).toEqual(all.map((i) => i.id));
    expect(raw).not.toContain('elsewhere');
    const pending = await readCsv(partner.admin, '/api/v1/invitations/export?state=pending&email=k');
    expect(pending.rows.map((r) => [r[1], r[3]])).toEqual([
      ['kai@envoy.test', 'pending'],
      ['kim@envoy.test', 'pending'],
    ]);
  });
});
