import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createPartner, createTestContext, queryRows, type OrgHandle, type TestContext } from '../../../test/harness.ts';

// RATE-02 under concurrency on PostgreSQL: the quota is counted in the database under a lock of
// the sender, so parallel sends can never take more than the quota between them.
describe('invitation quotas under concurrency (RATE-02)', () => {
  let t: TestContext;
  let provider: OrgHandle;
  let reseller: OrgHandle;

  const invitationEmails = async (where: string) => {
    const rows = await queryRows<{ invitations: number }>(t, sql`select count(*)::int as invitations from invitations where email like ${where}`);
    // Queued emails are sealed; every invitation.* email but the acceptance notice is an invitation's.
    const [emails] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from outbox_messages where kind = 'email' and topic in ('invitation.partnership', 'invitation.reseller_relationship')`);
    return { invitations: rows[0]?.invitations ?? -1, emails: emails?.n ?? -1 };
  };

  beforeAll(async () => {
    t = await createTestContext({ poolSize: 20 });
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Parallel Quota Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Parallel Quota Reseller', 'indirect_reseller');
  });
  afterAll(() => t.close());

  it('60 parallel invitations of one organization: exactly 50 are created and emailed, 10 get 429', async () => {
    const before = await invitationEmails('%@parallel.test');
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) => provider.admin.post<{ code?: string }>('/api/v1/reseller-invitations', { email: `r${i}@parallel.test` })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(50);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array.from({ length: 10 }, () => [429, 'invitation_quota_exceeded']));
    for (const r of refused) expect(Number(r.headers['retry-after'])).toBeGreaterThan(3500);
    const after = await invitationEmails('%@parallel.test');
    expect(after.invitations - before.invitations).toBe(50);
    expect(after.emails - before.emails).toBe(50);
  });

  it('10 parallel re-sends to one address: exactly 3 are created, one of them pending', async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => reseller.admin.post<{ code?: string }>('/api/v1/customer-invitations', { email: 'target@one-address.test', send: true })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(3);
    expect(replies.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual(Array.from({ length: 7 }, () => 'invitation_quota_exceeded'));
    const [row] = await queryRows<{ total: number; pending: number }>(
      t,
      sql`select count(*)::int as total, count(*) filter (where state = 'pending')::int as pending from invitations where email = 'target@one-address.test'`,
    );
    expect(row).toEqual({ total: 3, pending: 1 });
  });
});
