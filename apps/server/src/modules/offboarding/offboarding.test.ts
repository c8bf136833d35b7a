import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWorld, type CommerceWorld } from '../../../test/commerce-fixture.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  queryRows,
  relate,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
}
interface Item {
  id: string;
  kind: string;
  label: string;
  organization: { id: string } | null;
  roles: string[];
  viaReseller: { id: string } | null;
  actions: string[];
  default: string;
}
interface Plan {
  subject: { kind: string; id: string; organization: { id: string } };
  items: Item[];
  etag: string;
}
interface Result {
  subject: { id: string };
  items: { id: string; kind: string; action: string }[];
}

/** Every row of the tables a plan can touch, by table and id, as JSON text. */
async function snapshot(t: TestContext): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (const table of ['partnerships', 'reseller_relationships', 'delegated_admin_grants', 'invitations', 'subscriptions', 'credit_terms']) {
    for (const row of await queryRows<{ id: string; r: string }>(t, sql.raw(`select id::text as id, row_to_json(x)::text as r from ${table} x`))) {
      rows.set(`${table}:${row.id}`, row.r);
    }
  }
  return rows;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

const sku = (skuId: string) => ({ lines: [{ skuId, quantity: 2, billingCycle: 'monthly' }] });
let keys = 0;
const key = () => ({ 'idempotency-key': `offboarding-${(keys += 1)}` });
const offboardingBody = (actions: Record<string, string> = {}, notices = { otherParty: true, customers: true }) => ({
  actions,
  attestation: { attest: true, reason: 'The partnership ends by mutual agreement.' },
  notices,
});

/** An active relationship three-party: the provider asks for the reseller's customer, the reseller consents, the customer approves. */
async function threeParty(provider: OrgHandle, reseller: OrgHandle, customer: OrgHandle, name: string): Promise<string> {
  const base = '/api/v1/delegated-admin-relationships';
  const draft = expectOk(
    await provider.admin.post<{ id: string }>(base, { displayName: name, customerId: customer.id, roles: ['license_admin'], duration: 'P90D', resellerId: reseller.id }),
    201,
  );
  expectOk(await provider.admin.post(`${base}/${draft.id}/requests`, { action: 'lock_for_approval' }));
  expectOk(await reseller.admin.post(`${base}/${draft.id}/requests`, { action: 'consent' }));
  expectOk(await customer.admin.post(`${base}/${draft.id}/requests`, { action: 'approve' }));
  return draft.id;
}

