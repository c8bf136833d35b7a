import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { reportFigures } from '../../../test/crash/proof-profile.ts';
import { createOperator, createTestContext, expectOk, queryRows, type Client, type TestContext } from '../../../test/harness.ts';

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
const totals = { rounds, before: 0, beforeGranted: 0, after: 0, afterRefused: 0, writes: 0 };
const workers = 8;

// DAP-01 under load: partner staff keep reading and writing in a customer's organization through
// their delegated admin grant while the customer revokes it. Every request sent after the
// revocation was answered is refused, no write lands after it, and nothing answers 5xx.
describe('DAP-01 under load on PostgreSQL', () => {
  let t: TestContext;
  let operator: Client;

  beforeAll(async () => {
    t = await createTestContext({ poolSize: 20 });
    operator = await createOperator(t);
  });
  afterAll(() => t.close());

  it(`revoking a grant while ${workers} workers use it stops every later request (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round += 1) {
      const w: CommerceWorld = await commerceWorld(t, operator, `Dap${round}`);
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
            const email = `staff-${round}-${id}-${n}@dap-race.test`;
            const reply = await w.reseller.admin.post<Problem>(users, { displayName: `Staff ${n}`, email });
            sent.push({ kind: 'write', sentAt, status: reply.status, code: reply.body.code, email });
          } else {
            const reply = await w.reseller.admin.get<Problem>(users);
            sent.push({ kind: 'read', sentAt, status: reply.status, code: reply.body.code, email: null });
          }
        }
      };
      const load = Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const partners = expectOk(
        await w.joint.admin.get<{ items: { organization: { id: string }; delegatedAdmin: { id: string; state: string }[] }[] }>('/api/v1/partners'),
      ).items;
      const grant = partners.find((p) => p.organization.id === w.reseller.id)?.delegatedAdmin.find((g) => g.state === 'active');
      if (grant === undefined) throw new Error('the reseller holds no active grant');
      expectOk(await w.joint.admin.delete(`/api/v1/partners/${w.reseller.id}/delegated-admin/${grant.id}`));
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
      const rows = await queryRows<{ email: string }>(t, sql`select email from users where email like ${`staff-${round}-%@dap-race.test`} order by email`);
      expect(rows.map((r) => r.email).sort()).toEqual([...created].sort());
    }
    reportFigures('DAP-01 under load', totals);
  }, rounds * 30_000);
});
