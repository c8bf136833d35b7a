import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { reportFigures } from '../../../test/crash/proof-profile.ts';
import { createOperator, createTestContext, expectOk, queryRows, signIn, type Client, type TestContext } from '../../../test/harness.ts';

interface Problem {
  code?: string;
}

interface Sent {
  kind: 'read' | 'write';
  sentAt: number;
  status: number;
  code: string | undefined;
  email: string | null;
}

const rounds = process.env['PROOF_PROFILE'] === 'long' ? 10 : 2;
/** How access ends: the seed's revocation, a termination through the relationship's API, or its end passing. */
const endings = ['revoke', 'terminate', 'expire'] as const;
type Ending = (typeof endings)[number];
const workers = 8;

// DAP-01 under load: partner staff keep reading and writing in a customer's organization through
// their delegated admin relationship while it ends — the customer revokes it (the seed's endpoint),
// terminates it (the relationship's API) or its end passes (the clock). Every request sent after
// the end is refused, no write lands after it, and nothing answers 5xx.
describe('DAP-01 under load on PostgreSQL', () => {
  let t: TestContext;
  let operator: Client;

  beforeAll(async () => {
    t = await createTestContext({ poolSize: 20 });
    operator = await createOperator(t);
  });
  afterAll(() => t.close());

  it.each(endings)(`%s: ending a relationship while ${workers} workers use it stops every later request (${rounds} rounds)`, async (ending: Ending) => {
    const totals = { rounds, before: 0, beforeGranted: 0, after: 0, afterRefused: 0, writes: 0 };
    for (let round = 0; round < rounds; round += 1) {
      // Sessions idle out when an earlier round moved the clock on: sign in afresh.
      operator = await signIn(t, 'ops@operator.test');
      const w: CommerceWorld = await commerceWorld(t, operator, `Dap${ending}${round}`);
      // The workers use an API key of the reseller's admin agent: a session would idle out when the clock jumps.
      const key = expectOk(await w.reseller.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'Dap load', roles: ['admin_agent'] }), 201);
      const agent = t.client();
      agent.apiKey = key.secret;
      const partners = expectOk(
        await w.joint.admin.get<{ items: { organization: { id: string }; delegatedAdmin: { id: string; state: string }[] }[] }>('/api/v1/partners'),
      ).items;
      const grant = partners.find((p) => p.organization.id === w.reseller.id)?.delegatedAdmin.find((g) => g.state === 'active');
      if (grant === undefined) throw new Error('the reseller holds no active grant');
      const relationship = `/api/v1/delegated-admin-relationships/${grant.id}`;
      if (ending === 'expire') {
        // The invitation's relationship has no end: an approved amendment gives it one day.
        const amendment = expectOk(await w.reseller.admin.post<{ id: string }>(`${relationship}/amendments`, { duration: 'P1D' }), 201);
        expectOk(await w.joint.admin.post(`${relationship}/amendments/${amendment.id}/approve`));
      }
      const users = `/api/v1/customers/${w.joint.id}/users`;
      const sent: Sent[] = [];
      let revokedAt = Number.POSITIVE_INFINITY;
      let stopAt = Number.POSITIVE_INFINITY;
      let n = 0;
      const worker = async (id: number) => {
        while (performance.now() < stopAt) {
          const write = (n += 1) % 2 === 0;
          const sentAt = performance.now();
          if (write) {
            const email = `staff-${ending}-${round}-${id}-${n}@dap-race.test`;
            const reply = await agent.post<Problem>(users, { displayName: `Staff ${n}`, email });
            sent.push({ kind: 'write', sentAt, status: reply.status, code: reply.body.code, email });
          } else {
            const reply = await agent.get<Problem>(users);
            sent.push({ kind: 'read', sentAt, status: reply.status, code: reply.body.code, email: null });
          }
        }
      };
      const load = Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      if (ending === 'revoke') expectOk(await w.joint.admin.delete(`/api/v1/partners/${w.reseller.id}/delegated-admin/${grant.id}`));
      else if (ending === 'terminate') expectOk(await w.joint.admin.post(`${relationship}/requests`, { action: 'terminate' }));
      // Requests read the clock in their own transaction: one that starts after this line sees the end passed.
      else t.clock.advance(24 * 60 * 60 * 1000 + 1000);
      revokedAt = performance.now();
      stopAt = revokedAt + 1500;
      await load;

      const before = sent.filter((s) => s.sentAt < revokedAt);
      const after = sent.filter((s) => s.sentAt >= revokedAt);
      expect(sent.filter((s) => s.status >= 500)).toEqual([]);
      // The load really ran through the grant before the revocation, and kept going after it.
      expect(before.filter((s) => s.status === 200 || s.status === 201).length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
      for (const s of after) expect([s.kind, s.status, s.code]).toEqual([s.kind, 403, 'delegated_admin_required']);
      // Exactly the acknowledged writes exist: none landed after the revocation, none was lost.
      const created = sent.filter((s) => s.kind === 'write' && s.status === 201).map((s) => s.email ?? '');
      totals.before += before.length;
      totals.beforeGranted += before.filter((s) => s.status === 200 || s.status === 201).length;
      totals.after += after.length;
      totals.afterRefused += after.filter((s) => s.status === 403).length;
      totals.writes += created.length;
      const rows = await queryRows<{ email: string }>(t, sql`select email from users where email like ${`staff-${ending}-${round}-%@dap-race.test`} order by email`);
      expect(rows.map((r) => r.email).sort()).toEqual([...created].sort());
    }
    reportFigures(`DAP-01 under load (${ending})`, totals);
  }, rounds * 30_000);
});
