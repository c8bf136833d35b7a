import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createPartner, createTestContext, expectOk, type OrgHandle, type TestContext } from '../../../test/harness.ts';
import { expectForeignCursor, readCsv, walkList, type CountedPage } from '../../../test/lists.ts';

interface Event {
  id: string;
  action: string;
  occurredAt: string;
}

describe('audit log: newest or oldest first, counted, exported in either order', () => {
  let t: TestContext;
  let partner: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    partner = await createPartner(t, operator, 'Ledger Partner', 'indirect_reseller');
    for (let n = 0; n < 4; n += 1) {
      // Two events share a millisecond: the id orders them.
      if (n !== 2) t.clock.advance(1000);
      expectOk(await partner.admin.post('/api/v1/customer-invitations', { email: `c${n}@ledger.test` }), 201);
    }
  });
  afterAll(() => t.close());

  it('order=asc pages through every event once, the reverse of the default order', async () => {
    const newest = await walkList<Event>(partner.admin, '/api/v1/audit-events?order=desc', 2);
    const oldest = await walkList<Event>(partner.admin, '/api/v1/audit-events?order=asc', 3);
    expect(newest.length).toBeGreaterThanOrEqual(5);
    expect(new Set(newest.map((e) => e.id)).size).toBe(newest.length);
    expect(oldest.map((e) => e.id)).toEqual([...newest].reverse().map((e) => e.id));
    const times = oldest.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort());
  });

  it('counts the filter\'s events on request, and a cursor of the other order answers 400 at cursor', async () => {
    const all = expectOk(await partner.admin.get<CountedPage<Event>>('/api/v1/audit-events?count=true&limit=1'));
    const invites = expectOk(await partner.admin.get<CountedPage<Event>>('/api/v1/audit-events?count=true&action=invitation.created'));
    expect(invites.count).toEqual({ value: 4, exact: true });
    expect(invites.items.every((e) => e.action === 'invitation.created')).toBe(true);
    expect(all.count?.exact).toBe(true);
    expect(all.count?.value).toBeGreaterThan(4);
    await expectForeignCursor(partner.admin, `/api/v1/audit-events?order=asc&cursor=${all.nextCursor ?? ''}`);
  });

  it('the export follows the order and filters asked', async () => {
    const newest = await walkList<Event>(partner.admin, '/api/v1/audit-events?action=invitation.created', 10);
    const { rows } = await readCsv(partner.admin, '/api/v1/audit-events/export?action=invitation.created&order=asc');
    expect(rows.map((r) => r[0])).toEqual([...newest].reverse().map((e) => e.occurredAt));
    expect(rows.every((r) => r[1] === 'invitation.created')).toBe(true);
  });
});
