import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hours } from '../../platform/clock.ts';
import { databaseDigest } from '../../../test/fixture.ts';
import { createOperator, createPartner, createTestContext, enrollMfa, expectOk, signIn, type Client, type OrgHandle, type Reply, type TestContext } from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
}
interface Added {
  user: { id: string; email: string; roles: string[]; mustChangePassword: boolean };
  temporaryPassword: string;
}

// W2/W3: Settings → User management, temporary passwords, role ceilings, the last global admin.
describe('user management', () => {
  let t: TestContext;
  let operator: Client;
  let partner: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    partner = await createPartner(t, operator, 'Staffing Partner', 'indirect_reseller');
  });
  afterAll(() => t.close());

  const add = (by: Client, email: string, roles: string[]) => by.post<Added & Problem>('/api/v1/users', { displayName: email.split('@')[0], email, roles });

  it('adds a user with a temporary password shown once, which must be changed at the first sign-in', async () => {
    const added = expectOk(await add(partner.admin, 'agent@staffing.test', ['sales_agent']), 201);
    expect(added.user.mustChangePassword).toBe(true);
    expect(added.temporaryPassword.length).toBeGreaterThanOrEqual(16);
    const list = await partner.admin.get<{ items: { email: string }[] }>('/api/v1/users');
    expect(list.body.items.map((u) => u.email)).toContain('agent@staffing.test');
    expect(list.raw).not.toContain(added.temporaryPassword);

    const agent = await signIn(t, 'agent@staffing.test', added.temporaryPassword);
    expect((await agent.get('/api/v1/me')).status).toBe(200);
    const blocked = await agent.get<Problem>('/api/v1/customers');
    expect([blocked.status, blocked.body.code]).toEqual([403, 'password_change_required']);
    expect((await agent.post('/api/v1/me/password', { currentPassword: added.temporaryPassword, newPassword: 'my own secret phrase' })).status).toBe(204);
    // Partner users then set up MFA before anything else (AUTH-05).
    expect((await agent.get<Problem>('/api/v1/customers')).body.code).toBe('mfa_enrollment_required');
    await enrollMfa(t, agent, 'agent@staffing.test');
    expect((await agent.get('/api/v1/customers')).status).toBe(200);
    // The temporary password is gone for good.
    expect((await t.client().post('/api/v1/sessions', { email: 'agent@staffing.test', password: added.temporaryPassword })).status).toBe(401);
    await signIn(t, 'agent@staffing.test', 'my own secret phrase');
  });

  it('a temporary password expires after 72 hours', async () => {
    const added = expectOk(await add(partner.admin, 'late@staffing.test', []), 201);
    t.clock.advance(hours(72) + 1000);
    expect((await t.client().post<Problem>('/api/v1/sessions', { email: 'late@staffing.test', password: added.temporaryPassword })).status).toBe(401);
    partner.admin = await signIn(t, partner.adminEmail);
    operator = await signIn(t, 'ops@operator.test');
  });

  it('refuses a duplicate email whatever its case', async () => {
    const dup = await add(partner.admin, 'AGENT@Staffing.test', []);
    expect([dup.status, dup.body.code, dup.body.field]).toEqual([409, 'email_taken', 'email']);
  });

  it('AUTHZ-03 role ceilings: a user admin never grants or edits global admin; nobody grants a role they lack', async () => {
    const ua = expectOk(await add(partner.admin, 'ua@staffing.test', ['user_admin']), 201);
    const userAdmin = await signIn(t, 'ua@staffing.test', ua.temporaryPassword);
    expect((await userAdmin.post('/api/v1/me/password', { currentPassword: ua.temporaryPassword, newPassword: 'user admin phrase' })).status).toBe(204);
    await enrollMfa(t, userAdmin, ua.user.email);
    const grantGa = await add(userAdmin, 'ga2@staffing.test', ['global_admin']);
    expect([grantGa.status, grantGa.body.code]).toEqual([403, 'role_ceiling']);
    const grantAgent = await add(userAdmin, 'aa2@staffing.test', ['admin_agent']);
    expect([grantAgent.status, grantAgent.body.code]).toEqual([403, 'role_ceiling']);
    const adminId = expectOk(await partner.admin.get<{ user: { id: string } }>('/api/v1/me')).user.id;
    const editGa = await userAdmin.patch<Problem>(`/api/v1/users/${adminId}`, { displayName: 'Renamed' });
    expect([editGa.status, editGa.body.code]).toEqual([403, 'role_ceiling']);
    expect((await userAdmin.delete(`/api/v1/users/${adminId}`)).status).toBe(403);
    // A user admin manages ordinary users.
    const plain = expectOk(await add(userAdmin, 'plain@staffing.test', []), 201);
    expect(expectOk(await userAdmin.patch<{ displayName: string }>(`/api/v1/users/${plain.user.id}`, { displayName: 'Plain Person' })).displayName).toBe('Plain Person');
    // An agent cannot manage users at all.
    const agent = await signIn(t, 'agent@staffing.test', 'my own secret phrase');
    expect((await agent.get('/api/v1/users')).status).toBe(403);
  });

  it('AUTHZ-03 lockout safety: the last global admin cannot be demoted, disabled or deleted', async () => {
    const adminId = expectOk(await partner.admin.get<{ user: { id: string } }>('/api/v1/me')).user.id;
    for (const reply of [
      await partner.admin.patch<Problem>(`/api/v1/users/${adminId}`, { roles: ['admin_agent'] }),
      await partner.admin.patch<Problem>(`/api/v1/users/${adminId}`, { status: 'disabled' }),
      await partner.admin.delete<Problem>(`/api/v1/users/${adminId}`),
    ]) {
      expect([reply.status, reply.body.code]).toEqual([409, 'last_global_admin']);
    }
    // With a second global admin, either may step down.
    const second = expectOk(await add(partner.admin, 'ga@staffing.test', ['global_admin']), 201);
    expect(expectOk(await partner.admin.patch<{ roles: string[] }>(`/api/v1/users/${second.user.id}`, { roles: ['billing_admin'] })).roles).toEqual(['billing_admin']);
    expect((await partner.admin.patch(`/api/v1/users/${second.user.id}`, { roles: ['global_admin'] })).status).toBe(200);
    expect((await partner.admin.delete(`/api/v1/users/${second.user.id}`)).status).toBe(204);
  });

  it('AUTHZ-03: every refused escalation by a user admin leaves the database as it was: grant GA, edit, remove or reset the MFA of a GA, a role not held, itself through /users or /me', async () => {
    const ua = expectOk(await add(partner.admin, 'ua3@staffing.test', ['user_admin']), 201);
    const userAdmin = await signIn(t, 'ua3@staffing.test', ua.temporaryPassword);
    expect((await userAdmin.post('/api/v1/me/password', { currentPassword: ua.temporaryPassword, newPassword: 'third user admin phrase' })).status).toBe(204);
    await enrollMfa(t, userAdmin, ua.user.email);
    const plain = expectOk(await add(partner.admin, 'plain3@staffing.test', ['sales_agent']), 201).user;
    const gaId = expectOk(await partner.admin.get<{ user: { id: string } }>('/api/v1/me')).user.id;
    const agent = await signIn(t, 'agent@staffing.test', 'my own secret phrase');
    const cases: [string, () => Promise<Reply<Problem>>, number, string | null][] = [
      ['add a global admin', () => add(userAdmin, 'ga3@staffing.test', ['global_admin']), 403, 'role_ceiling'],
      ['make an ordinary user global admin', () => userAdmin.patch<Problem>(`/api/v1/users/${plain.id}`, { roles: ['sales_agent', 'global_admin'] }), 403, 'role_ceiling'],
      ['add a user with a role it does not hold', () => add(userAdmin, 'billing3@staffing.test', ['billing_admin']), 403, 'role_ceiling'],
      ['give a user a role it does not hold', () => userAdmin.patch<Problem>(`/api/v1/users/${plain.id}`, { roles: ['sales_agent', 'billing_admin'] }), 403, 'role_ceiling'],
      ['rename a global admin', () => userAdmin.patch<Problem>(`/api/v1/users/${gaId}`, { displayName: 'Renamed' }), 403, 'role_ceiling'],
      ['disable a global admin', () => userAdmin.patch<Problem>(`/api/v1/users/${gaId}`, { status: 'disabled' }), 403, 'role_ceiling'],
      ['remove a global admin', () => userAdmin.delete<Problem>(`/api/v1/users/${gaId}`), 403, 'role_ceiling'],
      ['reset a global admin\'s MFA', () => userAdmin.delete<Problem>(`/api/v1/users/${gaId}/mfa`), 403, 'role_ceiling'],
      ['make itself global admin', () => userAdmin.patch<Problem>(`/api/v1/users/${ua.user.id}`, { roles: ['user_admin', 'global_admin'] }), 403, 'role_ceiling'],
      ['give itself a role it does not hold', () => userAdmin.patch<Problem>(`/api/v1/users/${ua.user.id}`, { roles: ['user_admin', 'admin_agent'] }), 403, 'role_ceiling'],
      // The /me routes take no roles: an extra field is refused by the strict body, PATCH /me does not exist.
      ['give itself roles with its password change', () => userAdmin.post<Problem>('/api/v1/me/password', { currentPassword: 'third user admin phrase', newPassword: 'fourth phrase here', roles: ['global_admin'] }), 400, null],
      // Agents (sales here) grant nothing at all: the guard refuses before the use case.
      ['a sales agent adds a user with its own role', () => add(agent, 'agent3@staffing.test', ['sales_agent']), 403, null],
      ['a sales agent gives a user its own role', () => agent.patch<Problem>(`/api/v1/users/${plain.id}`, { roles: ['sales_agent'] }), 403, null],
      ['PATCH /me with roles', () => userAdmin.patch<Problem>('/api/v1/me', { roles: ['global_admin'] }), 404, null],
    ];
    const outcomes: string[] = [];
    for (const [what, send, status, code] of cases) {
      const before = await databaseDigest(t);
      const reply = await send();
      const changed = (await databaseDigest(t)) !== before;
      outcomes.push(`${what}: ${reply.status}${code === null ? '' : ` ${reply.body.code}`}${changed ? ' (database changed)' : ''}`);
      expect(outcomes.at(-1)).toBe(`${what}: ${status}${code === null ? '' : ` ${code}`}`);
    }
    // The roles are what they were, read back through the API.
    const roles = expectOk(await partner.admin.get<{ items: { id: string; roles: string[] }[] }>('/api/v1/users')).items;
    expect(roles.find((u) => u.id === ua.user.id)?.roles).toEqual(['user_admin']);
    expect(roles.find((u) => u.id === plain.id)?.roles).toEqual(['sales_agent']);
    expect(roles.find((u) => u.id === gaId)?.roles).toContain('global_admin');
  });

  it('disabling a user ends its sessions and API keys at once; another organization\'s user is not found', async () => {
    const added = expectOk(await add(partner.admin, 'keys@staffing.test', ['global_admin', 'admin_agent']), 201);
    const holder = await signIn(t, 'keys@staffing.test', added.temporaryPassword);
    expect((await holder.post('/api/v1/me/password', { currentPassword: added.temporaryPassword, newPassword: 'keys holder phrase' })).status).toBe(204);
    await enrollMfa(t, holder, added.user.email);
    const key = expectOk(await holder.post<{ secret: string }>('/api/v1/api-keys', { name: 'bot', roles: ['admin_agent'] }), 201);
    const bot = t.client();
    bot.apiKey = key.secret;
    expect((await bot.get('/api/v1/me')).status).toBe(200);
    expectOk(await partner.admin.patch(`/api/v1/users/${added.user.id}`, { status: 'disabled' }));
    expect((await holder.get('/api/v1/me')).status).toBe(401);
    expect((await bot.get('/api/v1/me')).status).toBe(401);
    const other = await createPartner(t, operator, 'Other Staffing', 'indirect_provider');
    expect((await other.admin.patch(`/api/v1/users/${added.user.id}`, { status: 'active' })).status).toBe(404);
    expect((await other.admin.delete(`/api/v1/users/${added.user.id}`)).status).toBe(404);
  });
});
