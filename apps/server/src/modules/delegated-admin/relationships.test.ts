import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { days, minutes } from '../../platform/clock.ts';
import { runInTransaction } from '../../platform/unit-of-work.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  publicUrl,
  queryRows,
  relate,
  signIn,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';
import { sweepDelegatedAdmin } from './index.ts';

interface Problem {
  code: string;
  field?: string;
}
interface Relationship {
  id: string;
  displayName: string | null;
  partner: { id: string };
  customer: { id: string };
  reseller: { id: string } | null;
  resellerConsentedAt: string | null;
  roles: string[];
  duration: string | null;
  autoExtendDuration: string;
  state: string;
  activatedAt: string | null;
  endsAt: string | null;
  terminatedBy: string | null;
  approvalUrl: string | null;
  pendingAmendment: { id: string; roles: string[] | null; duration: string | null } | null;
  etag: string;
}
interface Amendment {
  id: string;
  state: string;
}
interface AuditEvent {
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const base = '/api/v1/delegated-admin-relationships';
const act = (client: Client, id: string, action: string) => client.post<Relationship & Problem>(`${base}/${id}/requests`, { action });
const emails = async (t: TestContext) =>
  Number((await queryRows<{ n: number }>(t, sql`select count(*)::int as n from outbox_messages where topic = 'delegated_admin.notice'`))[0]?.n ?? 0);

/** Ends the grant the invitation gave, so that access runs through the relationships under test only. */
async function dropInvitationGrant(partner: OrgHandle, customer: OrgHandle): Promise<void> {
  const grants = expectOk(await partner.admin.get<{ items: { id: string }[] }>(`/api/v1/customers/${customer.id}/delegated-admin`)).items;
  for (const g of grants) expectOk(await partner.admin.delete(`/api/v1/customers/${customer.id}/delegated-admin/${g.id}`));
}

/** An API key of the customer holding only the approver role. */
async function approverOf(t: TestContext, customer: OrgHandle): Promise<Client> {
  const created = expectOk(await customer.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'Approver', roles: ['delegated_admin_approver'] }), 201);
  const client = t.client();
  client.apiKey = created.secret;
  return client;
}

