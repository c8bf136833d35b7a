import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  queryRows,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

// IDEM-10 and friends on PostgreSQL: racing re-sends, accept against revoke, concurrent customer
// acceptance of a joint invitation. One outcome each time, never a 5xx.
describe('invitation races', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;

  beforeAll(async () => {
    // 20 re-sends to one invitee and 30 accepts at once from one address: above the per-recipient
    // quota (3 a day) and the token-guessing limit's 10 places in flight, which these races do not test.
    t = await createTestContext({
      poolSize: 20,
      limits: { invitationQuota: { perOrganizationPerHour: 50, perRecipientPerDay: 100 }, guessLimit: { limit: 100 } },
    });
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Racing Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Racing Reseller', 'indirect_reseller');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  it('20 concurrent re-sends to one invitee leave exactly one pending invitation', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => reseller.admin.post<{ code?: string }>('/api/v1/customer-invitations', { email: 'same@race.test' })));
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of replies.filter((x) => x.status !== 201)) expect([r.status, r.body.code]).toEqual([409, 'conflict']);
    const pending = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from invitations where email = 'same@race.test' and state = 'pending'`);
    expect(pending[0]?.n).toBe(1);
  });

  it('accept racing revoke: exactly one wins, and the state matches the winner', async () => {
    for (let round = 0; round < 10; round += 1) {
      const customer = await createCustomer(t, `Revoke Race ${round}`);
      const issued = issuedFrom(expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: customer.adminEmail }), 201) as never);
      const [accept, revoke] = await Promise.all([
        customer.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }),
        reseller.admin.post(`/api/v1/invitations/${issued.id}/revoke`),
      ]);
      expect([accept.status, revoke.status].filter((s) => s === 200)).toHaveLength(1);
      expect([accept.status, revoke.status].filter((s) => s >= 500)).toEqual([]);
      const [row] = await queryRows<{ state: string; relationships: number }>(
        t,
        sql`select state, (select count(*)::int from reseller_relationships where customer_organization_id = ${customer.id}) as relationships
            from invitations where id = ${issued.id}`,
      );
      expect(row).toEqual(accept.status === 200 ? { state: 'accepted', relationships: 1 } : { state: 'revoked', relationships: 0 });
    }
  });

  it('a joint invitation accepted 30 times at once relates each partner once', async () => {
    const customer = await createCustomer(t, 'Joint Race');
    const issued = issuedFrom(
      expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: customer.adminEmail, indirectProviderId: provider.id }), 201) as never,
    );
    const replies = await Promise.all(
      Array.from({ length: 30 }, () => customer.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true })),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    const rows = await queryRows<{ partner: string; n: number }>(
      t,
      sql`select partner_organization_id as partner, count(*)::int as n from reseller_relationships where customer_organization_id = ${customer.id} group by 1 order by 1`,
    );
    expect(rows.map((r) => r.n)).toEqual([1, 1]);
    const grants = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from delegated_admin_grants where organization_id = ${customer.id}`);
    expect(grants[0]?.n).toBe(2);
  });
});
