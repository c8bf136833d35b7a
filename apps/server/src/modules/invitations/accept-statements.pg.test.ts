import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  type Client,
  type Issued,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

// Throughput of acceptances is bound by round trips per request: the use case itself is two
// statements (the read, then one write in autocommit returning the answer, its audit records,
// events and notices included), whatever the invitation's kind; no BEGIN and no COMMIT.
// Counted at the driver, by prepared statement name.
const sent: string[] = [];
let recording = false;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<typeof query>) {
  if (recording) {
    const [config] = args;
    sent.push(typeof config === 'string' ? config : ((config as { name?: string; text?: string }).name ?? (config as { text?: string }).text ?? ''));
  }
  return Reflect.apply(query, this, args) as ReturnType<typeof query>;
} as typeof query;

/** Every statement the acceptance's request sent, but the signed-in session's and the guess window's (identity's). */
async function useCaseStatements(client: Client, issued: Issued): Promise<string[]> {
  sent.length = 0;
  recording = true;
  try {
    expectOk(await client.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
  } finally {
    recording = false;
  }
  return sent.filter((s) => !s.startsWith('identity_'));
}

describe('statements of one acceptance', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Count Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Count Reseller', 'indirect_reseller');
  });
  afterAll(() => t.close());

  it('a reseller invitation, a customer invitation and a joint one: two statements each', async () => {
    const read = 'invitations_acceptance_subject';
    const partnership = issuedFrom(expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: reseller.adminEmail }), 201) as never);
    expect(await useCaseStatements(reseller.admin, partnership)).toEqual([read, 'invitations_accept_partnership']);

    const single = await createCustomer(t, 'Count Customer');
    const invited = issuedFrom(expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: single.adminEmail }), 201) as never);
    expect(await useCaseStatements(single.admin, invited)).toEqual([read, 'invitations_accept_relationship']);

    const other = await createPartner(t, operator, 'Count Joint Reseller', 'indirect_reseller');
    await connect(provider, other);
    const jointCustomer = await createCustomer(t, 'Count Joint Customer');
    const joint = issuedFrom(
      expectOk(await other.admin.post('/api/v1/customer-invitations', { email: jointCustomer.adminEmail, indirectProviderId: provider.id }), 201) as never,
    );
    expect(await useCaseStatements(jointCustomer.admin, joint)).toEqual([read, 'invitations_accept_relationship']);
  });
});