describe('delegated admin relationships: request, approval, termination', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let customer: OrgHandle;
  let approver: Client;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Rel Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Rel Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Rel Customer');
    await connect(provider, reseller);
    await relate(reseller, customer);
    await dropInvitationGrant(reseller, customer);
    approver = await approverOf(t, customer);
  });
  afterAll(() => t.close());

  it('created → approval_pending → active: the customer sees it only once sent, approves it, and the partner acts through it', async () => {
    const draft = expectOk(
      await reseller.admin.post<Relationship>(base, { displayName: 'Helpdesk 2027', customerId: customer.id, roles: ['helpdesk'], duration: 'P90D' }),
      201,
    );
    expect(draft).toMatchObject({ state: 'created', roles: ['helpdesk'], duration: 'P90D', autoExtendDuration: 'P0D', activatedAt: null, endsAt: null, approvalUrl: null });
    // A draft is the partner's alone.
    expect((await customer.admin.get<Problem>(`${base}/${draft.id}`)).status).toBe(404);
    expect((await act(approver, draft.id, 'approve')).status).toBe(404);

    // A draft changes under If-Match: 428 without it, 412 with a version someone else changed since.
    const patch = (body: Record<string, unknown>, etag?: string) => reseller.admin.patch<Relationship & Problem>(`${base}/${draft.id}`, body, etag === undefined ? {} : { 'if-match': etag });
    expect((await patch({ duration: 'P60D' })).body.code).toBe('precondition_required');
    const changed = expectOk(await patch({ roles: ['helpdesk', 'user_admin'], duration: 'P60D' }, draft.etag));
    expect([changed.roles, changed.duration]).toEqual([['helpdesk', 'user_admin'], 'P60D']);
    expect(changed.etag).not.toBe(draft.etag);
    expect((await reseller.admin.get(`${base}/${draft.id}`)).headers['etag']).toBe(changed.etag);
    const stale = await patch({ duration: 'P61D' }, draft.etag);
    expect([stale.status, stale.body.code]).toEqual([412, 'precondition_failed']);

    // The customer's delegated admin approvers are asked too, not only its global admins.
    expectOk(await customer.admin.post('/api/v1/users', { displayName: 'Approver Person', email: 'approver@rel-customer.test', roles: ['delegated_admin_approver'] }), 201);
    const before = await emails(t);
    const sent = expectOk(await act(reseller.admin, draft.id, 'lock_for_approval'));
    expect(sent.state).toBe('approval_pending');
    expect(sent.approvalUrl).toBe(`${publicUrl}/delegated-admin/${draft.id}`);
    expect(await emails(t)).toBeGreaterThan(before);
    await t.drainOutbox();
    const asked = await queryRows<{ to_address: string; body: string }>(
      t,
      sql`select to_address, body from mailbox_messages where subject = 'A partner asks for delegated admin access' order by to_address`,
    );
    expect(asked.map((m) => m.to_address)).toEqual([customer.adminEmail, 'approver@rel-customer.test']);
    for (const m of asked) expect(t.sealer.open(m.body)).toContain(`${publicUrl}/delegated-admin/${draft.id}`);

    // Only while created: no more changes, no deletion, no second lock.
    expect((await patch({ duration: 'P10D' }, sent.etag)).body.code).toBe('relationship_not_editable');
    expect((await reseller.admin.delete<Problem>(`${base}/${draft.id}`)).body.code).toBe('relationship_not_editable');
    expect((await act(reseller.admin, draft.id, 'lock_for_approval')).body.code).toBe('relationship_transition_invalid');

    // The customer reads it (reading changes nothing) and finds it waiting; the partner cannot approve its own.
    const seen = expectOk(await customer.admin.get<Relationship>(`${base}/${draft.id}`));
    expect(seen.state).toBe('approval_pending');
    const waiting = expectOk(await approver.get<{ items: { kind: string; relationship: Relationship }[] }>('/api/v1/delegated-admin-requests')).items;
    expect(waiting.map((w) => [w.kind, w.relationship.id])).toEqual([['approval', draft.id]]);
    const selfApproval = await act(reseller.admin, draft.id, 'approve');
    expect([selfApproval.status, selfApproval.body.code]).toEqual([403, 'forbidden']);
    // Unrelated organizations see nothing.
    expect((await provider.admin.get<Problem>(`${base}/${draft.id}`)).status).toBe(404);
    expect((await act(provider.admin, draft.id, 'terminate')).status).toBe(404);

    const approved = expectOk(await act(approver, draft.id, 'approve'));
    expect(approved.state).toBe('active');
    expect(approved.endsAt).toBe(new Date(t.clock.now().getTime() + days(60)).toISOString());
    const twice = await act(approver, draft.id, 'approve');
    expect([twice.status, twice.body.code]).toEqual([409, 'relationship_transition_invalid']);

    // Access follows the relationship: the reseller's agents list the customer's users through it.
    expectOk(await reseller.admin.get(`/api/v1/customers/${customer.id}/users`));
    const list = expectOk(await reseller.admin.get<{ items: Relationship[] }>(`${base}?state=active`)).items;
    expect(list.map((r) => r.id)).toContain(draft.id);
    const legacy = expectOk(await reseller.admin.get<{ items: { id: string; state: string }[] }>(`/api/v1/customers/${customer.id}/delegated-admin`)).items;
    expect(legacy.find((g) => g.id === draft.id)?.state).toBe('active');

    // The customer terminates; the very next request through it is refused.
    const ended = expectOk(await act(approver, draft.id, 'terminate'));
    expect([ended.state, ended.terminatedBy]).toEqual(['terminated', 'customer']);
    const users = await reseller.admin.get<Problem>(`/api/v1/customers/${customer.id}/users`);
    expect(users.body.code).toBe('delegated_admin_required');
    expect((await act(reseller.admin, draft.id, 'terminate')).body.code).toBe('relationship_transition_invalid');

    const trail = expectOk(await customer.admin.get<{ items: AuditEvent[] }>(`/api/v1/audit-events?targetId=${draft.id}`)).items.map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['delegated_admin.approval_requested', 'delegated_admin.approved', 'delegated_admin.terminated']));
    expect(trail).not.toContain('delegated_admin.created');
  });

  it('refuses bad terms with stable codes', async () => {
    const post = (body: Record<string, unknown>) =>
      reseller.admin.post<Problem>(base, { displayName: 'Terms', customerId: customer.id, roles: ['helpdesk'], duration: 'P30D', ...body });
    for (const duration of ['P0D', 'P731D', 'P1Y', '30']) expect([duration, (await post({ duration })).status]).toEqual([duration, 400]);
    expect((await post({ roles: [] })).status).toBe(400);
    expect((await post({ roles: ['helpdesk', 'helpdesk'] })).status).toBe(400);
    const autoExtend = await post({ roles: ['user_admin'], autoExtendDuration: 'P180D' });
    expect([autoExtend.status, autoExtend.body.code, autoExtend.body.field]).toEqual([400, 'auto_extend_not_allowed', 'autoExtendDuration']);
    expectOk(await post({ displayName: 'Unique name' }), 201);
    expect((await post({ displayName: 'UNIQUE NAME' })).body.code).toBe('display_name_taken');
    // A customer the partner does not serve, and a draft of another partner.
    const stranger = await createCustomer(t, 'Rel Stranger');
    expect((await post({ customerId: stranger.id })).status).toBe(404);
    // A customer cannot request; a reseller the provider does not share the customer with is refused.
    expect((await customer.admin.post<Problem>(base, { displayName: 'x', customerId: customer.id, roles: ['helpdesk'], duration: 'P1D' })).status).toBe(403);
    const notShared = await provider.admin.post<Problem>(base, { displayName: 'x', customerId: stranger.id, roles: ['helpdesk'], duration: 'P1D', resellerId: reseller.id });
    expect([notShared.status, notShared.body.code]).toEqual([400, 'reseller_not_shared']);
  });

  it('the customer rejects; a draft is deleted', async () => {
    const draft = expectOk(await reseller.admin.post<Relationship>(base, { displayName: 'To reject', customerId: customer.id, roles: ['license_admin'], duration: 'P10D' }), 201);
    expectOk(await act(reseller.admin, draft.id, 'lock_for_approval'));
    const rejected = expectOk(await act(customer.admin, draft.id, 'reject'));
    expect(rejected.state).toBe('rejected');
    expect((await act(customer.admin, draft.id, 'approve')).body.code).toBe('relationship_transition_invalid');

    const other = expectOk(await reseller.admin.post<Relationship>(base, { displayName: 'To delete', customerId: customer.id, roles: ['license_admin'], duration: 'P10D' }), 201);
    expect((await reseller.admin.delete(`${base}/${other.id}`)).status).toBe(204);
    expect((await reseller.admin.get(`${base}/${other.id}`)).status).toBe(404);
  });

  it('three-party: the provider asks for its reseller\'s customer; the customer sees it only after the reseller consents', async () => {
    const draft = expectOk(
      await provider.admin.post<Relationship>(base, { displayName: 'Via reseller', customerId: customer.id, roles: ['license_admin'], duration: 'P90D', resellerId: reseller.id }),
      201,
    );
    expect(draft.reseller?.id).toBe(reseller.id);
    expect((await reseller.admin.get(`${base}/${draft.id}`)).status).toBe(404);
    expectOk(await act(provider.admin, draft.id, 'lock_for_approval'));

    expect((await customer.admin.get(`${base}/${draft.id}`)).status).toBe(404);
    expect((await act(customer.admin, draft.id, 'approve')).status).toBe(404);
    const forReseller = expectOk(await reseller.admin.get<{ items: { kind: string; relationship: Relationship }[] }>('/api/v1/delegated-admin-requests')).items;
    expect(forReseller.map((w) => [w.kind, w.relationship.id])).toEqual([['consent', draft.id]]);
    // The provider cannot consent for the reseller.
    expect((await act(provider.admin, draft.id, 'consent')).status).toBe(403);

    const consented = expectOk(await act(reseller.admin, draft.id, 'consent'));
    expect(consented.resellerConsentedAt).toBe(t.clock.now().toISOString());
    expect((await act(reseller.admin, draft.id, 'consent')).body.code).toBe('relationship_transition_invalid');
    // The reseller consents; it does not approve.
    expect((await act(reseller.admin, draft.id, 'approve')).status).toBe(403);

    expect(expectOk(await customer.admin.get<Relationship>(`${base}/${draft.id}`)).state).toBe('approval_pending');
    expect(expectOk(await act(customer.admin, draft.id, 'approve')).state).toBe('active');
    const trail = expectOk(await reseller.admin.get<{ items: AuditEvent[] }>(`/api/v1/audit-events?targetId=${draft.id}`)).items.map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['delegated_admin.consented', 'delegated_admin.approved']));
  });

  it('access tracing: both sides see each relationship in force with the latest actions done through it; strangers get 404', async () => {
    const draft = expectOk(await reseller.admin.post<Relationship>(base, { displayName: 'Traced', customerId: customer.id, roles: ['user_admin'], duration: 'P90D' }), 201);
    expectOk(await act(reseller.admin, draft.id, 'lock_for_approval'));
    expectOk(await act(approver, draft.id, 'approve'));
    expectOk(await reseller.admin.post(`/api/v1/customers/${customer.id}/users`, { displayName: 'Traced User', email: 'traced@rel-customer.test' }), 201);

    const mine = expectOk(await reseller.admin.get<Trace>(`/api/v1/customers/${customer.id}/access`));
    const path = mine.items.find((i) => i.relationship.id === draft.id);
    expect([path?.origin, path?.lastActions.map((a) => a.action), path?.lastUsedAt, path?.unused]).toEqual(['request', ['user.created'], t.clock.now().toISOString(), false]);
    const theirs = expectOk(await customer.admin.get<Trace>(`/api/v1/partners/${reseller.id}/access`));
    expect(theirs).toEqual(mine);
    // Only relationships in force are paths: terminated ones are gone from the trace.
    expectOk(await act(approver, draft.id, 'terminate'));
    expect(expectOk(await customer.admin.get<Trace>(`/api/v1/partners/${reseller.id}/access`)).items.map((i) => i.relationship.id)).not.toContain(draft.id);

    const stranger = await createPartner(t, operator, 'Rel Stranger Partner', 'indirect_reseller');
    expect((await stranger.admin.get<Problem>(`/api/v1/customers/${customer.id}/access`)).status).toBe(404);
    expect((await customer.admin.get<Problem>(`/api/v1/partners/${stranger.id}/access`)).status).toBe(404);
    expect((await customer.admin.get<Problem>(`/api/v1/customers/${customer.id}/access`)).status).toBe(403);
  });

  it('amendments: the old terms hold until the customer approves; the audit records before and after; no role is gained silently', async () => {
    const draft = expectOk(await reseller.admin.post<Relationship>(base, { displayName: 'Amend me', customerId: customer.id, roles: ['helpdesk'], duration: 'P30D' }), 201);
    expectOk(await act(reseller.admin, draft.id, 'lock_for_approval'));
    const active = expectOk(await act(customer.admin, draft.id, 'approve'));

    const first = expectOk(await reseller.admin.post<Amendment>(`${base}/${draft.id}/amendments`, { roles: ['helpdesk', 'user_admin'] }), 201);
    const second = expectOk(await reseller.admin.post<Amendment>(`${base}/${draft.id}/amendments`, { roles: ['helpdesk', 'user_admin'], duration: 'P120D' }), 201);
    // A newer proposal supersedes the pending one; the relationship keeps its terms meanwhile.
    const meanwhile = expectOk(await reseller.admin.get<Relationship>(`${base}/${draft.id}`));
    expect([meanwhile.roles, meanwhile.endsAt, meanwhile.pendingAmendment?.id]).toEqual([['helpdesk'], active.endsAt, second.id]);
    expect((await reseller.admin.get<Problem>(`/api/v1/customers/${customer.id}/users`)).body.code).toBe('delegated_admin_required');
    expect((await customer.admin.post<Problem>(`${base}/${draft.id}/amendments/${first.id}/approve`)).body.code).toBe('amendment_not_pending');
    // Only the customer decides; only the partner proposes.
    expect((await reseller.admin.post<Problem>(`${base}/${draft.id}/amendments/${second.id}/approve`)).status).toBe(403);
    expect((await customer.admin.post<Problem>(`${base}/${draft.id}/amendments`, { duration: 'P10D' })).status).toBe(403);
    const waiting = expectOk(await approver.get<{ items: { kind: string; relationship: Relationship }[] }>('/api/v1/delegated-admin-requests')).items;
    expect(waiting.some((w) => w.kind === 'amendment' && w.relationship.id === draft.id)).toBe(true);

    const decided = expectOk(await approver.post<{ relationship: Relationship; amendment: Amendment }>(`${base}/${draft.id}/amendments/${second.id}/approve`));
    expect(decided.amendment.state).toBe('approved');
    expect([decided.relationship.roles, decided.relationship.duration, decided.relationship.pendingAmendment]).toEqual([['helpdesk', 'user_admin'], 'P120D', null]);
    expect(decided.relationship.endsAt).toBe(new Date(Date.parse(active.activatedAt ?? '') + days(120)).toISOString());
    expectOk(await reseller.admin.get(`/api/v1/customers/${customer.id}/users`));
    expect((await approver.post<Problem>(`${base}/${draft.id}/amendments/${second.id}/reject`)).body.code).toBe('amendment_not_pending');

    const events = expectOk(await customer.admin.get<{ items: AuditEvent[] }>(`/api/v1/audit-events?targetId=${draft.id}`)).items;
    const approvedEvent = events.find((e) => e.action === 'delegated_admin.amendment_approved');
    expect(approvedEvent?.before).toMatchObject({ roles: ['helpdesk'], duration: 'P30D', endsAt: active.endsAt });
    expect(approvedEvent?.after).toMatchObject({ roles: ['helpdesk', 'user_admin'], duration: 'P120D', amendmentId: second.id });

    // A rejected amendment changes nothing; none is proposed on a relationship that is not active.
    const third = expectOk(await reseller.admin.post<Amendment>(`${base}/${draft.id}/amendments`, { roles: ['license_admin'] }), 201);
    const kept = expectOk(await customer.admin.post<{ relationship: Relationship; amendment: Amendment }>(`${base}/${draft.id}/amendments/${third.id}/reject`));
    expect([kept.amendment.state, kept.relationship.roles]).toEqual(['rejected', ['helpdesk', 'user_admin']]);
    // user_admin manages the customer's admins: the relationship may not auto-extend, so no amendment adds it to one that does (checked at creation too).
    expectOk(await act(reseller.admin, draft.id, 'terminate'));
    expect((await reseller.admin.post<Problem>(`${base}/${draft.id}/amendments`, { duration: 'P200D' })).body.code).toBe('relationship_transition_invalid');
  });
});

