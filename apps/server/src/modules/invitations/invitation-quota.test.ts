import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createOperator,
  createPartner,
  createTestContext,
  queryRows,
  signIn,
  type Client,
  type OrgHandle,
  type Reply,
  type TestContext,
} from '../../../test/harness.ts';
import { defaultInvitationQuota } from './invitations.policy.ts';

// RATE-02: per sending organization at most 50 invitations an hour, per organization and recipient
// at most 3 a day (the defaults). The call beyond answers 429 with Retry-After and writes nothing:
// no invitation, no queued email, no audit event.
describe('invitation quotas (RATE-02)', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;

  const counts = async (organizationId: string) => {
    const [row] = await queryRows<{ invitations: number; emails: number; audits: number }>(
      t,
      sql`select (select count(*)::int from invitations where organization_id = ${organizationId}) as invitations,
                 (select count(*)::int from outbox_messages where kind = 'email' and topic like 'invitation.%' and topic <> 'invitation.accepted') as emails,
                 (select count(*)::int from audit_events where action = 'invitation.created') as audits`,
    );
    if (row === undefined) throw new Error('no counts');
    return row;
  };

  const expectQuotaRefusal = (reply: Reply<{ code?: string }>, retryAfterSeconds: number) => {
    expect(reply.status).toBe(429);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.body.code).toBe('invitation_quota_exceeded');
    expect(reply.headers['retry-after']).toBe(String(retryAfterSeconds));
  };

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Quota Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Quota Reseller', 'indirect_reseller');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  it('the defaults are 50 an hour per sender and 3 a day per sender and recipient', () => {
    expect(defaultInvitationQuota).toEqual({ perOrganizationPerHour: 50, perRecipientPerDay: 3 });
  });

  it('the 51st invitation of an hour is refused with 429 and Retry-After, and queues no email', async () => {
    // The provider's connect() invitation above was its first of the hour; 10 minutes pass.
    const [first] = await queryRows<{ ms: number }>(t, sql`select (extract(epoch from created_at) * 1000)::float8 as ms from invitations where organization_id = ${provider.id}`);
    if (first === undefined) throw new Error('no first invitation');
    t.clock.set(new Date(Number(first.ms) + 10 * 60 * 1000));
    const before = await counts(provider.id);
    expect(before.invitations).toBe(1);
    for (let i = 2; i <= 50; i += 1) {
      const reply = await provider.admin.post('/api/v1/reseller-invitations', { email: `reseller-${i}@quota.test` });
      expect(reply.status, reply.raw).toBe(201);
    }
    const full = await counts(provider.id);
    expect(full.invitations).toBe(50);
    expect(full.emails - before.emails).toBe(49);

    // The first invitation (10 minutes ago) leaves the window in 50 minutes.
    expectQuotaRefusal(await provider.admin.post('/api/v1/reseller-invitations', { email: 'one-more@quota.test' }), 50 * 60);
    const after = await counts(provider.id);
    expect(after).toEqual(full);

    // Another organization is not affected.
    expect((await reseller.admin.post('/api/v1/customer-invitations', { email: 'someone@elsewhere.test', send: true })).status).toBe(201);

    // Once the oldest invitation leaves the hour, one more may go out, and no second one.
    t.clock.advance(50 * 60 * 1000 - 1000);
    expectQuotaRefusal(await provider.admin.post('/api/v1/reseller-invitations', { email: 'one-more@quota.test' }), 1);
    t.clock.advance(1000);
    expect((await provider.admin.post('/api/v1/reseller-invitations', { email: 'one-more@quota.test' })).status).toBe(201);
    expectQuotaRefusal(await provider.admin.post('/api/v1/reseller-invitations', { email: 'two-more@quota.test' }), 10 * 60);
    expect((await counts(provider.id)).invitations).toBe(51);
  });

  it('a fourth invitation to one address within a day is refused; re-sends and drafts count', async () => {
    const email = 'bombed@customer.test';
    const before = await counts(reseller.id);
    // A sent invitation, a draft the partner sends itself, and a re-send (which supersedes).
    const first = await reseller.admin.post('/api/v1/customer-invitations', { email, send: true });
    expect(first.status).toBe(201);
    t.clock.advance(60 * 60 * 1000);
    expect((await reseller.admin.post('/api/v1/customer-invitations', { email, send: false })).status).toBe(201);
    expect((await reseller.admin.post('/api/v1/customer-invitations', { email, send: true })).status).toBe(201);
    const full = await counts(reseller.id);
    expect(full.invitations - before.invitations).toBe(3);
    expect(full.emails - before.emails).toBe(2);

    // The first of the three was an hour ago: the address's quota frees up in 23 hours.
    expectQuotaRefusal(await reseller.admin.post('/api/v1/customer-invitations', { email, send: true }), 23 * 60 * 60);
    expectQuotaRefusal(await reseller.admin.post('/api/v1/customer-invitations', { email: 'BOMBED@customer.test', send: true }), 23 * 60 * 60);
    expect(await counts(reseller.id)).toEqual(full);
    const [pending] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from invitations where email = ${email} and state = 'pending'`);
    expect(pending?.n).toBe(1);

    // Another sender still reaches the address: no partner can silence a customer's inbox for its rivals.
    expect((await provider.admin.post('/api/v1/customer-invitations', { email, send: true })).status).toBe(201);

    // A day after the first, the address may be invited again.
    t.clock.advance(23 * 60 * 60 * 1000);
    const later = await signIn(t, reseller.adminEmail); // the session of a day ago has ended
    expect((await later.post('/api/v1/customer-invitations', { email, send: true })).status).toBe(201);
  });

  it('lower quotas come from configuration', async () => {
    const small = await createTestContext({ limits: { invitationQuota: { perOrganizationPerHour: 2, perRecipientPerDay: 1 } } });
    try {
      const ops = await createOperator(small);
      const p = await createPartner(small, ops, 'Small Quota Provider', 'indirect_provider');
      expect((await p.admin.post('/api/v1/reseller-invitations', { email: 'a@small.test' })).status).toBe(201);
      const again = await p.admin.post<{ code?: string }>('/api/v1/reseller-invitations', { email: 'a@small.test' });
      expect([again.status, again.body.code, again.headers['retry-after']]).toEqual([429, 'invitation_quota_exceeded', String(24 * 60 * 60)]);
      expect((await p.admin.post('/api/v1/reseller-invitations', { email: 'b@small.test' })).status).toBe(201);
      const third = await p.admin.post<{ code?: string }>('/api/v1/reseller-invitations', { email: 'c@small.test' });
      expect([third.status, third.body.code, third.headers['retry-after']]).toEqual([429, 'invitation_quota_exceeded', String(60 * 60)]);
    } finally {
      await small.close();
    }
  });
});
