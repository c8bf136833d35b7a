import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { days } from '../../platform/clock.ts';
import { sqlState } from '../../platform/errors.ts';
import { runInTransaction } from '../../platform/unit-of-work.ts';
import { expireDelegatedAdmin } from '../delegated-admin/index.ts';
import { expireInvitations } from '../invitations/index.ts';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  queryRows,
  signIn,
  type Issued,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Ref {
  id: string;
}
interface Grant {
  id: string;
  partner: Ref;
}
interface AuditEvent {
  id: string;
  action: string;
  target: { type: string; id: string };
  actor: { userId: string | null; organizationId: string | null };
  requestId: string | null;
}

type Name = 'operator' | 'provider' | 'reseller' | 'single' | 'joint' | 'timed' | 'existing' | 'strangerPartner' | 'strangerCustomer';

describe('audit events: one per state change, readable by exactly the organizations it concerns, never rewritten', () => {
  let t: TestContext;
  const org = {} as Record<Name, OrgHandle>;
  /** Every event this file causes: "action target" → the organizations it concerns (and no other may read it). */
  const expected = new Map<string, Name[]>();
  const concerns = (action: string, targetId: string | undefined, readers: Name[]) => {
    if (targetId === undefined) throw new Error(`no target for ${action}`);
    expected.set(`${action} ${targetId}`, readers);
  };

  const invite = async (who: Name, path: string, body: Record<string, unknown>): Promise<Issued> =>
    issuedFrom(expectOk(await org[who].admin.post(path, body), 201) as never);
  const accept = async (who: Name, issued: Issued) =>
    expectOk(
      await org[who].admin.post<{ partnership: Ref | null; relationships: (Ref & { partner: Ref })[]; delegatedAdmin: Grant[] }>(
        `/api/v1/invitations/${issued.id}/accept`,
        { token: issued.token, consent: true },
      ),
    );

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    const operatorOrgId = expectOk(await operator.get<{ organization: Ref }>('/api/v1/me')).organization.id;
    org.operator = { id: operatorOrgId, name: 'Operator', domain: '', adminEmail: 'ops@operator.test', admin: operator };
    org.provider = await createPartner(t, operator, 'Audit Distribution', 'indirect_provider');
    org.reseller = await createPartner(t, operator, 'Audit Reseller', 'indirect_reseller');
    org.strangerPartner = await createPartner(t, operator, 'Stranger Reseller', 'indirect_reseller');
    for (const [name, label] of [
      ['single', 'Single Customer'],
      ['joint', 'Joint Customer'],
      ['timed', 'Timed Customer'],
      ['existing', 'Existing Customer'],
      ['strangerCustomer', 'Stranger Customer'],
    ] as const) {
      org[name] = await createCustomer(t, label);
    }

    // W4: invitation, acceptance, partnership, the provider's grant in the reseller.
    const partnership = await invite('provider', '/api/v1/reseller-invitations', { email: org.reseller.adminEmail });
    const connected = await accept('reseller', partnership);
    const providerInReseller = connected.delegatedAdmin[0]?.id;
    concerns('invitation.created', partnership.id, ['provider']);
    concerns('invitation.accepted', partnership.id, ['provider', 'reseller']);
    concerns('partnership.created', connected.partnership?.id, ['provider', 'reseller']);
    concerns('delegated_admin.granted', providerInReseller, ['provider', 'reseller']);

    // W6: a single customer invitation.
    const single = await invite('reseller', '/api/v1/customer-invitations', { email: org.single.adminEmail });
    const singleAccepted = await accept('single', single);
    concerns('invitation.created', single.id, ['reseller']);
    concerns('invitation.accepted', single.id, ['reseller', 'single']);
    concerns('reseller_relationship.created', singleAccepted.relationships[0]?.id, ['reseller', 'single']);
    concerns('delegated_admin.granted', singleAccepted.delegatedAdmin[0]?.id, ['reseller', 'single']);

    // W7: a joint invitation; first a re-sent one supersedes the original.
    const superseded = await invite('reseller', '/api/v1/customer-invitations', { email: org.joint.adminEmail, indirectProviderId: org.provider.id });
    const joint = await invite('reseller', '/api/v1/customer-invitations', { email: org.joint.adminEmail, indirectProviderId: org.provider.id });
    const jointAccepted = await accept('joint', joint);
    concerns('invitation.created', superseded.id, ['reseller', 'provider']);
    concerns('invitation.revoked', superseded.id, ['reseller', 'provider']);
    concerns('invitation.created', joint.id, ['reseller', 'provider']);
    concerns('invitation.accepted', joint.id, ['reseller', 'provider', 'joint']);
    for (const r of jointAccepted.relationships) {
      concerns('reseller_relationship.created', r.id, [r.partner.id === org.provider.id ? 'provider' : 'reseller', 'joint']);
    }
    for (const g of jointAccepted.delegatedAdmin) {
      concerns('delegated_admin.granted', g.id, [g.partner.id === org.provider.id ? 'provider' : 'reseller', 'joint']);
    }

    // Revoked by the inviter, and declined by the signed-in invitee.
    const revoked = await invite('reseller', '/api/v1/customer-invitations', { email: 'nobody@revoked.test', indirectProviderId: org.provider.id });
    expectOk(await org.reseller.admin.post(`/api/v1/invitations/${revoked.id}/revoke`));
    concerns('invitation.created', revoked.id, ['reseller', 'provider']);
    concerns('invitation.revoked', revoked.id, ['reseller', 'provider']);
    const declined = await invite('reseller', '/api/v1/customer-invitations', { email: org.existing.adminEmail });
    expectOk(await org.existing.admin.post(`/api/v1/invitations/${declined.id}/decline`, { token: declined.token }));
    concerns('invitation.created', declined.id, ['reseller']);
    concerns('invitation.declined', declined.id, ['reseller', 'existing']);

    // Revocations from each side, and the reseller removing the provider's access.
    const providerInJoint = jointAccepted.delegatedAdmin.find((g) => g.partner.id === org.provider.id)?.id;
    expectOk(await org.joint.admin.delete(`/api/v1/partners/${org.provider.id}/delegated-admin/${providerInJoint}`));
    concerns('delegated_admin.revoked', providerInJoint, ['provider', 'joint']);
    expectOk(await org.reseller.admin.delete(`/api/v1/indirect-providers/${org.provider.id}/delegated-admin`));
    concerns('delegated_admin.revoked', providerInReseller, ['provider', 'reseller']);

    // W8: removal with the grant revoked in the same step.
    const removed = expectOk(
      await org.reseller.admin.post<{ relationship: Ref }>(`/api/v1/customers/${org.single.id}/relationship/remove`, {
        attestation: true,
        revokeDelegatedAdmin: true,
      }),
    );
    concerns('reseller_relationship.removed', removed.relationship.id, ['reseller', 'single']);
    concerns('delegated_admin.revoked', singleAccepted.delegatedAdmin[0]?.id, ['reseller', 'single']);

    // The partnership ends.
    const ended = expectOk(await org.provider.admin.delete<{ partnership: Ref }>(`/api/v1/indirect-resellers/${org.reseller.id}`));
    concerns('partnership.ended', ended.partnership.id, ['provider', 'reseller']);

    // W9: the operator imports a relationship for an existing customer and a new one.
    expectOk(
      await operator.post('/api/v1/operator/reseller-relationships/import', {
        items: [
          { partnerDomain: org.reseller.domain, customerName: 'Existing Customer', customerDomain: org.existing.domain, customerCountry: 'US' },
          { partnerDomain: org.reseller.domain, customerName: 'Imported Only', customerDomain: 'imported-only.test', customerCountry: 'US' },
        ],
      }),
    );
    const imported = expectOk(await org.reseller.admin.get<Page<Ref & { name: string; relationship: Ref }>>('/api/v1/customers')).items;
    const existingRel = imported.find((c) => c.id === org.existing.id)?.relationship.id;
    const importedOnly = imported.find((c) => c.name === 'Imported Only');
    concerns('reseller_relationship.created', existingRel, ['operator', 'reseller', 'existing']);
    // The imported organization has no users yet: of the readers, only the operator and the reseller can sign in.
    concerns('reseller_relationship.created', importedOnly?.relationship.id, ['operator', 'reseller']);
    concerns('organization.imported', importedOnly?.id, ['operator']);

    // On the clock: an invitation and a grant lapse, and the sweeps write them down.
    const timedInvitation = await invite('reseller', '/api/v1/customer-invitations', { email: org.timed.adminEmail, delegatedAdminDays: 1 });
    const timedAccepted = await accept('timed', timedInvitation);
    const timedGrant = timedAccepted.delegatedAdmin[0]?.id;
    concerns('invitation.created', timedInvitation.id, ['reseller']);
    concerns('invitation.accepted', timedInvitation.id, ['reseller', 'timed']);
    concerns('reseller_relationship.created', timedAccepted.relationships[0]?.id, ['reseller', 'timed']);
    concerns('delegated_admin.granted', timedGrant, ['reseller', 'timed']);
    const lapsed = await invite('reseller', '/api/v1/customer-invitations', { email: 'late@lapsed.test', expiresInDays: 1 });
    concerns('invitation.created', lapsed.id, ['reseller']);
    t.clock.advance(days(1));
    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireInvitations(ctx))).toBe(1);
    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireDelegatedAdmin(ctx))).toBe(1);
    concerns('invitation.expired', lapsed.id, ['reseller']);
    concerns('delegated_admin.expired', timedGrant, ['reseller', 'timed']);

    // Sessions end after two idle hours.
    for (const name of Object.keys(org) as Name[]) org[name].admin = await signIn(t, org[name].adminEmail);
  });
  afterAll(() => t.close());

  /** Every event an organization can read, following the cursor (small pages on purpose). */
  async function readable(name: Name): Promise<AuditEvent[]> {
    const all: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<AuditEvent> = expectOk(await org[name].admin.get<Page<AuditEvent>>(`/api/v1/audit-events?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`));
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return all;
  }

  it('each state change left one event, readable by exactly the organizations it concerns and by no other', async () => {
    const readers = new Map<string, Name[]>();
    for (const name of Object.keys(org) as Name[]) {
      const events = await readable(name);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      for (const e of events) {
        const key = `${e.action} ${e.target.id}`;
        readers.set(key, [...(readers.get(key) ?? []), name]);
      }
    }
    expect(expected.size).toBe(35);
    for (const [key, names] of expected) {
      expect([key, (readers.get(key) ?? []).sort()]).toEqual([key, [...names].sort()]);
    }
    // Each change is recorded exactly once.
    const rows = await queryRows<{ key: string; n: number }>(
      t,
      sql`select action || ' ' || target_id::text as key, count(*)::int as n from audit_events group by action, target_id`,
    );
    const times = new Map(rows.map((r) => [r.key, r.n]));
    expect([...expected.keys()].filter((key) => times.get(key) !== 1)).toEqual([]);
  });

  it('records who acted, for which organization, in which request', async () => {
    const events = await readable('joint');
    const accepted = events.find((e) => e.action === 'invitation.accepted');
    expect(accepted?.actor.organizationId).toBe(org.joint.id);
    expect(accepted?.actor.userId).not.toBeNull();
    expect(accepted?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const swept = (await readable('timed')).find((e) => e.action === 'delegated_admin.expired');
    expect([swept?.actor.userId, swept?.actor.organizationId, swept?.requestId]).toEqual([null, null, 'test']);
  });

  it('filters by action, object type, actor, time and on-behalf-of organization, only within what the caller reads', async () => {
    type Named = AuditEvent & { target: { name: string | null }; onBehalfOf: Ref | null; occurredAt: string };
    const list = async (who: Name, query: string) => expectOk(await org[who].admin.get<Page<Named>>(`/api/v1/audit-events?limit=200&${query}`)).items;
    const all = await readable('reseller');
    const created = await list('reseller', 'action=invitation.created');
    expect(created.length).toBe(all.filter((e) => e.action === 'invitation.created').length);
    expect(created.every((e) => e.action === 'invitation.created')).toBe(true);
    // The object's name: the invitee's email for an invitation, the organization's name for an organization.
    expect(created.map((e) => e.target.name)).toContain(org.single.adminEmail);
    const invitations = await list('reseller', 'targetType=invitation');
    expect(invitations.length).toBe(all.filter((e) => e.target.type === 'invitation').length);
    const actor = created[0]?.actor.userId ?? '';
    expect((await list('reseller', `actorId=${actor}`)).every((e) => e.actor.userId === actor)).toBe(true);
    // Time: an empty window, then one around everything.
    expect(await list('reseller', 'to=2000-01-01T00:00:00Z')).toEqual([]);
    expect((await list('reseller', 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z')).length).toBe(all.length);
    // Another organization's filter never widens the scope: the stranger sees none of the reseller's events.
    expect(await list('strangerPartner', `actorId=${actor}`)).toEqual([]);
    expect(await list('strangerPartner', `onBehalfOf=${org.single.id}`)).toEqual([]);
    const behalf = await list('reseller', `onBehalfOf=${org.single.id}`);
    expect(behalf.every((e) => e.onBehalfOf !== null)).toBe(true);
    for (const bad of ['action=DROP', 'from=yesterday', 'actorId=me', 'targetType=a.b']) {
      expect((await org.reseller.admin.get(`/api/v1/audit-events?${bad}`)).status, bad).toBe(400);
    }
  });

  it('exports what the filter shows as CSV, every row', async () => {
    const all = await readable('reseller');
    const reply = await org.reseller.admin.get('/api/v1/audit-events/export');
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toMatch(/^text\/csv/);
    const lines = reply.raw.trimEnd().split('\n');
    expect(lines[0]).toBe('occurred_at,action,actor_name,actor_user_id,actor_api_key_id,target_type,target_id,target_name,on_behalf_of_type,on_behalf_of_id,request_id,before,after');
    // One line per event (the JSON columns are quoted; none of these events has a line break).
    expect(lines.length - 1).toBe(all.length);
    const filtered = await org.reseller.admin.get('/api/v1/audit-events/export?action=invitation.revoked');
    expect(filtered.raw.trimEnd().split('\n').slice(1).every((l) => l.split(',')[1] === 'invitation.revoked')).toBe(true);
    expect((await org.strangerPartner.admin.get(`/api/v1/audit-events/export?targetId=${all[0]?.target.id ?? ''}`)).raw.trimEnd().split('\n')).toHaveLength(1);
  });

  it('on both engines, audit events can be neither changed nor deleted', async () => {
    const [before] = await queryRows<{ n: number; id: string }>(t, sql`select count(*)::int as n, min(id::text) as id from audit_events`);
    expect(before?.n).toBeGreaterThan(0);
    const refusal = async (statement: ReturnType<typeof sql>) => {
      try {
        await t.db.execute(statement);
      } catch (error) {
        return sqlState(error);
      }
      return 'accepted';
    };
    expect(await refusal(sql`UPDATE audit_events SET action = 'forged' WHERE id = ${before?.id}::uuid`)).toBe('42501');
    expect(await refusal(sql`UPDATE audit_events SET organization_ids = array[]::uuid[]`)).toBe('42501');
    expect(await refusal(sql`DELETE FROM audit_events WHERE id = ${before?.id}::uuid`)).toBe('42501');
    expect(await refusal(sql`DELETE FROM audit_events`)).toBe('42501');
    expect(await refusal(sql`TRUNCATE audit_events`)).toBe('42501');
    const [after] = await queryRows<{ n: number; forged: number }>(
      t,
      sql`select count(*)::int as n, count(*) filter (where action = 'forged')::int as forged from audit_events`,
    );
    expect(after).toEqual({ n: before?.n, forged: 0 });
    // Still readable as before.
    expect((await readable('reseller')).length).toBeGreaterThan(0);
  });
});