interface Trace {
  partner: { id: string };
  customer: { id: string };
  items: { relationship: { id: string }; origin: string; lastUsedAt: string | null; lastActions: { action: string }[]; unused: boolean }[];
}

describe('delegated admin relationships over time (fake clock)', () => {
  let t: TestContext;
  let operator: Client;
  let reseller: OrgHandle;
  let customer: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    reseller = await createPartner(t, operator, 'Clock Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Clock Customer');
    await relate(reseller, customer);
    await dropInvitationGrant(reseller, customer);
  });
  afterAll(() => t.close());

  async function advance(ms: number): Promise<void> {
    t.clock.advance(ms);
    operator = await signIn(t, 'ops@operator.test');
    for (const org of [reseller, customer]) org.admin = await signIn(t, org.adminEmail);
  }
  const sweep = () => runInTransaction(t.uow, null, 'test', (ctx) => sweepDelegatedAdmin(ctx));
  async function activeRelationship(body: Record<string, unknown>): Promise<Relationship> {
    const draft = expectOk(await reseller.admin.post<Relationship>(base, { customerId: customer.id, ...body }), 201);
    expectOk(await act(reseller.admin, draft.id, 'lock_for_approval'));
    return expectOk(await act(customer.admin, draft.id, 'approve'));
  }
  const audit = async (id: string) =>
    expectOk(await customer.admin.get<{ items: AuditEvent[] }>(`/api/v1/audit-events?targetId=${id}`)).items.map((e) => e.action);

  it('expiring 30 days before the end, reminders at 30, 7 and 1 days (once each), expired on time with 0 access after', async () => {
    await sweep();
    const rel = await activeRelationship({ displayName: 'Forty days', roles: ['user_admin'], duration: 'P40D' });
    const ends = Date.parse(rel.endsAt ?? '');
    expect((await sweep()).reminded).toBe(0);

    await advance(days(10) + minutes(1));
    expect(expectOk(await customer.admin.get<Relationship>(`${base}/${rel.id}`)).state).toBe('expiring');
    const before = await emails(t);
    expect((await sweep()).reminded).toBe(1);
    expect(await emails(t)).toBeGreaterThan(before);
    expect((await sweep()).reminded).toBe(0);
    expect(await audit(rel.id)).toContain('delegated_admin.expiring');

    await advance(ends - days(7) - t.clock.now().getTime() + minutes(1));
    expect((await sweep()).reminded).toBe(1);
    expect((await sweep()).reminded).toBe(0);
    await advance(ends - days(1) - t.clock.now().getTime() + minutes(1));
    expect((await sweep()).reminded).toBe(1);
    expect((await sweep()).reminded).toBe(0);

    // Access holds up to the end, and stops at it (before any sweep writes it down).
    await advance(ends - t.clock.now().getTime() - 1000);
    expectOk(await reseller.admin.get(`/api/v1/customers/${customer.id}/users`));
    await advance(2000);
    expect((await reseller.admin.get<Problem>(`/api/v1/customers/${customer.id}/users`)).body.code).toBe('delegated_admin_required');
    expect(expectOk(await reseller.admin.get<Relationship>(`${base}/${rel.id}`)).state).toBe('expired');
    const swept = await sweep();
    expect([swept.expired, swept.reminded]).toEqual([1, 0]);
    expect(await audit(rel.id)).toContain('delegated_admin.expired');
    expect((await act(customer.admin, rel.id, 'terminate')).body.code).toBe('relationship_transition_invalid');
  });

  it('auto-extends by 180 days at its end (no gap), with no reminders; never with user_admin', async () => {
    const rel = await activeRelationship({ displayName: 'Extending', roles: ['license_admin', 'helpdesk'], duration: 'P5D', autoExtendDuration: 'P180D' });
    const ends = Date.parse(rel.endsAt ?? '');
    expect((await sweep()).reminded).toBe(0);
    await advance(days(5) - minutes(30));
    const swept = await sweep();
    expect([swept.extended, swept.expired]).toEqual([1, 0]);
    const extended = expectOk(await reseller.admin.get<Relationship>(`${base}/${rel.id}`));
    expect([extended.state, extended.endsAt]).toEqual(['active', new Date(ends + days(180)).toISOString()]);
    expect((await sweep()).extended).toBe(0);
    expect(await audit(rel.id)).toContain('delegated_admin.extended');
    // An amendment adding a role that manages admins is refused while it auto-extends.
    expect((await reseller.admin.post<Problem>(`${base}/${rel.id}/amendments`, { roles: ['user_admin'] })).body.code).toBe('auto_extend_not_allowed');
  });

  it('access tracing flags a relationship nothing was done through for 90 days', async () => {
    const rel = await activeRelationship({ displayName: 'Idle', roles: ['helpdesk'], duration: 'P365D' });
    const trace = async () => expectOk(await reseller.admin.get<Trace>(`/api/v1/customers/${customer.id}/access`)).items.find((i) => i.relationship.id === rel.id);
    expect([(await trace())?.unused, (await trace())?.lastUsedAt]).toEqual([false, null]);
    await advance(days(90) + minutes(1));
    expect((await trace())?.unused).toBe(true);
  });

  it('a request unanswered for 90 days lapses; approving it then is 409', async () => {
    const draft = expectOk(await reseller.admin.post<Relationship>(base, { displayName: 'Unanswered', customerId: customer.id, roles: ['helpdesk'], duration: 'P30D' }), 201);
    expectOk(await act(reseller.admin, draft.id, 'lock_for_approval'));
    await advance(days(90) - minutes(1));
    expect((await sweep()).lapsed).toBe(0);
    await advance(minutes(2));
    // Lapsed as read before the sweep, and refused.
    expect(expectOk(await customer.admin.get<Relationship>(`${base}/${draft.id}`)).state).toBe('lapsed');
    expect((await act(customer.admin, draft.id, 'approve')).body.code).toBe('relationship_transition_invalid');
    expect((await sweep()).lapsed).toBe(1);
    expect(await audit(draft.id)).toContain('delegated_admin.lapsed');
    const waiting = expectOk(await customer.admin.get<{ items: unknown[] }>('/api/v1/delegated-admin-requests')).items;
    expect(waiting).toEqual([]);
  });
});
