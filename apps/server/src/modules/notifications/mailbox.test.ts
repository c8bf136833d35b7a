import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  queryRows,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Message {
  to: string;
  subject: string;
  text: string;
}

const inbox = async (client: Client, query = ''): Promise<Message[]> =>
  expectOk(await client.get<{ items: Message[] }>(`/api/v1/mailbox${query}`)).items;

describe('the embedded mailbox', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Mail Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Mail Reseller', 'indirect_reseller');
    expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: reseller.adminEmail }), 201);
    await t.drainOutbox();
  });
  afterAll(() => t.close());

  it('delivers a queued email once, readable by its recipient, sealed at rest', async () => {
    const mine = await inbox(reseller.admin);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.to).toBe(reseller.adminEmail);
    expect(mine[0]?.text).toContain('/invitations/');
    await t.drainOutbox();
    expect(await inbox(reseller.admin)).toHaveLength(1);
    const [row] = await queryRows<{ body: string }>(t, sql`select body from mailbox_messages`);
    expect(row?.body).not.toContain('/invitations/');
  });

  it('shows others only their own address; the operator reads every message', async () => {
    expect(await inbox(provider.admin)).toEqual([]);
    expect(await inbox(provider.admin, `?to=${encodeURIComponent(reseller.adminEmail)}`)).toEqual([]);
    expect((await inbox(operator, `?to=${encodeURIComponent(reseller.adminEmail)}`)).map((m) => m.to)).toEqual([reseller.adminEmail]);
  });

  it('answers 401 without credentials', async () => {
    expect((await t.client().get('/api/v1/mailbox')).status).toBe(401);
  });
});

describe('with an SMTP server configured', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext({ smtpUrl: 'smtp://127.0.0.1:9' });
  });
  afterAll(() => t.close());

  it('there is no mailbox', async () => {
    const operator = await createOperator(t);
    const reply = await operator.get<{ code: string }>('/api/v1/mailbox');
    expect([reply.status, reply.body.code]).toEqual([404, 'not_found']);
  });
});
