import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { days, minutes } from '../../platform/clock.ts';
import { delegatedAdminGrants, partnerships, resellerRelationships } from '../../db/schema.ts';
import { stampOf, type AuditEntry } from '../../platform/audit.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import { runInTransaction } from '../../platform/unit-of-work.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  queryRows,
  relate,
  signIn,
  type Client,
  type Issued,
  type OrgHandle,
  type Reply,
  type TestContext,
} from '../../../test/harness.ts';
import { auditRecords, expectPublished, type AuditRecord } from '../../../test/audit-records.ts';
import { relationshipCreatedEvent } from '../customers/index.ts';
import { grantedEvent } from '../delegated-admin/index.ts';
import { partnershipCreatedEvent } from '../partnerships/index.ts';
import { readAcceptance, relationshipAcceptanceRecords, writeRelationshipAcceptance } from './acceptance.repository.ts';
import { expireInvitations } from './index.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  code: string;
  field?: string;
}
interface Ref {
  id: string;
}
interface Grant {
  id: string;
  partner: Ref;
  organization: Ref;
  roles: string[];
  state: string;
  endsAt: string | null;
}
interface InvitationBody {
  id: string;
  state: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}
interface Accepted {
  invitation: InvitationBody;
  partnership: { id: string; provider: Ref; reseller: Ref; state: string; endedAt: string | null } | null;
  relationships: { id: string; partner: Ref; customer: Ref; state: string; source: string }[];
  delegatedAdmin: Grant[];
}
interface CustomerPartner {
  organization: Ref;
  relationship: { id: string; state: string } | null;
  delegatedAdmin: Grant[];
}
interface Mail {
  to: string;
  subject: string;
  text: string;
}

const defaultRoles = ['user_admin', 'license_admin', 'helpdesk'];

async function invite(inviter: OrgHandle, path: 'reseller-invitations' | 'customer-invitations', body: Record<string, unknown>): Promise<Issued> {
  return issuedFrom(expectOk(await inviter.admin.post(`/api/v1/${path}`, body), 201) as never);
}
const inviteReseller = (provider: OrgHandle, email: string, extra: Record<string, unknown> = {}) =>
  invite(provider, 'reseller-invitations', { email, ...extra });
const inviteCustomer = (partner: OrgHandle, email: string, extra: Record<string, unknown> = {}) =>
  invite(partner, 'customer-invitations', { email, ...extra });

function accept(client: Client, issued: Issued, consent = true): Promise<Reply<Accepted & Problem>> {
  return client.post<Accepted & Problem>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent });
}

/** What the invitee's page shows; reading it never changes anything. */
async function stateOf(t: TestContext, issued: Issued): Promise<string> {
  return expectOk(await t.client().get<{ state: string }>(`/api/v1/invitations/${issued.id}?token=${encodeURIComponent(issued.token)}`)).state;
}

/*
 * The acceptance's statement writes the records of rows other modules own; these are the fields
 * of a record, as the owning module's builder makes them of the written row (the actor's
 * organization joining the parties, as `Audit.record` adds it) and as the statement wrote them.
 */
const built = (entry: AuditEntry, actorOrganizationId: string) => ({
  action: entry.action,
  targetType: entry.target.type,
  targetId: entry.target.id,
  organizationIds: [...new Set([...entry.organizationIds, actorOrganizationId])],
  onBehalfOfType: entry.onBehalfOf?.type ?? null,
  onBehalfOfId: entry.onBehalfOf?.id ?? null,
  before: entry.before ?? null,
  after: entry.after ?? null,
});
const recorded = (r: AuditRecord) => ({
  action: r.action,
  targetType: r.targetType,
  targetId: r.targetId,
  organizationIds: r.organizationIds,
  onBehalfOfType: r.onBehalfOfType,
  onBehalfOfId: r.onBehalfOfId,
  before: r.before,
  after: r.after,
});

/** Every audit record and outbox message there is (events and notices alike). */
async function writtenRows(t: TestContext): Promise<{ audits: number; messages: number } | undefined> {
  const [row] = await queryRows<{ audits: number; messages: number }>(
    t,
    sql`select (select count(*)::int from audit_events) as audits, (select count(*)::int from outbox_messages) as messages`,
  );
  return row;
}

const orgIds = (page: Page<{ organization: Ref }>) => page.items.map((i) => i.organization.id).sort();
const customerIds = async (partner: OrgHandle) => expectOk(await partner.admin.get<Page<Ref>>('/api/v1/customers?limit=200')).items.map((c) => c.id).sort();
const partnersOf = async (customer: OrgHandle) => expectOk(await customer.admin.get<Page<CustomerPartner>>('/api/v1/partners')).items;

