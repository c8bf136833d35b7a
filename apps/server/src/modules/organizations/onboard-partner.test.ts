import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createPartner, createTestContext, expectOk, password, queryRows, signIn, type Client, type TestContext } from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
}

const onboarding = (name: string, domain: string, email: string) => ({
  organization: { name, domain, country: 'DE' },
  program: 'indirect_reseller',
  admin: { displayName: `${name} admin`, email, password },
});

describe('the operator onboards partners directly', () => {
  let t: TestContext;
  let operator: Client;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
  });
  afterAll(() => t.close());

  it('creates the organization, its approved profile and a first admin who signs in as global admin and admin agent', async () => {
    const created = expectOk(
      await operator.post<{ organization: { id: string; kind: string } }>('/api/v1/operator/partners', onboarding('Nord Reseller', 'nord.test', 'admin@nord.test')),
      201,
    );
    expect(created.organization.kind).toBe('partner');
    const admin = await signIn(t, 'admin@nord.test');
    const me = expectOk(await admin.get<{ user: { roles: string[] }; organization: { approvedPrograms: string[] } }>('/api/v1/me'));
    expect(me.user.roles.sort()).toEqual(['admin_agent', 'global_admin']);
    const listed = expectOk(await operator.get<{ items: { organizationId: string; program: string; state: string }[] }>('/api/v1/operator/partners?name=Nord'));
    expect(listed.items.map((p) => [p.organizationId, p.program, p.state])).toEqual([[created.organization.id, 'indirect_reseller', 'approved']]);
    const actions = await queryRows<{ action: string }>(t, sql`select action from audit_events where ${created.organization.id}::uuid = any(organization_ids) order by action`);
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['partner.onboarded', 'user.created']));
  });

  it('refuses a taken domain or email at its field and leaves nothing behind', async () => {
    await createPartner(t, operator, 'Taken', 'indirect_provider');
    const before = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from organizations`);
    const domain = await operator.post<Problem>('/api/v1/operator/partners', onboarding('Copy', 'taken.test', 'someone@copy.test'));
    expect([domain.status, domain.body.code, domain.body.field]).toEqual([409, 'domain_taken', 'organization.domain']);
    const email = await operator.post<Problem>('/api/v1/operator/partners', onboarding('Copy', 'copy.test', 'admin@taken.test'));
    expect([email.status, email.body.code, email.body.field]).toEqual([409, 'email_taken', 'admin.email']);
    expect(await queryRows<{ n: number }>(t, sql`select count(*)::int as n from organizations`)).toEqual(before);
  });

  it('is the operator\'s alone', async () => {
    const partner = await createPartner(t, operator, 'Curious', 'indirect_reseller');
    expect((await partner.admin.post('/api/v1/operator/partners', onboarding('Sneaky', 'sneaky.test', 'a@sneaky.test'))).status).toBe(403);
    expect((await partner.admin.get('/api/v1/operator/partners')).status).toBe(403);
  });
});
