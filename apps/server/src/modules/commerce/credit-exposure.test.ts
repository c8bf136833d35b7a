import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { createOperator, createTestContext, expectOk, queryRows, signIn, type Client, type TestContext } from '../../../test/harness.ts';
import { checkCreditExposure } from './check-credit-exposure.ts';

interface Line {
  id: string;
  period: Date | string | null;
  counter: number;
  sum: number;
}

let keys = 0;
const key = () => ({ 'idempotency-key': `exposure-${(keys += 1)}` });

// Credit exposure is a running counter on the credit line (exposure_period, exposure_amount),
// kept by every order in its own transaction; the sweep recounts it and reports drift.
describe('credit exposure as a running counter', () => {
  let t: TestContext;
  let w: CommerceWorld;
  let provider: Client;
  let reseller: Client;

  /** The line's counter beside the sum of the pair's completed orders since the month began. */
  const line = async (): Promise<Line> => {
    const [row] = await queryRows<Line>(
      t,
      sql`select c.id, c.exposure_period as period, c.exposure_amount::int as counter,
            (select coalesce(sum(o.total_amount), 0)::int from orders o
              where o.provider_organization_id = c.provider_organization_id and o.reseller_organization_id = c.reseller_organization_id
                and o.state = 'completed' and o.created_at >= date_trunc('month', ${t.clock.now()}::timestamptz at time zone 'utc') at time zone 'utc') as sum
          from credit_terms c where c.provider_organization_id = ${w.provider.id} and c.reseller_organization_id = ${w.reseller.id}`,
    );
    if (row === undefined) throw new Error('no credit line');
    return row;
  };
  const through = (quantity: number) => reseller.post<{ code?: string }>(`/api/v1/customers/${w.joint.id}/orders`, { providerId: w.provider.id, lines: [{ skuId: w.skuId, quantity, billingCycle: 'monthly' }] }, key());
  const naming = (quantity: number) => provider.post<{ code?: string }>(`/api/v1/customers/${w.joint.id}/orders`, { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity, billingCycle: 'monthly' }] }, key());
  const creditView = async () => expectOk(await reseller.get<{ limit: number; exposure: number; available: number; periodStart: string }>(`/api/v1/indirect-providers/${w.provider.id}/credit`));

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Exposure');
    provider = w.provider.admin;
    reseller = w.reseller.admin;
  });
  afterAll(() => t.close());

  it('a line set after orders of the month starts at their sum; every order naming the pair adds to it', async () => {
    expectOk(await naming(2), 201);
    expectOk(await provider.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 10_000, currency: 'USD' }));
    expect(await line()).toMatchObject({ counter: 2000, sum: 2000 });
    expectOk(await through(3), 201);
    expectOk(await naming(1), 201);
    // Changing the limit keeps the counter.
    expectOk(await provider.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 9000, currency: 'USD' }));
    expect(await line()).toMatchObject({ counter: 6000, sum: 6000 });
    // Refused orders roll their addition back with them.
    expect((await through(4)).body.code).toBe('credit_limit_exceeded');
    expect(await line()).toMatchObject({ counter: 6000, sum: 6000 });
    expect(await creditView()).toMatchObject({ limit: 9000, exposure: 6000, available: 3000 });
    const dashboard = expectOk(await provider.get<{ credit: { lines: { partner: { id: string }; used: number }[] } | null }>('/api/v1/dashboards/provider'));
    expect(dashboard.credit?.lines.find((l) => l.partner.id === w.reseller.id)?.used).toBe(6000);
    expect(await checkCreditExposure(t.db, t.clock.now(), { warn: () => undefined })).toEqual([]);
  });

  it('a new month reads 0 until its first order, which starts the counter afresh', async () => {
    const now = t.clock.now();
    t.clock.set(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 5)));
    // Sessions do not outlive a month: sign in again.
    provider = await signIn(t, w.provider.adminEmail);
    reseller = await signIn(t, w.reseller.adminEmail);
    const before = await line();
    expect([before.counter, before.sum]).toEqual([6000, 0]);
    expect(await creditView()).toMatchObject({ exposure: 0, available: 9000 });
    const dashboard = expectOk(await provider.get<{ credit: { lines: { partner: { id: string }; used: number }[] } | null }>('/api/v1/dashboards/provider'));
    expect(dashboard.credit?.lines.find((l) => l.partner.id === w.reseller.id)?.used).toBe(0);
    // The whole limit is available again, and no more.
    expect((await through(10)).body.code).toBe('credit_limit_exceeded');
    expectOk(await through(9), 201);
    const after = await line();
    expect([after.counter, after.sum]).toEqual([9000, 9000]);
    expect(new Date(after.period ?? 0).toISOString()).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    expect(await creditView()).toMatchObject({ exposure: 9000, available: 0 });
  });

  it('the sweep reports a counter that drifted from its orders (line id and both figures) and leaves it as it is', async () => {
    const { id } = await line();
    await t.db.execute(sql`update credit_terms set exposure_amount = exposure_amount - 500 where id = ${id}`);
    const warnings: { fields: object; message: string }[] = [];
    const drift = await checkCreditExposure(t.db, t.clock.now(), { warn: (fields, message) => void warnings.push({ fields, message }) });
    expect(drift).toEqual([{ id, counter: 8500, sum: 9000 }]);
    expect(warnings).toEqual([{ fields: { creditLineId: id, counter: 8500, sum: 9000 }, message: expect.stringContaining('differs') }]);
    expect(await line()).toMatchObject({ counter: 8500, sum: 9000 });
    await t.db.execute(sql`update credit_terms set exposure_amount = exposure_amount + 500 where id = ${id}`);
    expect(await checkCreditExposure(t.db, t.clock.now(), { warn: () => undefined })).toEqual([]);
  });
});
