import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import { databaseDigest } from '../../../test/fixture.ts';
import { createOperator, createTestContext, expectOk, signIn, type TestContext } from '../../../test/harness.ts';

interface Problem {
  code: string;
}

describe('customer users and licenses through delegated admin', () => {
  let t: TestContext;
  let w: CommerceWorld;
  let subscriptionId = '';

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Admin');
    const order = expectOk(
      await w.provider.admin.post<{ lines: { subscriptionId: string }[] }>(
        `/api/v1/customers/${w.joint.id}/orders`,
        { resellerId: w.reseller.id, lines: [{ skuId: w.skuId, quantity: 2, billingCycle: 'monthly' }] },
        { 'idempotency-key': 'admin-order' },
      ),
      201,
    );
    subscriptionId = order.lines[0]?.subscriptionId ?? '';
  });
  afterAll(() => t.close());

  it('an admin agent with a grant adds a user (temporary password once), assigns seats up to the quantity, never more', async () => {
    const created = expectOk(
      await w.reseller.admin.post<{ user: { id: string; mustChangePassword: boolean }; temporaryPassword: string }>(`/api/v1/customers/${w.joint.id}/users`, {
        displayName: 'Dana Dentist',
        email: 'dana@admin-joint.test',
      }),
      201,
    );
    expect(created.user.mustChangePassword).toBe(true);
    expect(created.temporaryPassword.length).toBeGreaterThanOrEqual(16);
    await signIn(t, 'dana@admin-joint.test', created.temporaryPassword);
    const list = expectOk(await w.reseller.admin.get<{ items: { email: string }[] }>(`/api/v1/customers/${w.joint.id}/users`));
    expect(list.items.map((u) => u.email)).toContain('dana@admin-joint.test');
    const listing = await w.reseller.admin.get(`/api/v1/customers/${w.joint.id}/users`);
    expect(listing.raw).not.toContain(created.temporaryPassword);

    const users = [created.user.id, (await w.joint.admin.get<{ user: { id: string } }>('/api/v1/me')).body.user.id];
    for (const uid of users) expect((await w.reseller.admin.post(`/api/v1/customers/${w.joint.id}/users/${uid}/licenses`, { subscriptionId })).status).toBe(204);
    const third = expectOk(
      await w.joint.admin.post<{ user: { id: string } }>(`/api/v1/customers/${w.joint.id}/users`, { displayName: 'Third', email: 'third@admin-joint.test' }),
      201,
    );
    const full = await w.reseller.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/users/${third.user.id}/licenses`, { subscriptionId });
    expect([full.status, full.body.code]).toEqual([409, 'seats_exhausted']);
    // Lowering the quantity below what is assigned is refused.
    const sub = expectOk(await w.reseller.admin.get<{ etag: string; assignedLicenses: number }>(`/api/v1/customers/${w.joint.id}/subscriptions/${subscriptionId}`));
    expect(sub.assignedLicenses).toBe(2);
    const lower = await w.reseller.admin.patch<Problem>(`/api/v1/customers/${w.joint.id}/subscriptions/${subscriptionId}`, { quantity: 1 }, { 'if-match': sub.etag });
    expect([lower.status, lower.body.code]).toEqual([409, 'seats_in_use']);
    expect((await w.joint.admin.delete(`/api/v1/customers/${w.joint.id}/users/${created.user.id}/licenses/${subscriptionId}`)).status).toBe(204);
    expect((await w.reseller.admin.post(`/api/v1/customers/${w.joint.id}/users/${third.user.id}/licenses`, { subscriptionId })).status).toBe(204);
  });

  it('DAP-08: every action through the grant is audited on behalf of it and readable by the customer', async () => {
    const events = expectOk(
      await w.joint.admin.get<{ items: { action: string; onBehalfOf: { type: string } | null; actor: { organizationId: string } }[] }>('/api/v1/audit-events?limit=200'),
    ).items.filter((e) => e.actor.organizationId === w.reseller.id && ['user.created', 'license.assigned'].includes(e.action));
    expect(events.length).toBe(4);
    expect(events.every((e) => e.onBehalfOf?.type === 'delegated_admin_grant')).toBe(true);
  });

  it('AUTHZ-03: a delegated helpdesk cannot reset the customer\'s global admin\'s password; nothing changes', async () => {
    const ga = expectOk(await w.joint.admin.get<{ user: { id: string } }>('/api/v1/me')).user;
    const before = await databaseDigest(t);
    const reset = await w.reseller.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/users/${ga.id}/password-reset`);
    expect([reset.status, reset.body.code]).toEqual([403, 'role_ceiling']);
    expect(await databaseDigest(t)).toBe(before);
    // The global admin's session and password still work.
    expect((await w.joint.admin.get('/api/v1/me')).status).toBe(200);
    await signIn(t, w.joint.adminEmail);
  });

  it('DAP-01: after the customer revokes the grant, the next request fails; the helpdesk role is needed for resets', async () => {
    const users = expectOk(await w.reseller.admin.get<{ items: { id: string; email: string }[] }>(`/api/v1/customers/${w.joint.id}/users`)).items;
    const dana = users.find((u) => u.email === 'dana@admin-joint.test');
    if (dana === undefined) throw new Error('dana missing');
    const reset = expectOk(await w.reseller.admin.post<{ temporaryPassword: string }>(`/api/v1/customers/${w.joint.id}/users/${dana.id}/password-reset`));
    await signIn(t, 'dana@admin-joint.test', reset.temporaryPassword);

    const grants = expectOk(await w.joint.admin.get<{ items: { organization: { id: string }; delegatedAdmin: { id: string; state: string }[] }[] }>('/api/v1/partners')).items;
    const grant = grants.find((g) => g.organization.id === w.reseller.id)?.delegatedAdmin.find((g) => g.state === 'active');
    expectOk(await w.joint.admin.delete(`/api/v1/partners/${w.reseller.id}/delegated-admin/${grant?.id ?? ''}`));
    const after = await w.reseller.admin.post<Problem>(`/api/v1/customers/${w.joint.id}/users`, { displayName: 'Late', email: 'late@admin-joint.test' });
    expect([after.status, after.body.code]).toEqual([403, 'delegated_admin_required']);
    expect((await w.reseller.admin.get(`/api/v1/customers/${w.joint.id}/users`)).status).toBe(403);
    // The provider's own grant still works; a partner with neither relationship nor grant sees 404.
    expect((await w.provider.admin.get(`/api/v1/customers/${w.joint.id}/users`)).status).toBe(200);
    expect((await w.provider.admin.get(`/api/v1/customers/${w.solo.id}/users`)).status).toBe(404);
  });

  it('an admin agent with user_admin removes a user without admin roles: sessions end, the seat is freed, audited on behalf of the grant', async () => {
    const created = expectOk(
      await w.provider.admin.post<{ user: { id: string }; temporaryPassword: string }>(`/api/v1/customers/${w.joint.id}/users`, { displayName: 'Gone', email: 'gone@admin-joint.test' }),
      201,
    );
    const gone = await signIn(t, 'gone@admin-joint.test', created.temporaryPassword);
    expect((await gone.get('/api/v1/me')).status).not.toBe(401);
    const users = expectOk(await w.provider.admin.get<{ items: { id: string; email: string }[] }>(`/api/v1/customers/${w.joint.id}/users`)).items;
    const third = users.find((u) => u.email === 'third@admin-joint.test');
    if (third === undefined) throw new Error('third missing');
    const seatsBefore = expectOk(await w.provider.admin.get<{ assignedLicenses: number }>(`/api/v1/customers/${w.joint.id}/subscriptions/${subscriptionId}`)).assignedLicenses;

    for (const uid of [created.user.id, third.id]) expect((await w.provider.admin.delete(`/api/v1/customers/${w.joint.id}/users/${uid}`)).status).toBe(204);
    expect((await gone.get('/api/v1/me')).status).toBe(401);
    const after = expectOk(await w.provider.admin.get<{ items: { id: string }[] }>(`/api/v1/customers/${w.joint.id}/users`)).items.map((u) => u.id);
    expect(after).not.toContain(created.user.id);
    expect(after).not.toContain(third.id);
    expect(expectOk(await w.provider.admin.get<{ assignedLicenses: number }>(`/api/v1/customers/${w.joint.id}/subscriptions/${subscriptionId}`)).assignedLicenses).toBe(seatsBefore - 1);
    const again = await w.provider.admin.delete<Problem>(`/api/v1/customers/${w.joint.id}/users/${third.id}`);
    expect([again.status, again.body.code]).toEqual([404, 'not_found']);

    const events = expectOk(
      await w.joint.admin.get<{ items: { action: string; target: { id: string }; onBehalfOf: { type: string } | null; actor: { organizationId: string } }[] }>('/api/v1/audit-events?limit=200'),
    ).items.filter((e) => e.action === 'user.deleted');
    expect(events.map((e) => e.target.id).sort()).toEqual([created.user.id, third.id].sort());
    expect(events.every((e) => e.onBehalfOf?.type === 'delegated_admin_grant' && e.actor.organizationId === w.provider.id)).toBe(true);
  });

  it('removing a user who holds an admin role is 403 customer_admin_protected, a user of another organization 404; nothing changes', async () => {
    const ga = expectOk(await w.joint.admin.get<{ user: { id: string } }>('/api/v1/me')).user;
    const userAdmin = expectOk(
      await w.joint.admin.post<{ user: { id: string } }>('/api/v1/users', { displayName: 'Ursula Admin', email: 'ursula@admin-joint.test', roles: ['user_admin'] }),
      201,
    ).user;
    const stranger = expectOk(await w.solo.admin.get<{ user: { id: string } }>('/api/v1/me')).user;
    const before = await databaseDigest(t);
    for (const uid of [ga.id, userAdmin.id]) {
      const refused = await w.provider.admin.delete<Problem>(`/api/v1/customers/${w.joint.id}/users/${uid}`);
      expect([refused.status, refused.body.code]).toEqual([403, 'customer_admin_protected']);
    }
    const elsewhere = await w.provider.admin.delete<Problem>(`/api/v1/customers/${w.joint.id}/users/${stranger.id}`);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'not_found']);
    // The provider has no relationship with the solo customer: the customer itself is not found.
    expect((await w.provider.admin.delete(`/api/v1/customers/${w.solo.id}/users/${stranger.id}`)).status).toBe(404);
    expect(await databaseDigest(t)).toBe(before);
  });
});