describe('accepting invitations (W4, W6, W7) and every refusal', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let otherProvider: OrgHandle;
  /** Not yet partnered: W4 connects it. */
  let reseller: OrgHandle;
  /** Partnered with `provider` from the start: sends the customer invitations. */
  let jointReseller: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Kestrel Distribution', 'indirect_provider');
    otherProvider = await createPartner(t, operator, 'Osprey Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Birch Reseller', 'indirect_reseller');
    jointReseller = await createPartner(t, operator, 'Juniper Reseller', 'indirect_reseller');
    await connect(provider, jointReseller);
  });
  afterAll(() => t.close());

  it('W4: the reseller authorizes the provider: one partnership and the provider\'s admin access in the reseller, nothing else', async () => {
    await t.drainOutbox();
    const issued = await inviteReseller(provider, reseller.adminEmail);
    expect(await stateOf(t, issued)).toBe('pending');
    const accepted = expectOk(await accept(reseller.admin, issued));

    expect(accepted.invitation.state).toBe('accepted');
    expect(accepted.invitation.acceptedAt).toBe(t.clock.now().toISOString());
    expect(accepted.partnership).toMatchObject({ provider: { id: provider.id }, reseller: { id: reseller.id }, state: 'active', endedAt: null });
    expect(accepted.relationships).toEqual([]);
    expect(accepted.delegatedAdmin.map((g) => [g.partner.id, g.organization.id, g.roles, g.state, g.endsAt])).toEqual([
      [provider.id, reseller.id, defaultRoles, 'active', null],
    ]);
    // The invitation's record, the partnership's and the grant's, as their modules' builders make them.
    const records = await auditRecords(
      t,
      sql`action <> 'invitation.created' and target_id = any(${`{${[issued.id, accepted.partnership?.id, accepted.delegatedAdmin[0]?.id].join(',')}}`}::uuid[])`,
    );
    const [partnershipRow] = await t.db.select().from(partnerships).where(inArray(partnerships.id, [accepted.partnership?.id ?? randomUUID()]));
    const [grantRow] = await t.db.select().from(delegatedAdminGrants).where(inArray(delegatedAdminGrants.id, [accepted.delegatedAdmin[0]?.id ?? randomUUID()]));
    if (partnershipRow === undefined || grantRow === undefined) throw new Error('the partnership and its grant were not written');
    expect(records.map(recorded)).toEqual([
      built({ action: 'invitation.accepted', target: { type: 'invitation', id: issued.id }, organizationIds: [provider.id], before: { state: 'pending' }, after: { state: 'accepted' } }, reseller.id),
      built(partnershipCreatedEvent(partnershipRow), reseller.id),
      built(grantedEvent(grantRow), reseller.id),
    ]);
    await expectPublished(t, records);

    const providers = expectOk(
      await reseller.admin.get<Page<{ organization: Ref; partnership: Ref; delegatedAdmin: Grant | null }>>('/api/v1/indirect-providers'),
    );
    expect(orgIds(providers)).toEqual([provider.id]);
    expect(providers.items[0]?.partnership.id).toBe(accepted.partnership?.id);
    expect(providers.items[0]?.delegatedAdmin?.id).toBe(accepted.delegatedAdmin[0]?.id);
    const resellers = expectOk(await provider.admin.get<Page<{ organization: Ref }>>('/api/v1/indirect-resellers'));
    expect(orgIds(resellers)).toEqual([jointReseller.id, reseller.id].sort());
    // A partnership is not a customer relationship: neither side gains customers.
    expect(await customerIds(reseller)).toEqual([]);
    expect(await customerIds(provider)).toEqual([]);

    const sent = expectOk(await provider.admin.get<Page<InvitationBody>>('/api/v1/invitations'));
    expect(sent.items.find((i) => i.id === issued.id)?.state).toBe('accepted');
    expect(await stateOf(t, issued)).toBe('accepted');

    // The inviter is told.
    await t.drainOutbox();
    const notices = expectOk(await provider.admin.get<Page<Mail>>('/api/v1/mailbox')).items.filter((m) => m.subject.includes('Birch Reseller'));
    expect(notices.map((m) => [m.to, m.subject])).toEqual([
      [provider.adminEmail, 'Invitation accepted: Birch Reseller authorized you as its indirect provider'],
    ]);
  });

  it('W4: a second invitation between partners already working together is refused with partnership_exists', async () => {
    const again = await inviteReseller(provider, reseller.adminEmail);
    const counts = await writtenRows(t);
    const refused = await accept(reseller.admin, again);
    expect([refused.status, refused.body.code]).toEqual([409, 'partnership_exists']);
    expect(await stateOf(t, again)).toBe('pending');
    // No record, event or notice either: the statement that would have written them changed nothing.
    expect(await writtenRows(t)).toEqual(counts);
    expect(orgIds(expectOk(await reseller.admin.get<Page<{ organization: Ref }>>('/api/v1/indirect-providers')))).toEqual([provider.id]);
  });

  it('W6: a customer admin accepts a single invitation: one relationship, one grant, no provider involved', async () => {
    const customer = await createCustomer(t, 'Cedar Customer');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail);
    const accepted = expectOk(await accept(customer.admin, issued));

    expect(accepted.partnership).toBeNull();
    expect(accepted.relationships.map((r) => [r.partner.id, r.customer.id, r.state, r.source])).toEqual([
      [jointReseller.id, customer.id, 'active', 'invitation'],
    ]);
    expect(accepted.delegatedAdmin.map((g) => [g.partner.id, g.organization.id, g.roles, g.state])).toEqual([
      [jointReseller.id, customer.id, defaultRoles, 'active'],
    ]);

    expect(await customerIds(jointReseller)).toContain(customer.id);
    expect(await customerIds(provider)).not.toContain(customer.id);
    const partners = await partnersOf(customer);
    expect(partners.map((p) => [p.organization.id, p.relationship?.id, p.delegatedAdmin.map((g) => g.id)])).toEqual([
      [jointReseller.id, accepted.relationships[0]?.id, [accepted.delegatedAdmin[0]?.id]],
    ]);
  });

  it('W7: a joint invitation relates the customer with the reseller and its provider, each with a grant', async () => {
    await t.drainOutbox();
    const customer = await createCustomer(t, 'Dogwood Customer');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail, { indirectProviderId: provider.id });
    const accepted = expectOk(await accept(customer.admin, issued));

    const both = [jointReseller.id, provider.id].sort();
    expect(accepted.relationships.map((r) => r.partner.id).sort()).toEqual(both);
    expect(accepted.relationships.every((r) => r.customer.id === customer.id && r.state === 'active')).toBe(true);
    expect(accepted.delegatedAdmin.map((g) => g.partner.id).sort()).toEqual(both);
    expect(accepted.delegatedAdmin.every((g) => g.organization.id === customer.id && g.state === 'active')).toBe(true);

    const partners = await partnersOf(customer);
    expect(orgIds({ items: partners, nextCursor: null })).toEqual(both);
    expect(partners.every((p) => p.relationship?.state === 'active' && p.delegatedAdmin.length === 1)).toBe(true);
    expect(await customerIds(jointReseller)).toContain(customer.id);
    expect(await customerIds(provider)).toContain(customer.id);
    const shared = expectOk(await jointReseller.admin.get<Page<Ref>>(`/api/v1/indirect-providers/${provider.id}/customers`));
    expect(shared.items.map((c) => c.id)).toContain(customer.id);

    // Both the inviting user and the provider's admins are told.
    await t.drainOutbox();
    const notices = expectOk(await operator.get<Page<Mail>>('/api/v1/mailbox?limit=200')).items.filter((m) =>
      m.subject === 'Invitation accepted: Dogwood Customer accepted the reseller relationship',
    );
    expect(notices.map((m) => m.to).sort()).toEqual([jointReseller.adminEmail, provider.adminEmail].sort());
  });

  it('the acceptance writes its records and their events itself: who, on whose behalf, the parties, in order', async () => {
    const customer = await createCustomer(t, 'Holly Customer');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail, { indirectProviderId: provider.id });
    const accepted = expectOk(await accept(customer.admin, issued));
    const [first, second] = accepted.relationships.sort((a, b) => (a.partner.id === jointReseller.id ? -1 : b.partner.id === jointReseller.id ? 1 : 0));
    const grantOf = (partner: string) => accepted.delegatedAdmin.find((g) => g.partner.id === partner);
    if (first === undefined || second === undefined) throw new Error('two relationships expected');
    const records = await auditRecords(
      t,
      sql`action <> 'invitation.created' and target_id = any(${`{${[issued.id, first.id, second.id, ...accepted.delegatedAdmin.map((g) => g.id)].join(',')}}`}::uuid[])`,
    );
    // The invitation's record first; then the inviting reseller's relationship and the provider's; then their grants, in that order.
    expect(records.map((r) => [r.action, r.targetId])).toEqual([
      ['invitation.accepted', issued.id],
      ['reseller_relationship.created', first.id],
      ['reseller_relationship.created', second.id],
      ['delegated_admin.granted', grantOf(jointReseller.id)?.id],
      ['delegated_admin.granted', grantOf(provider.id)?.id],
    ]);
    const [acceptedRecord, , , grantRecord] = records;
    expect(acceptedRecord).toMatchObject({
      actorOrganizationId: customer.id,
      actorApiKeyId: null,
      onBehalfOfType: null,
      organizationIds: [jointReseller.id, customer.id, provider.id],
      before: { state: 'pending' },
      after: { state: 'accepted' },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(records.every((r) => r.requestId === acceptedRecord?.requestId && r.actorUserId === acceptedRecord?.actorUserId)).toBe(true);
    expect(records[1]).toMatchObject({ organizationIds: [jointReseller.id, customer.id], after: { state: 'active', source: 'invitation' } });
    expect(grantRecord).toMatchObject({
      onBehalfOfType: 'reseller_relationship',
      onBehalfOfId: first.id,
      organizationIds: [customer.id, jointReseller.id],
      after: { roles: defaultRoles, endsAt: grantOf(jointReseller.id)?.endsAt ?? null },
    });
    const relationshipRows = await t.db.select().from(resellerRelationships).where(inArray(resellerRelationships.id, [first.id, second.id]));
    const grantRows = await t.db.select().from(delegatedAdminGrants).where(inArray(delegatedAdminGrants.id, accepted.delegatedAdmin.map((g) => g.id)));
    const partnerOrder = (partnerId: string) => (partnerId === jointReseller.id ? 0 : 1);
    expect(records.slice(1).map(recorded)).toEqual(
      [
        ...relationshipRows.sort((a, b) => partnerOrder(a.partnerOrganizationId) - partnerOrder(b.partnerOrganizationId)).map(relationshipCreatedEvent),
        ...grantRows.sort((a, b) => partnerOrder(a.partnerOrganizationId) - partnerOrder(b.partnerOrganizationId)).map(grantedEvent),
      ].map((entry) => built(entry, customer.id)),
    );
    await expectPublished(t, records);
  });

  it('an acceptance with a grant that ends records the end as the answer shows it', async () => {
    const customer = await createCustomer(t, 'Hornbeam Customer');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail, { delegatedAdminDays: 90 });
    const accepted = expectOk(await accept(customer.admin, issued));
    const [grant] = accepted.delegatedAdmin;
    expect(grant?.endsAt).toBe(new Date(t.clock.now().getTime() + days(90)).toISOString());
    const records = await auditRecords(t, sql`target_id = ${grant?.id ?? randomUUID()}`);
    expect(records.map((r) => r.after)).toEqual([{ roles: defaultRoles, endsAt: grant?.endsAt }]);
    const grantRows = await t.db.select().from(delegatedAdminGrants).where(inArray(delegatedAdminGrants.id, [grant?.id ?? randomUUID()]));
    expect(records.map(recorded)).toEqual(grantRows.map((row) => built(grantedEvent(row), customer.id)));
    await expectPublished(t, records);
  });

  it('W7: a joint invitation to a customer the reseller already serves adds only the provider', async () => {
    const customer = await createCustomer(t, 'Elm Customer');
    await relate(jointReseller, customer);
    const [before] = await partnersOf(customer);
    const issued = await inviteCustomer(jointReseller, customer.adminEmail, { indirectProviderId: provider.id });
    const accepted = expectOk(await accept(customer.admin, issued));
    // The existing relationship and grant are reused, not duplicated.
    expect(accepted.relationships.map((r) => r.id)).toContain(before?.relationship?.id);
    expect(accepted.delegatedAdmin.map((g) => g.id)).toContain(before?.delegatedAdmin[0]?.id);
    const partners = await partnersOf(customer);
    expect(partners.map((p) => [p.organization.id, p.delegatedAdmin.length]).sort()).toEqual(
      [[jointReseller.id, 1], [provider.id, 1]].sort(),
    );
  });

  it('an accepted invitation cannot be used again: 409 invitation_not_pending', async () => {
    const customer = await createCustomer(t, 'Fir Customer');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail);
    expectOk(await accept(customer.admin, issued));
    const again = await accept(customer.admin, issued);
    expect([again.status, again.body.code]).toEqual([409, 'invitation_not_pending']);
    const decline = await t.client().post<Problem>(`/api/v1/invitations/${issued.id}/decline`, { token: issued.token });
    expect([decline.status, decline.body.code]).toEqual([409, 'invitation_not_pending']);
    expect((await partnersOf(customer)).map((p) => p.delegatedAdmin.length)).toEqual([1]);
  });

  it('refuses without consent, with a wrong token or an unknown id, and changes nothing', async () => {
    const customer = await createCustomer(t, 'Ginkgo Customer');
    const other = await createCustomer(t, 'Ginkgo Other');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail);
    const otherIssued = await inviteCustomer(jointReseller, other.adminEmail);

    const noConsent = await accept(customer.admin, issued, false);
    expect([noConsent.status, noConsent.body.code, noConsent.body.field]).toEqual([400, 'consent_required', 'consent']);
    const noConsentField = await customer.admin.post<Problem>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token });
    expect([noConsentField.status, noConsentField.body.field]).toEqual([400, 'consent']);

    const wrongToken = await accept(customer.admin, { ...issued, token: 'x'.repeat(43) });
    expect([wrongToken.status, wrongToken.body.code]).toEqual([404, 'invitation_not_found']);
    const foreignToken = await accept(customer.admin, { ...issued, token: otherIssued.token });
    expect([foreignToken.status, foreignToken.body.code]).toEqual([404, 'invitation_not_found']);
    const unknownId = await accept(customer.admin, { ...issued, id: randomUUID() });
    expect([unknownId.status, unknownId.body.code]).toEqual([404, 'invitation_not_found']);

    expect(await stateOf(t, issued)).toBe('pending');
    expect(await partnersOf(customer)).toEqual([]);
    expect(await customerIds(jointReseller)).not.toContain(customer.id);
    // Only the missing consent and the token stood in the way.
    expectOk(await accept(customer.admin, issued));
  });

  it('revoked by the inviter: the link answers 409 invitation_not_pending; only the inviter may revoke', async () => {
    const customer = await createCustomer(t, 'Hazel Customer');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail);
    const byStranger = await provider.admin.post<Problem>(`/api/v1/invitations/${issued.id}/revoke`);
    expect([byStranger.status, byStranger.body.code]).toEqual([404, 'not_found']);
    const revoked = expectOk(await jointReseller.admin.post<InvitationBody>(`/api/v1/invitations/${issued.id}/revoke`));
    expect(revoked.state).toBe('revoked');

    const refused = await accept(customer.admin, issued);
    expect([refused.status, refused.body.code]).toEqual([409, 'invitation_not_pending']);
    const twice = await jointReseller.admin.post<Problem>(`/api/v1/invitations/${issued.id}/revoke`);
    expect([twice.status, twice.body.code]).toEqual([409, 'invitation_not_pending']);
    expect(await stateOf(t, issued)).toBe('revoked');
    expect(await partnersOf(customer)).toEqual([]);
  });

  it('superseded by a re-send: the older link fails with 409, the new one works', async () => {
    const customer = await createCustomer(t, 'Ivy Customer');
    const older = await inviteCustomer(jointReseller, customer.adminEmail);
    const newer = await inviteCustomer(jointReseller, customer.adminEmail);
    expect(await stateOf(t, older)).toBe('revoked');
    const stale = await accept(customer.admin, older);
    expect([stale.status, stale.body.code]).toEqual([409, 'invitation_not_pending']);
    const accepted = expectOk(await accept(customer.admin, newer));
    expect(accepted.invitation.id).toBe(newer.id);
    expect((await partnersOf(customer)).map((p) => p.organization.id)).toEqual([jointReseller.id]);
  });

  it('declined: only by the invitee, and then the link answers 409', async () => {
    const customer = await createCustomer(t, 'Juniper Customer');
    const stranger = await createCustomer(t, 'Juniper Stranger');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail);
    const forwarded = await stranger.admin.post<Problem>(`/api/v1/invitations/${issued.id}/decline`, { token: issued.token });
    expect([forwarded.status, forwarded.body.code]).toEqual([403, 'invitation_email_mismatch']);
    expect(await stateOf(t, issued)).toBe('pending');

    const declined = expectOk(await t.client().post<InvitationBody>(`/api/v1/invitations/${issued.id}/decline`, { token: issued.token }));
    expect(declined.state).toBe('declined');
    const refused = await accept(customer.admin, issued);
    expect([refused.status, refused.body.code]).toEqual([409, 'invitation_not_pending']);
    expect(await partnersOf(customer)).toEqual([]);
  });

  it('wrong email: 403 invitation_email_mismatch for customers and resellers alike', async () => {
    const customer = await createCustomer(t, 'Kapok Customer');
    const impostor = await createCustomer(t, 'Kapok Impostor');
    const issued = await inviteCustomer(jointReseller, customer.adminEmail);
    const refused = await accept(impostor.admin, issued);
    expect([refused.status, refused.body.code]).toEqual([403, 'invitation_email_mismatch']);
    expect(await partnersOf(impostor)).toEqual([]);
    expect(await stateOf(t, issued)).toBe('pending');

    const target = await createPartner(t, operator, 'Kapok Reseller', 'indirect_reseller');
    const partnership = await inviteReseller(otherProvider, target.adminEmail);
    const byOther = await accept(reseller.admin, partnership);
    expect([byOther.status, byOther.body.code]).toEqual([403, 'invitation_email_mismatch']);
    expect(orgIds(expectOk(await otherProvider.admin.get<Page<{ organization: Ref }>>('/api/v1/indirect-resellers')))).not.toContain(reseller.id);
    expectOk(await accept(target.admin, partnership));
  });

  it('wrong organization kind: 403 wrong_organization_kind, nothing created', async () => {
    const customer = await createCustomer(t, 'Larch Customer');
    const toCustomer = await inviteReseller(otherProvider, customer.adminEmail);
    const customerAsReseller = await accept(customer.admin, toCustomer);
    expect([customerAsReseller.status, customerAsReseller.body.code]).toEqual([403, 'wrong_organization_kind']);

    const toPartner = await inviteCustomer(jointReseller, reseller.adminEmail);
    const partnerAsCustomer = await accept(reseller.admin, toPartner);
    expect([partnerAsCustomer.status, partnerAsCustomer.body.code]).toEqual([403, 'wrong_organization_kind']);

    // A provider without the reseller program cannot authorize another provider.
    const toProvider = await inviteReseller(otherProvider, provider.adminEmail);
    const providerAsReseller = await accept(provider.admin, toProvider);
    expect([providerAsReseller.status, providerAsReseller.body.code]).toEqual([403, 'wrong_organization_kind']);

    // The inviter accepting its own invitation, of either kind.
    const ownCustomer = await inviteCustomer(jointReseller, jointReseller.adminEmail);
    const selfCustomer = await accept(jointReseller.admin, ownCustomer);
    expect([selfCustomer.status, selfCustomer.body.code]).toEqual([403, 'wrong_organization_kind']);
    const ownPartnership = await inviteReseller(otherProvider, otherProvider.adminEmail);
    const selfPartnership = await accept(otherProvider.admin, ownPartnership);
    expect([selfPartnership.status, selfPartnership.body.code]).toEqual([403, 'wrong_organization_kind']);

    for (const issued of [toCustomer, toPartner, toProvider, ownCustomer, ownPartnership]) expect(await stateOf(t, issued)).toBe('pending');
    expect(await partnersOf(customer)).toEqual([]);
    expect(orgIds(expectOk(await otherProvider.admin.get<Page<{ organization: Ref }>>('/api/v1/indirect-resellers')))).not.toContain(provider.id);
    expect(await customerIds(jointReseller)).not.toContain(jointReseller.id);
  });

  it('wrong role: an API key, even with admin roles, cannot accept (403 forbidden)', async () => {
    const issued = await inviteReseller(otherProvider, reseller.adminEmail);
    const key = expectOk(await reseller.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'automation', roles: ['global_admin', 'admin_agent'] }), 201);
    const bot = t.client();
    bot.apiKey = key.secret;
    const refused = await accept(bot, issued);
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
    expect(await stateOf(t, issued)).toBe('pending');
    expect(orgIds(expectOk(await reseller.admin.get<Page<{ organization: Ref }>>('/api/v1/indirect-providers')))).toEqual([provider.id]);

    // Same for a customer's own API key.
    const customer = await createCustomer(t, 'Maple Customer');
    const toCustomer = await inviteCustomer(jointReseller, customer.adminEmail);
    const customerKey = expectOk(await customer.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'script', roles: ['global_admin'] }), 201);
    const customerBot = t.client();
    customerBot.apiKey = customerKey.secret;
    const byKey = await accept(customerBot, toCustomer);
    expect([byKey.status, byKey.body.code]).toEqual([403, 'forbidden']);
    expect(await partnersOf(customer)).toEqual([]);

    // The signed-in admin can.
    expectOk(await accept(reseller.admin, issued));
  });

  it('a joint invitation whose partnership ended before acceptance: 409 partnership_not_active, nothing created', async () => {
    const lateReseller = await createPartner(t, operator, 'Nutmeg Reseller', 'indirect_reseller');
    await connect(provider, lateReseller);
    const customer = await createCustomer(t, 'Nutmeg Customer');
    const issued = await inviteCustomer(lateReseller, customer.adminEmail, { indirectProviderId: provider.id });
    expectOk(await lateReseller.admin.delete(`/api/v1/indirect-providers/${provider.id}`));

    const refused = await accept(customer.admin, issued);
    expect([refused.status, refused.body.code]).toEqual([409, 'partnership_not_active']);
    expect(await partnersOf(customer)).toEqual([]);
    expect(await customerIds(lateReseller)).toEqual([]);
    expect(await customerIds(provider)).not.toContain(customer.id);
    // The acceptance rolled back as a whole: the invitation is still open and no acceptance was recorded.
    expect(await stateOf(t, issued)).toBe('pending');
    const [row] = await queryRows<{ n: number }>(
      t,
      sql`select count(*)::int as n from audit_events where target_id = ${issued.id} and action = 'invitation.accepted'`,
    );
    expect(row?.n).toBe(0);
  });

  it('a joint partnership that ends after the read: the acceptance\'s statement changes nothing and says why', async () => {
    const lateReseller = await createPartner(t, operator, 'Quince Reseller', 'indirect_reseller');
    await connect(provider, lateReseller);
    const customer = await createCustomer(t, 'Quince Customer');
    const issued = await inviteCustomer(lateReseller, customer.adminEmail, { indirectProviderId: provider.id });
    const subject = await readAcceptance(t.db, issued.id, customer.id);
    if (subject === undefined) throw new Error('the invitation was not read');
    expect(subject.jointPartnershipActive).toBe(true);
    // Ended between the use case's read and its write: the write's own check must see it.
    expectOk(await lateReseller.admin.delete(`/api/v1/indirect-providers/${provider.id}`));
    const [user] = await queryRows<{ id: string }>(t, sql`select id from users where email = ${customer.adminEmail}`);
    const counts = await writtenRows(t);
    const result = await writeRelationshipAcceptance(
      t.db,
      subject.invitation,
      {
        userId: user?.id ?? randomUUID(),
        organizationId: customer.id,
        now: t.clock.now(),
        grantEndsAt: null,
        stamp: stampOf(relationshipAcceptanceRecords(2), null, t.clock, 'stale-read'),
        emails: [],
      },
      [lateReseller.id, provider.id].map((partnerId) => ({ partnerId, relationshipId: newTimeOrderedId(), grantId: newTimeOrderedId() })),
    );
    expect([result.invitation, result.refusal, result.unchanged?.state]).toEqual([null, 'partnership_not_active', 'pending']);
    expect(await writtenRows(t)).toEqual(counts);
    expect(await partnersOf(customer)).toEqual([]);
  });

  it('a relationship that already exists: 409 relationship_exists, no second grant', async () => {
    const customer = await createCustomer(t, 'Oak Customer');
    await relate(jointReseller, customer);
    const issued = await inviteCustomer(jointReseller, customer.adminEmail);
    const counts = await writtenRows(t);
    const refused = await accept(customer.admin, issued);
    expect([refused.status, refused.body.code]).toEqual([409, 'relationship_exists']);
    expect(await stateOf(t, issued)).toBe('pending');
    expect(await writtenRows(t)).toEqual(counts);
    const partners = await partnersOf(customer);
    expect(partners.map((p) => [p.organization.id, p.delegatedAdmin.length])).toEqual([[jointReseller.id, 1]]);
  });

  it('expiry bounds: 31 days refused, 30 allowed, 7 by default, for both kinds', async () => {
    for (const [who, path] of [
      [otherProvider, 'reseller-invitations'],
      [jointReseller, 'customer-invitations'],
    ] as const) {
      for (const expiresInDays of [31, 0]) {
        const refused = await who.admin.post<Problem>(`/api/v1/${path}`, { email: `bounds-${expiresInDays}@bounds.test`, expiresInDays });
        expect([refused.status, refused.body.code, refused.body.field]).toEqual([400, 'validation_failed', 'expiresInDays']);
      }
      const longest = expectOk(await who.admin.post<{ invitation: InvitationBody }>(`/api/v1/${path}`, { email: 'longest@bounds.test', expiresInDays: 30 }), 201);
      expect(Date.parse(longest.invitation.expiresAt) - Date.parse(longest.invitation.createdAt)).toBe(days(30));
      const standard = expectOk(await who.admin.post<{ invitation: InvitationBody }>(`/api/v1/${path}`, { email: 'default@bounds.test' }), 201);
      expect(standard.invitation.createdAt).toBe(t.clock.now().toISOString());
      expect(Date.parse(standard.invitation.expiresAt) - Date.parse(standard.invitation.createdAt)).toBe(days(7));
    }
  });
});