describe('one-step offboarding', () => {
  let t: TestContext;
  let operator: Client;
  let w: CommerceWorld;
  /** A second joint customer of the pair. */
  let joint2: OrgHandle;
  /** The provider's own customer, not the reseller's. */
  let own: OrgHandle;
  /** Another provider of the same reseller, with a joint customer: nothing of theirs may change. */
  let otherProvider: OrgHandle;
  let otherJoint: OrgHandle;
  let strangerReseller: OrgHandle;
  let threePartyId: string;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    w = await commerceWorld(t, operator, 'Off');
    joint2 = await createCustomer(t, 'Off Joint Two');
    own = await createCustomer(t, 'Off Own');
    await relate(w.reseller, joint2, w.provider.id);
    await relate(w.provider, own);
    otherProvider = await createPartner(t, operator, 'Off Other Provider', 'indirect_provider');
    otherJoint = await createCustomer(t, 'Off Other Joint');
    await connect(otherProvider, w.reseller);
    await relate(w.reseller, otherJoint, otherProvider.id);
    strangerReseller = await createPartner(t, operator, 'Off Stranger', 'indirect_reseller');

    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 1_000_000, currency: 'USD' }));
    expectOk(await otherProvider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 500_000, currency: 'USD' }));
    // Subscriptions with the reseller of record (through the provider, and by the provider naming it), and one of the provider alone.
    expectOk(await w.reseller.admin.post(`/api/v1/customers/${w.joint.id}/orders`, { ...sku(w.skuId), providerId: w.provider.id }, key()), 201);
    expectOk(await w.provider.admin.post(`/api/v1/customers/${joint2.id}/orders`, { ...sku(w.skuId), resellerId: w.reseller.id }, key()), 201);
    expectOk(await w.provider.admin.post(`/api/v1/customers/${own.id}/orders`, sku(w.skuId), key()), 201);
    expectOk(await w.reseller.admin.post(`/api/v1/customers/${otherJoint.id}/orders`, { ...sku(w.skuId), providerId: otherProvider.id }, key()), 201);
    // Pending invitations: a joint one naming the provider, one of the reseller alone, one naming the other provider.
    expectOk(await w.reseller.admin.post('/api/v1/customer-invitations', { email: 'prospect@off-new.test', indirectProviderId: w.provider.id }), 201);
    expectOk(await w.reseller.admin.post('/api/v1/customer-invitations', { email: 'alone@off-new.test' }), 201);
    expectOk(await w.reseller.admin.post('/api/v1/customer-invitations', { email: 'other@off-new.test', indirectProviderId: otherProvider.id }), 201);
    threePartyId = await threeParty(w.provider, w.reseller, w.solo, 'Off three-party');
  });
  afterAll(() => t.close());

  const resellerPlanUrl = () => `/api/v1/indirect-providers/${w.provider.id}/offboarding-plan`;
  const resellerOffboardUrl = () => `/api/v1/indirect-providers/${w.provider.id}/offboard`;

  it('previews everything ending the partnership leaves behind, from either side, with an ETag', async () => {
    const reply = await w.reseller.admin.get<Plan>(resellerPlanUrl());
    const plan = expectOk(reply);
    expect(reply.headers['etag']).toBe(plan.etag);
    expect(plan.subject.kind).toBe('partnership');
    expect(plan.subject.organization.id).toBe(w.provider.id);
    const byKind = (kind: string) => plan.items.filter((i) => i.kind === kind);
    expect(byKind('partnership').map((i) => [i.actions, i.default])).toEqual([[['end'], 'end']]);
    expect(byKind('shared_customer').map((i) => i.id).sort()).toEqual([w.joint.id, joint2.id].sort());
    expect(byKind('shared_customer').every((i) => i.default === 'keep' && i.actions.includes('hand_over'))).toBe(true);
    const access = byKind('delegated_admin');
    // The provider in the reseller's organization (ends by default) and the three-party relationship (the reseller is no party: keep only).
    expect(access.find((i) => i.organization?.id === w.reseller.id)?.default).toBe('end');
    expect(access.find((i) => i.id === threePartyId)).toMatchObject({ actions: ['keep'], viaReseller: { id: w.reseller.id }, roles: ['license_admin'] });
    expect(access).toHaveLength(2);
    expect(byKind('invitation').map((i) => [i.label, i.default])).toEqual([['Joint invitation to prospect@off-new.test', 'end']]);
    expect(byKind('subscription').map((i) => i.organization?.id).sort()).toEqual([w.joint.id, joint2.id].sort());
    expect(byKind('subscription').every((i) => i.default === 'keep' && i.actions.includes('end'))).toBe(true);
    expect(byKind('credit_line').map((i) => i.actions)).toEqual([['keep']]);

    const provider = expectOk(await w.provider.admin.get<Plan>(`/api/v1/indirect-resellers/${w.reseller.id}/offboarding-plan`));
    expect(provider.subject.id).toBe(plan.subject.id);
    expect(provider.items.find((i) => i.id === threePartyId)?.default).toBe('end');
    expect(provider.items.find((i) => i.kind === 'invitation')?.actions).toEqual(['keep']);
    expect(provider.items.find((i) => i.kind === 'credit_line')).toMatchObject({ actions: ['end', 'keep'], default: 'end' });
    // Reading changes nothing: the same plan twice has the same ETag.
    expect(expectOk(await w.reseller.admin.get<Plan>(resellerPlanUrl())).etag).toBe(plan.etag);
  });

  it('refuses without If-Match (428), on a stale plan (412), and for a partner the caller does not have (404), changing nothing', async () => {
    const before = await snapshot(t);
    const plan = expectOk(await w.provider.admin.get<Plan>(`/api/v1/indirect-resellers/${w.reseller.id}/offboarding-plan`));
    const url = `/api/v1/indirect-resellers/${w.reseller.id}/offboard`;
    const missing = await w.provider.admin.post<Problem>(url, offboardingBody());
    expect([missing.status, missing.body.code]).toEqual([428, 'precondition_required']);
    const unattested = await w.provider.admin.post<Problem>(url, { ...offboardingBody(), attestation: { attest: false, reason: 'x' } }, { 'if-match': plan.etag });
    expect([unattested.status, unattested.body.code, unattested.body.field]).toEqual([400, 'attestation_required', 'attestation.attest']);
    const unknown = await w.provider.admin.post<Problem>(url, offboardingBody({ [own.id]: 'end' }), { 'if-match': plan.etag });
    expect([unknown.status, unknown.body.code, unknown.body.field]).toEqual([400, 'offboarding_item_unknown', `actions.${own.id}`]);
    const partnershipItem = plan.items.find((i) => i.kind === 'partnership');
    const invalid = await w.provider.admin.post<Problem>(url, offboardingBody({ [partnershipItem?.id ?? '']: 'keep' }), { 'if-match': plan.etag });
    expect([invalid.status, invalid.body.code]).toEqual([400, 'offboarding_action_invalid']);

    // Anything the plan names changes (the provider sets another limit): the plan read before is stale.
    expectOk(await w.provider.admin.put(`/api/v1/indirect-resellers/${w.reseller.id}/credit`, { limit: 900_000, currency: 'USD' }));
    const afterChange = await snapshot(t);
    const stale = await w.provider.admin.post<Problem>(url, offboardingBody(), { 'if-match': plan.etag });
    expect([stale.status, stale.body.code]).toEqual([412, 'offboarding_plan_stale']);
    expect(expectOk(await w.provider.admin.get<Plan>(`/api/v1/indirect-resellers/${w.reseller.id}/offboarding-plan`)).etag).not.toBe(plan.etag);

    const noPartner = await w.provider.admin.get<Problem>(`/api/v1/indirect-resellers/${strangerReseller.id}/offboarding-plan`);
    expect([noPartner.status, noPartner.body.code]).toEqual([404, 'not_found']);
    const noPartnerPost = await w.provider.admin.post<Problem>(`/api/v1/indirect-resellers/${strangerReseller.id}/offboard`, offboardingBody(), { 'if-match': plan.etag });
    expect(noPartnerPost.status).toBe(404);
    // A reseller is no provider's provider; a customer the caller does not serve.
    expect((await w.reseller.admin.get(`/api/v1/indirect-resellers/${w.provider.id}/offboarding-plan`)).status).toBe(404);
    expect((await w.reseller.admin.get(`/api/v1/customers/${own.id}/offboarding-plan`)).status).toBe(404);
    expect(changedKeys(afterChange, await snapshot(t))).toEqual([]);
    expect(changedKeys(before, afterChange)).toHaveLength(1);
  });

  it('the reseller offboards its provider in one step: what the plan ended is gone, nothing it did not name changed', async () => {
    const plan = expectOk(await w.reseller.admin.get<Plan>(resellerPlanUrl()));
    const item = (kind: string, organizationId?: string) => {
      const found = plan.items.find((i) => i.kind === kind && (organizationId === undefined || i.organization?.id === organizationId));
      if (found === undefined) throw new Error(`no ${kind} item`);
      return found;
    };
    const handedOver = item('shared_customer', w.joint.id);
    const suspended = item('subscription', joint2.id);
    const actions = { [handedOver.id]: 'hand_over', [suspended.id]: 'end' };

    // What handing the joint customer over ends: the reseller's relationship with it and its admin access there.
    const leaving = await queryRows<{ id: string }>(
      t,
      sql`select id::text as id from reseller_relationships where partner_organization_id = ${w.reseller.id} and customer_organization_id = ${w.joint.id} and state = 'active'
          union all
          select id::text from delegated_admin_grants where partner_organization_id = ${w.reseller.id} and organization_id = ${w.joint.id} and state = 'active'`,
    );
    expect(leaving).toHaveLength(2);
    const tableOf: Record<string, string> = {
      partnership: 'partnerships',
      delegated_admin: 'delegated_admin_grants',
      invitation: 'invitations',
      subscription: 'subscriptions',
      credit_line: 'credit_terms',
    };
    const expected = [
      ...plan.items.filter((i) => i.kind !== 'shared_customer' && (actions[i.id] ?? i.default) !== 'keep').map((i) => `${tableOf[i.kind]}:${i.id}`),
      `reseller_relationships:${leaving[0]?.id}`,
      `delegated_admin_grants:${leaving[1]?.id}`,
    ].sort();
    expect(expected).toHaveLength(6); // partnership, the provider's access, the joint invitation, one subscription, and the hand-over's two rows

    const before = await snapshot(t);
    const done = expectOk(await w.reseller.admin.post<Result>(resellerOffboardUrl(), offboardingBody(actions), { 'if-match': plan.etag }));
    expect(done.items).toHaveLength(plan.items.length);
    expect(done.items.find((i) => i.id === handedOver.id)?.action).toBe('hand_over');
    const after = await snapshot(t);
    expect(changedKeys(before, after)).toEqual(expected);

    // Nothing the plan ended is left.
    expect(expectOk(await w.reseller.admin.get<{ items: { organization: { id: string } }[] }>('/api/v1/indirect-providers')).items.map((p) => p.organization.id)).toEqual([otherProvider.id]);
    const states = await queryRows<{ kind: string; state: string }>(
      t,
      sql`select 'grant' as kind, state from delegated_admin_grants where id = ${item('delegated_admin', w.reseller.id).id}
          union all select 'invitation', state from invitations where id = ${item('invitation').id}
          union all select 'subscription', status from subscriptions where id = ${suspended.id}
          union all select 'three_party', state from delegated_admin_grants where id = ${threePartyId}`,
    );
    expect(Object.fromEntries(states.map((s) => [s.kind, s.state]))).toEqual({ grant: 'terminated', invitation: 'revoked', subscription: 'suspended', three_party: 'active' });
    expect((await w.reseller.admin.get(`/api/v1/customers/${w.joint.id}`)).status).toBe(404);
    expect((await w.provider.admin.get(`/api/v1/customers/${w.joint.id}`)).status).toBe(200);
    expect((await w.reseller.admin.get(resellerPlanUrl())).status).toBe(404);

    // Audited: one summary event with every item's action, beside each module's own events; notices queued.
    const audit = await queryRows<{ action: string; after: { reason: string; items: unknown[] } | null }>(
      t,
      sql`select action, "after" from audit_events where action in ('offboarding.completed', 'partnership.ended', 'reseller_relationship.removed', 'invitation.revoked', 'subscription.updated', 'delegated_admin.revoked') order by occurred_at`,
    );
    const summary = audit.find((a) => a.action === 'offboarding.completed');
    expect(summary?.after?.reason).toBe('The partnership ends by mutual agreement.');
    expect(summary?.after?.items).toHaveLength(plan.items.length);
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set(['offboarding.completed', 'partnership.ended', 'reseller_relationship.removed', 'invitation.revoked', 'subscription.updated', 'delegated_admin.revoked']),
    );
    const mail = (await queryRows<{ topic: string; payload: string }>(t, sql`select topic, payload from outbox_messages where kind = 'email' and topic in ('offboarding.completed', 'reseller_relationship.removed')`))
      .map((m) => [m.topic, (JSON.parse(t.sealer.open(m.payload)) as { to: string }).to]);
    expect(mail).toEqual(expect.arrayContaining([['offboarding.completed', w.provider.adminEmail], ['reseller_relationship.removed', w.joint.adminEmail]]));
  });

  it('the provider offboards a reseller with the defaults: its three-party access and the credit line end, the reseller\'s invitations stay', async () => {
    const provider = await createPartner(t, operator, 'Off Second Provider', 'indirect_provider');
    const reseller = await createPartner(t, operator, 'Off Second Reseller', 'indirect_reseller');
    const customer = await createCustomer(t, 'Off Second Customer');
    await connect(provider, reseller);
    await relate(reseller, customer);
    expectOk(await provider.admin.put(`/api/v1/indirect-resellers/${reseller.id}/credit`, { limit: 250_000, currency: 'EUR' }));
    expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: 'joint@off-second.test', indirectProviderId: provider.id }), 201);
    const viaReseller = await threeParty(provider, reseller, customer, 'Off second three-party');

    const reply = await provider.admin.get<Plan>(`/api/v1/indirect-resellers/${reseller.id}/offboarding-plan`);
    const plan = expectOk(reply);
    expect(plan.items.map((i) => [i.kind, i.default]).sort()).toEqual(
      [
        ['partnership', 'end'],
        ['delegated_admin', 'end'], // the provider in the reseller's organization
        ['delegated_admin', 'end'], // three-party in the reseller's customer
        ['invitation', 'keep'],
        ['credit_line', 'end'],
      ].sort(),
    );
    const before = await snapshot(t);
    const done = expectOk(
      await provider.admin.post<Result>(`/api/v1/indirect-resellers/${reseller.id}/offboard`, offboardingBody({}, { otherParty: false, customers: false }), {
        'if-match': reply.headers['etag'] as string,
      }),
    );
    expect(done.items.filter((i) => i.action === 'end')).toHaveLength(4);
    const tableOf: Record<string, string> = { partnership: 'partnerships', delegated_admin: 'delegated_admin_grants', credit_line: 'credit_terms' };
    expect(changedKeys(before, await snapshot(t))).toEqual(plan.items.filter((i) => i.default === 'end').map((i) => `${tableOf[i.kind]}:${i.id}`).sort());
    const rows = await queryRows<{ state: string; amount: number | null }>(
      t,
      sql`select state, null::int as amount from delegated_admin_grants where id = ${viaReseller}
          union all select 'credit', limit_amount from credit_terms where provider_organization_id = ${provider.id} and reseller_organization_id = ${reseller.id}`,
    );
    expect(rows.map((r) => [r.state, r.amount]).sort()).toEqual([['credit', 0], ['terminated', null]]);
  });

  it('a partner offboards a customer: the relationship and the access it chose to end go, its subscriptions stay', async () => {
    const planUrl = `/api/v1/customers/${own.id}/offboarding-plan`;
    const plan = expectOk(await w.provider.admin.get<Plan>(planUrl));
    expect(plan.items.map((i) => [i.kind, i.default])).toEqual([
      ['customer_relationship', 'end'],
      ['delegated_admin', 'end'],
      ['subscription', 'keep'],
    ]);
    const before = await snapshot(t);
    expectOk(await w.provider.admin.post<Result>(`/api/v1/customers/${own.id}/offboard`, offboardingBody({}, { otherParty: false, customers: false }), { 'if-match': plan.etag }));
    const ended = plan.items.filter((i) => i.kind !== 'subscription');
    expect(changedKeys(before, await snapshot(t))).toEqual(
      [`reseller_relationships:${ended[0]?.id}`, `delegated_admin_grants:${ended[1]?.id}`].sort(),
    );
    expect((await w.provider.admin.get(planUrl)).status).toBe(404);
  });
});
