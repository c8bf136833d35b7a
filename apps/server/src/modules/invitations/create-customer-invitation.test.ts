import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  password,
  publicUrl,
  queryRows,
  signIn,
  type Client,
  type Issued,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  field?: string;
}
interface Ref {
  id: string;
}
interface Created {
  invitation: {
    id: string;
    kind: string;
    email: string;
    state: string;
    inviter: Ref;
    provider: Ref | null;
    delegatedRoles: string[];
    delegatedAdminDays: number | null;
  };
  email: { to: string; subject: string; text: string; link: string };
  sent: boolean;
}
interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** What the sign-up form sends from the invitation page. */
const proof = (issued: Issued) => ({ id: issued.id, token: issued.token });

async function draft(partner: OrgHandle, body: Record<string, unknown>): Promise<{ created: Created; issued: Issued }> {
  const created = expectOk(await partner.admin.post<Created>('/api/v1/customer-invitations', body), 201);
  return { created, issued: issuedFrom(created) };
}

describe('W6: requesting a reseller relationship (draft, sending, sign-up from the link)', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let unpartnered: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Harbor Distribution', 'indirect_provider');
    unpartnered = await createPartner(t, operator, 'Lonely Distribution', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Quill Reseller', 'indirect_reseller');
    await connect(provider, reseller);
    await t.drainOutbox();
  });
  afterAll(() => t.close());

  const mailTo = async (to: string) => expectOk(await operator.get<Page<Mail>>(`/api/v1/mailbox?to=${encodeURIComponent(to)}`)).items;

  it('answers the draft: subject, editable text, and the personal link; send: false queues nothing', async () => {
    const { created, issued } = await draft(reseller, { email: 'Admin@Draft-Only.test', send: false });
    expect(created.sent).toBe(false);
    expect(created.invitation).toMatchObject({
      kind: 'reseller_relationship',
      email: 'admin@draft-only.test',
      state: 'pending',
      inviter: { id: reseller.id },
      provider: null,
      delegatedRoles: ['user_admin', 'license_admin', 'helpdesk'],
      delegatedAdminDays: null,
    });
    expect(created.email.to).toBe('admin@draft-only.test');
    expect(created.email.subject).toBe('Quill Reseller asks to become your reseller');
    expect(created.email.text).toContain('Quill Reseller would like to become your reseller of record');
    expect(created.email.text).toContain('until you revoke it');
    // The link is not part of the editable text; it has the documented form and opens the invitation.
    expect(created.email.text).not.toContain(issued.token);
    expect(created.email.link).toBe(`${publicUrl}/invitations/${issued.id}?token=${encodeURIComponent(issued.token)}`);
    expect(issued.token.length).toBeGreaterThanOrEqual(43);
    const preview = expectOk(await t.client().get<{ id: string; state: string; inviter: Ref }>(`/api/v1/invitations/${issued.id}?token=${issued.token}`));
    expect([preview.id, preview.state, preview.inviter.id]).toEqual([issued.id, 'pending', reseller.id]);
    // Only a hash of the token is stored.
    const stored = await queryRows<{ token_hash: string }>(t, sql`select token_hash from invitations where id = ${issued.id}`);
    expect(stored[0]?.token_hash).toBeDefined();
    expect(stored[0]?.token_hash).not.toContain(issued.token);

    expect(await t.drainOutbox()).toBe(0);
    expect(await mailTo('admin@draft-only.test')).toEqual([]);
    // Not sending is the default.
    const byDefault = await draft(reseller, { email: 'admin@default-draft.test' });
    expect(byDefault.created.sent).toBe(false);
    expect(await t.drainOutbox()).toBe(0);
  });

  it('the draft names the requested roles and grant duration; the link itself cannot be supplied', async () => {
    const { created } = await draft(reseller, { email: 'admin@roles.test', delegatedRoles: ['helpdesk'], delegatedAdminDays: 90 });
    expect(created.invitation.delegatedRoles).toEqual(['helpdesk']);
    expect(created.invitation.delegatedAdminDays).toBe(90);
    expect(created.email.text).toContain('delegated admin access (reset passwords) for 90 days');
    const withLink = await reseller.admin.post<Problem>('/api/v1/customer-invitations', { email: 'admin@roles.test', link: 'http://evil.test/x' });
    expect([withLink.status, withLink.body.code, withLink.body.field]).toEqual([400, 'validation_failed', 'link']);
  });

  it('send: true delivers the custom text with the personal link appended to the embedded mailbox', async () => {
    const text = 'Dear Nimbus team,\n\nas discussed on the phone, please accept our request.';
    const { created, issued } = await draft(reseller, { email: 'admin@nimbus.test', send: true, text });
    expect(created.sent).toBe(true);
    expect(created.email.text).toBe(text);
    expect(await t.drainOutbox()).toBe(1);

    const mails = await mailTo('admin@nimbus.test');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe(created.email.subject);
    expect(mail?.text.startsWith(`${text}\n\n${created.email.link}\n\n`)).toBe(true);
    expect(mail?.text).toContain('This link works once, only for admin@nimbus.test');

    // The invitee reads the same message in its own mailbox once it has an account, and nothing else.
    const customer = await createCustomer(t, 'Nimbus', proof(issued));
    const own = expectOk(await customer.admin.get<Page<Mail>>('/api/v1/mailbox')).items;
    expect(own.map((m) => [m.to, m.subject])).toEqual([['admin@nimbus.test', created.email.subject]]);
  });

  it('sending a draft emails that same invitation and link with the edited text; the list holds it once', async () => {
    const { created, issued } = await draft(reseller, { email: 'admin@sent-draft.test', send: false });
    const path = `/api/v1/invitations/${issued.id}/send`;
    const wrong = await reseller.admin.post<Problem>(path, { token: `${issued.token}x` });
    expect([wrong.status, wrong.body.code]).toEqual([404, 'invitation_not_found']);
    // Only the inviting organization sends it, even with the token.
    const foreign = await provider.admin.post<Problem>(path, { token: issued.token });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'invitation_not_found']);

    const text = 'Hello Sent Draft,\n\nas promised, our request.';
    const sent = expectOk(await reseller.admin.post<Created>(path, { token: issued.token, text }));
    expect(sent.sent).toBe(true);
    expect(sent.invitation.id).toBe(issued.id);
    expect(sent.invitation.state).toBe('pending');
    expect(sent.email.link).toBe(created.email.link);
    expect(sent.email.text).toBe(text);
    await t.drainOutbox();
    const mail = await mailTo('admin@sent-draft.test');
    expect(mail).toHaveLength(1);
    expect(mail[0]?.text).toContain(text);
    expect(mail[0]?.text).toContain(created.email.link);
    const listed = expectOk(await reseller.admin.get<Page<{ id: string; email: string; state: string }>>('/api/v1/invitations')).items;
    expect(listed.filter((i) => i.email === 'admin@sent-draft.test').map((i) => [i.id, i.state])).toEqual([[issued.id, 'pending']]);
    const audited = expectOk(await reseller.admin.get<Page<{ action: string }>>(`/api/v1/audit-events?targetId=${issued.id}`)).items;
    expect(audited.map((e) => e.action)).toContain('invitation.sent');

    // The link still opens it; once revoked it is not sent again.
    expectOk(await t.client().get(`/api/v1/invitations/${issued.id}?token=${issued.token}`));
    expectOk(await reseller.admin.post(`/api/v1/invitations/${issued.id}/revoke`, {}));
    const revoked = await reseller.admin.post<Problem>(path, { token: issued.token });
    expect([revoked.status, revoked.body.code]).toEqual([409, 'invitation_not_pending']);
  });

  it('the sent list sorts by email, sent or expiry date either way, pages with the sort, and searches by email prefix', async () => {
    type Row = { id: string; email: string; createdAt: string; expiresAt: string };
    const all = async (query: string) => {
      const rows: Row[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Row> = expectOk(await reseller.admin.get<Page<Row>>(`/api/v1/invitations?limit=2&${query}${cursor === null ? '' : `&cursor=${cursor}`}`));
        rows.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return rows;
    };
    for (const email of ['zed@sorting.test', 'amy@sorting.test', 'max@sorting.test']) await draft(reseller, { email });
    const byEmail = await all('sort=email&order=asc');
    const emails = byEmail.map((r) => r.email);
    expect(emails).toEqual([...emails].sort());
    expect(new Set(byEmail.map((r) => r.id)).size).toBe(byEmail.length);
    const byEmailDesc = await all('sort=email&order=desc');
    expect(byEmailDesc.map((r) => r.id)).toEqual([...byEmail].reverse().map((r) => r.id));
    const oldest = await all('sort=createdAt&order=asc');
    expect(oldest.map((r) => r.id)).toEqual([...(await all(''))].reverse().map((r) => r.id));
    const expiring = (await all('sort=expiresAt&order=asc')).map((r) => r.expiresAt);
    expect(expiring).toEqual([...expiring].sort());
    expect((await all('email=Max@Sort')).map((r) => r.email)).toEqual(['max@sorting.test']);
    // Wildcards are literal; an unknown sort is refused.
    expect(await all('email=%25')).toEqual([]);
    expect((await reseller.admin.get('/api/v1/invitations?sort=state')).status).toBe(400);
  });

  it('a joint invitation names the provider and needs an active partnership with it (404 otherwise)', async () => {
    const { created } = await draft(reseller, { email: 'admin@joint-draft.test', indirectProviderId: provider.id, send: true });
    expect(created.invitation.provider?.id).toBe(provider.id);
    expect(created.email.subject).toBe('Quill Reseller and Harbor Distribution ask to become your reseller');
    expect(created.email.text).toContain('together, in one step');
    expect(await t.drainOutbox()).toBe(1);

    for (const indirectProviderId of [unpartnered.id, randomUUID(), reseller.id]) {
      const refused = await reseller.admin.post<Problem>('/api/v1/customer-invitations', { email: 'admin@joint-draft.test', indirectProviderId });
      expect([refused.status, refused.body.code]).toEqual([404, 'not_found']);
    }
    // Only a reseller invites jointly; a provider naming another provider is refused.
    const byProvider = await provider.admin.post<Problem>('/api/v1/customer-invitations', { email: 'admin@joint-draft.test', indirectProviderId: unpartnered.id });
    expect([byProvider.status, byProvider.body.code]).toEqual([403, 'forbidden']);
    // None of the refusals queued an email or superseded the sent invitation.
    expect(await t.drainOutbox()).toBe(0);
    const sent = expectOk(await reseller.admin.get<Page<{ id: string; state: string }>>('/api/v1/invitations?state=pending')).items;
    expect(sent.map((i) => i.id)).toContain(created.invitation.id);

    // Once the partnership ends, the provider can no longer be named.
    const ending = await createPartner(t, operator, 'Ending Reseller', 'indirect_reseller');
    await connect(provider, ending);
    await draft(ending, { email: 'admin@before-end.test', indirectProviderId: provider.id });
    expectOk(await ending.admin.delete(`/api/v1/indirect-providers/${provider.id}`));
    const afterEnd = await ending.admin.post<Problem>('/api/v1/customer-invitations', { email: 'admin@after-end.test', indirectProviderId: provider.id });
    expect([afterEnd.status, afterEnd.body.code]).toEqual([404, 'not_found']);
  });

  it('a customer without an organization signs up from the invitation, then accepts; the inviter is told', async () => {
    const { issued } = await draft(reseller, { email: 'admin@orchid.test', send: true, indirectProviderId: provider.id });
    const signUp = (email: string, invitation: { id: string; token: string }, domain = 'orchid.test') =>
      t.client().post<Problem>('/api/v1/organizations', {
        organization: { name: 'Orchid', domain, country: 'US' },
        admin: { displayName: 'Orchid admin', email, password },
        invitation,
      });

    const wrongEmail = await signUp('someone-else@orchid.test', proof(issued));
    expect([wrongEmail.status, wrongEmail.body.code, wrongEmail.body.field]).toEqual([403, 'invitation_email_mismatch', 'admin.email']);
    const wrongToken = await signUp('admin@orchid.test', { id: issued.id, token: 'y'.repeat(43) });
    expect([wrongToken.status, wrongToken.body.code]).toEqual([403, 'invitation_email_mismatch']);
    // A partnership invitation proves nothing for a customer sign-up.
    const partnershipInvite = issuedFrom(expectOk(await provider.admin.post<Created>('/api/v1/reseller-invitations', { email: 'admin@orchid.test' }), 201));
    const wrongKind = await signUp('admin@orchid.test', proof(partnershipInvite));
    expect([wrongKind.status, wrongKind.body.code]).toEqual([403, 'invitation_email_mismatch']);
    const nothing = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from organizations where domain = 'orchid.test'`);
    expect(nothing[0]?.n).toBe(0);

    const customer = await createCustomer(t, 'Orchid', proof(issued));
    // Signing up does not consume the invitation; accepting stays an explicit step.
    expect(expectOk(await customer.admin.get<Page<unknown>>('/api/v1/partners')).items).toEqual([]);
    expect(expectOk(await t.client().get<{ state: string }>(`/api/v1/invitations/${issued.id}?token=${issued.token}`)).state).toBe('pending');
    const accepted = expectOk(
      await customer.admin.post<{ relationships: { partner: Ref }[] }>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }),
    );
    expect(accepted.relationships.map((r) => r.partner.id).sort()).toEqual([provider.id, reseller.id].sort());
    const customers = expectOk(await reseller.admin.get<Page<Ref>>('/api/v1/customers?name=orchid')).items;
    expect(customers.map((c) => c.id)).toEqual([customer.id]);
    // The new admin can sign in normally afterwards.
    await signIn(t, 'admin@orchid.test');

    await t.drainOutbox();
    const subject = 'Invitation accepted: Orchid accepted the reseller relationship';
    const resellerInbox = expectOk(await reseller.admin.get<Page<Mail>>('/api/v1/mailbox')).items;
    expect(resellerInbox.filter((m) => m.subject === subject).map((m) => m.to)).toEqual([reseller.adminEmail]);
    expect(resellerInbox.find((m) => m.subject === subject)?.text).toContain('admin@orchid.test');
    const providerInbox = expectOk(await provider.admin.get<Page<Mail>>('/api/v1/mailbox')).items;
    expect(providerInbox.filter((m) => m.subject === subject).map((m) => m.to)).toEqual([provider.adminEmail]);
    // The customer itself gets no such notice.
    expect((await mailTo('admin@orchid.test')).filter((m) => m.subject === subject)).toEqual([]);
  });
});
