import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createOperator, createPartner, createTestContext, expectOk, type OrgHandle, type TestContext } from '../../../test/harness.ts';

describe('W4: provider invites a reseller, the reseller authorizes it', () => {
  let t: TestContext;
  let provider: OrgHandle;
  let reseller: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Meridian', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Alder', 'indirect_reseller');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  it('lists each side under the other', async () => {
    const providers = expectOk(await reseller.admin.get<{ items: { organization: { id: string }; delegatedAdmin: { state: string } | null }[] }>('/api/v1/indirect-providers'));
    expect(providers.items.map((i) => i.organization.id)).toEqual([provider.id]);
    expect(providers.items[0]?.delegatedAdmin?.state).toBe('active');
    const resellers = expectOk(await provider.admin.get<{ items: { organization: { id: string } }[] }>('/api/v1/indirect-resellers'));
    expect(resellers.items.map((i) => i.organization.id)).toEqual([reseller.id]);
  });
});
