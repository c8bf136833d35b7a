import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  relate,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Plan {
  etag: string;
}

const body = { attestation: { attest: true, reason: 'Race.' } };

/** A provider and a reseller with a joint customer: a plan with a partnership, a shared customer and admin access. */
async function pair(t: TestContext, operator: Client, tag: string): Promise<{ provider: OrgHandle; reseller: OrgHandle }> {
  const provider = await createPartner(t, operator, `${tag} Provider`, 'indirect_provider');
  const reseller = await createPartner(t, operator, `${tag} Reseller`, 'indirect_reseller');
  await connect(provider, reseller);
  await relate(reseller, await createCustomer(t, `${tag} Joint`), provider.id);
  return { provider, reseller };
}

describe('offboarding races (PostgreSQL)', () => {
  let t: TestContext;
  let operator: Client;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
  });
  afterAll(() => t.close());

  it('the same plan sent twice at once: one offboards, the other finds the partnership gone (404), never a 5xx', async () => {
    const { provider, reseller } = await pair(t, operator, 'Twice');
    const plan = expectOk(await reseller.admin.get<Plan>(`/api/v1/indirect-providers/${provider.id}/offboarding-plan`));
    const url = `/api/v1/indirect-providers/${provider.id}/offboard`;
    const answers = await Promise.all([0, 1].map(() => reseller.admin.post(url, body, { 'if-match': plan.etag })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
  });

  it('both sides offboard each other at once: the partnership\'s lock orders them, one wins, the other is 404', async () => {
    const { provider, reseller } = await pair(t, operator, 'Both');
    const fromReseller = expectOk(await reseller.admin.get<Plan>(`/api/v1/indirect-providers/${provider.id}/offboarding-plan`));
    const fromProvider = expectOk(await provider.admin.get<Plan>(`/api/v1/indirect-resellers/${reseller.id}/offboarding-plan`));
    const answers = await Promise.all([
      reseller.admin.post(`/api/v1/indirect-providers/${provider.id}/offboard`, body, { 'if-match': fromReseller.etag }),
      provider.admin.post(`/api/v1/indirect-resellers/${reseller.id}/offboard`, body, { 'if-match': fromProvider.etag }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
  });

  it('a change racing the offboard (the reseller removes the provider\'s admin access): exactly one wins, the other answers 404, 409 or 412', async () => {
    const { provider, reseller } = await pair(t, operator, 'Change');
    const plan = expectOk(await provider.admin.get<Plan>(`/api/v1/indirect-resellers/${reseller.id}/offboarding-plan`));
    const [offboard, removal] = await Promise.all([
      provider.admin.post(`/api/v1/indirect-resellers/${reseller.id}/offboard`, body, { 'if-match': plan.etag }),
      reseller.admin.delete(`/api/v1/indirect-providers/${provider.id}/delegated-admin`),
    ]);
    const outcome = [offboard.status, removal.status];
    // The removal commits first: the plan changed (412), or the offboard had read it and finds the access ended (409).
    // The offboard commits first: the access and the partnership are gone (404), or the removal had listed the access and finds it ended (409).
    expect([[412, 200], [409, 200], [200, 404], [200, 409]]).toContainEqual(outcome);
  });
});
