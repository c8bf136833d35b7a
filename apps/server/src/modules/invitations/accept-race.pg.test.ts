import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  password,
  queryRows,
  signIn,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

// INV-04: one invitation, 50 concurrent accepts (25 on one session, 25 on other sessions of the
// invitee), 20 rounds (100 with PROOF_PROFILE=long): exactly one acceptance per round, the rest
// 409/410, never a 5xx.
const rounds = process.env['PROOF_PROFILE'] === 'long' ? 100 : 20;
describe('INV-04 concurrent accepts on PostgreSQL', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;

  beforeAll(async () => {
    // 50 accepts at once from one address: above the token-guessing limit's 10 places in flight
    // (RATE-03), which would keep 40 of them from racing; the race, not the limit, is tested here.
    t = await createTestContext({ poolSize: 20, limits: { guessLimit: { limit: 100 } } });
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Race Provider', 'indirect_provider');
  });
  afterAll(() => t.close());

  it('accepts each invitation exactly once', async () => {
    for (let round = 0; round < rounds; round += 1) {
      const reseller = await createPartner(t, operator, `Race Reseller ${round}`, 'indirect_reseller');
      const issued = issuedFrom(expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: reseller.adminEmail }), 201) as never);
      const others = await Promise.all(Array.from({ length: 5 }, () => signIn(t, reseller.adminEmail, password)));
      const clients = Array.from({ length: 50 }, (_, i) => (i < 25 ? reseller.admin : (others[i % 5] ?? reseller.admin)));
      const replies = await Promise.all(
        clients.map((c) => c.post<{ code?: string }>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true })),
      );
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      for (const r of replies.filter((x) => x.status !== 200)) {
        expect([409, 410]).toContain(r.status);
        expect(['invitation_not_pending', 'invitation_expired']).toContain(r.body.code);
      }
      const counts = await queryRows<{ partnerships: number; grants: number; accepted: number; audits: number }>(t, sql`
        select
          (select count(*)::int from partnerships where reseller_organization_id = ${reseller.id}) as partnerships,
          (select count(*)::int from delegated_admin_grants where organization_id = ${reseller.id}) as grants,
          (select count(*)::int from invitations where id = ${issued.id} and state = 'accepted' and accepted_at is not null) as accepted,
          (select count(*)::int from audit_events where target_id = ${issued.id} and action = 'invitation.accepted') as audits`);
      expect(counts[0]).toEqual({ partnerships: 1, grants: 1, accepted: 1, audits: 1 });
    }
  }, rounds * 15_000);
});