describe('invitations on the clock: expiry at expiresAt and the sweep', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let newProvider: OrgHandle;
  let reseller: OrgHandle;
  let customer: OrgHandle;
  let jointCustomer: OrgHandle;
  let onTime: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Clock Provider', 'indirect_provider');
    newProvider = await createPartner(t, operator, 'Clock New Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Clock Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Clock Customer');
    jointCustomer = await createCustomer(t, 'Clock Joint Customer');
    onTime = await createCustomer(t, 'Clock On Time');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  /** Sessions end after two idle hours: everyone signs in again after the clock jumps. */
  async function advance(ms: number): Promise<void> {
    t.clock.advance(ms);
    operator = await signIn(t, 'ops@operator.test');
    for (const org of [provider, newProvider, reseller, customer, jointCustomer, onTime]) org.admin = await signIn(t, org.adminEmail);
  }

  async function auditReaders(issued: Issued, action: string): Promise<string[]> {
    const readers: string[] = [];
    for (const org of [provider, newProvider, reseller, customer, jointCustomer]) {
      const events = expectOk(await org.admin.get<Page<{ action: string }>>(`/api/v1/audit-events?targetId=${issued.id}`)).items;
      if (events.some((e) => e.action === action)) readers.push(org.id);
    }
    return readers.sort();
  }

  it('an invitation works until just before expiresAt, then answers 410 invitation_expired; the sweep writes it down once, audited', async () => {
    const partnership = await inviteReseller(newProvider, reseller.adminEmail);
    const single = await inviteCustomer(reseller, customer.adminEmail);
    const joint = await inviteCustomer(reseller, jointCustomer.adminEmail, { indirectProviderId: provider.id });
    const early = await inviteCustomer(reseller, onTime.adminEmail);

    await advance(days(7) - minutes(1));
    expectOk(await accept(onTime.admin, early));
    expect(await stateOf(t, single)).toBe('pending');

    await advance(minutes(1));
    const late = await accept(reseller.admin, partnership);
    expect([late.status, late.body.code]).toEqual([410, 'invitation_expired']);
    const lateSingle = await accept(customer.admin, single);
    expect([lateSingle.status, lateSingle.body.code]).toEqual([410, 'invitation_expired']);
    const lateJoint = await accept(jointCustomer.admin, joint);
    expect([lateJoint.status, lateJoint.body.code]).toEqual([410, 'invitation_expired']);
    const lateDecline = await t.client().post<Problem>(`/api/v1/invitations/${single.id}/decline`, { token: single.token });
    expect([lateDecline.status, lateDecline.body.code]).toEqual([410, 'invitation_expired']);
    const lateRevoke = await reseller.admin.post<Problem>(`/api/v1/invitations/${single.id}/revoke`);
    expect([lateRevoke.status, lateRevoke.body.code]).toEqual([409, 'invitation_not_pending']);
    expect(await stateOf(t, single)).toBe('expired');
    expect(expectOk(await reseller.admin.get<Page<InvitationBody>>('/api/v1/invitations')).items.find((i) => i.id === single.id)?.state).toBe('expired');
    // The list's state filter agrees with the state it shows, before the sweep too.
    const filtered = async (state: string) =>
      expectOk(await reseller.admin.get<Page<InvitationBody>>(`/api/v1/invitations?state=${state}`)).items.map((i) => i.id).sort();
    expect(await filtered('expired')).toEqual([single.id, joint.id].sort());
    expect(await filtered('pending')).toEqual([]);
    expect(await filtered('accepted')).toEqual([early.id]);
    expect(await partnersOf(customer)).toEqual([]);
    expect(orgIds(expectOk(await reseller.admin.get<Page<{ organization: Ref }>>('/api/v1/indirect-providers')))).toEqual([provider.id]);

    // Until the sweep runs the row still says pending; the sweep moves exactly the lapsed ones.
    const stored = async (issued: Issued) =>
      (await queryRows<{ state: string }>(t, sql`select state from invitations where id = ${issued.id}`))[0]?.state;
    expect(await stored(single)).toBe('pending');
    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireInvitations(ctx))).toBe(3);
    for (const issued of [partnership, single, joint]) expect(await stored(issued)).toBe('expired');
    expect(await stored(early)).toBe('accepted');
    expect(await runInTransaction(t.uow, null, 'test', (ctx) => expireInvitations(ctx))).toBe(0);

    // The expiry is audited for the organizations the invitation concerns, and only them.
    expect(await auditReaders(partnership, 'invitation.expired')).toEqual([newProvider.id]);
    expect(await auditReaders(single, 'invitation.expired')).toEqual([reseller.id]);
    expect(await auditReaders(joint, 'invitation.expired')).toEqual([provider.id, reseller.id].sort());
    const [event] = expectOk(await reseller.admin.get<Page<{ action: string; actor: { userId: string | null }; before: unknown; after: unknown }>>(
      `/api/v1/audit-events?targetId=${single.id}`,
    )).items.filter((e) => e.action === 'invitation.expired');
    expect(event).toMatchObject({ actor: { userId: null }, before: { state: 'pending' }, after: { state: 'expired' } });
  });
});
