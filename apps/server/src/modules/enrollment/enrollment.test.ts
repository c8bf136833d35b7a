import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from '@tierlink/contract';
import { days } from '../../platform/clock.ts';
import { createCustomer, createOperator, createTestContext, enrollMfa, expectOk, queryRows, signIn, type Client, type OrgHandle, type TestContext } from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
}
interface EnrollmentAnswer {
  id: string;
  organizationId: string;
  program: string;
  state: string;
  decisionReason: string | null;
}
interface Mail {
  to: string;
  subject: string;
  text: string;
}

const accountPassword = 'membership account secret';

// W1: enroll as indirect reseller or provider, from the membership registry to the operator's decision.
describe('enrollment', () => {
  let t: TestContext;
  let operator: Client;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    // One membership per organization: each case below enrolls with its own US membership.
    for (const [membershipId, country] of [
      ['MPN-1001', 'US'],
      ['MPN-1002', 'DE'],
      ['MPN-1003', 'US'],
      ['MPN-1004', 'US'],
      ['MPN-1005', 'US'],
      ['MPN-1006', 'US'],
    ] as const) {
      expectOk(
        await operator.post('/api/v1/operator/memberships', {
          membershipId,
          legalName: `Contoso ${country}`,
          country,
          accountEmail: 'registry@contoso.test',
          accountPassword,
        }),
        201,
      );
    }
  });
  afterAll(() => t.close());

  async function mails(to: string): Promise<Mail[]> {
    await t.drainOutbox();
    const url = `/api/v1/mailbox?limit=200&to=${encodeURIComponent(to)}`;
    let answer = await operator.get<Page<Mail>>(url);
    // Cases move the clock past the session's idle limit; sign in again as a person would.
    if (answer.status === 401) {
      operator = await signIn(t, 'ops@operator.test');
      answer = await operator.get<Page<Mail>>(url);
    }
    return expectOk(answer).items;
  }

  async function membershipToken(org: OrgHandle): Promise<{ membershipToken: string; profiles: { membershipId: string; country: string }[] }> {
    return expectOk(await org.admin.post('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@contoso.test', accountPassword }), 201);
  }

  function enrollBody(token: string, overrides: Record<string, unknown> = {}) {
    return {
      program: 'indirect_reseller',
      membershipToken: token,
      membershipId: 'MPN-1001',
      legalProfile: { name: 'Contoso Ltd', address: '1 Main Street, Springfield' },
      primaryContact: { name: 'Pat Primary', email: 'pat@contoso.test', phone: '+1 555 0100' },
      supportProfile: { email: 'support@contoso.test', phone: '+1 555 0199', website: 'https://contoso.test/support' },
      ...overrides,
    };
  }

  function verificationLink(text: string): { id: string; token: string } {
    const match = /\/verify-email\/([0-9a-f-]{36})\?token=([A-Za-z0-9_-]+)/.exec(text);
    if (match?.[1] === undefined || match[2] === undefined) throw new Error(`no verification link in: ${text}`);
    return { id: match[1], token: decodeURIComponent(match[2]) };
  }

  it('walks the seed: membership sign-in → Enroll now → email verification → review → approval, each state emailed', async () => {
    const org = await createCustomer(t, 'Contoso Walk');
    const signedIn = await membershipToken(org);
    expect(signedIn.profiles.map((p) => [p.membershipId, p.country]).slice(0, 2)).toEqual([
      ['MPN-1001', 'US'],
      ['MPN-1002', 'DE'],
    ]);

    const enrolled = expectOk(await org.admin.post<EnrollmentAnswer>('/api/v1/enrollments', enrollBody(signedIn.membershipToken)), 201);
    expect(enrolled.state).toBe('email_unverified');
    // A partner's users work with MFA only: first that, then the enrollment is all they reach.
    expect((await org.admin.get<Problem>('/api/v1/customers')).body.code).toBe('mfa_enrollment_required');
    await enrollMfa(t, org.admin, org.adminEmail);

    // The enrolling user is global admin and admin agent; until approval only the enrollment is open.
    const me = expectOk(await org.admin.get<{ user: { roles: string[] }; organization: { kind: string } }>('/api/v1/me'));
    expect(me.user.roles).toEqual(expect.arrayContaining(['global_admin', 'admin_agent']));
    expect(me.organization.kind).toBe('partner');
    const blocked = await org.admin.get<Problem>('/api/v1/customers');
    expect([blocked.status, blocked.body.code]).toEqual([403, 'partner_not_verified']);
    const usersBlocked = await org.admin.get<Problem>('/api/v1/users');
    expect(usersBlocked.body.code).toBe('partner_not_verified');
    expect(expectOk(await org.admin.get<{ items: EnrollmentAnswer[] }>('/api/v1/enrollments/current')).items.map((e) => e.state)).toEqual(['email_unverified']);

    const [verification] = await mails('pat@contoso.test');
    if (verification === undefined) throw new Error('no verification email');
    const link = verificationLink(verification.text);
    expect(link.id).toBe(enrolled.id);
    // The raw token is never stored.
    const stored = await queryRows<Record<string, unknown>>(t, sql`select * from partner_profiles where id = ${enrolled.id}`);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(link.token);

    const verify = () => t.client().post<{ state: string } & Problem>(`/api/v1/enrollments/${link.id}/verify-email`, { token: link.token });
    expect(expectOk(await verify()).state).toBe('in_review');
    const again = await verify();
    expect([again.status, again.body.code]).toEqual([409, 'enrollment_not_pending']);

    const queue = expectOk(await operator.get<Page<EnrollmentAnswer>>('/api/v1/operator/enrollments?state=in_review'));
    expect(queue.items.map((e) => e.id)).toContain(enrolled.id);
    const approved = expectOk(await operator.post<EnrollmentAnswer>(`/api/v1/operator/enrollments/${enrolled.id}/approve`, {}));
    expect(approved.state).toBe('approved');
    const twice = await operator.post<Problem>(`/api/v1/operator/enrollments/${enrolled.id}/approve`, {});
    expect([twice.status, twice.body.code]).toEqual([409, 'enrollment_not_pending']);

    expect((await org.admin.get('/api/v1/customers')).status).toBe(200);
    const programs = expectOk(await org.admin.get<{ organization: { programs: { program: string; state: string }[] } }>('/api/v1/me')).organization.programs;
    expect(programs).toEqual([expect.objectContaining({ program: 'indirect_reseller', state: 'approved' })]);
    // The manual clock stands still, so the mailbox order among these three is arbitrary.
    const subjects = (await mails('pat@contoso.test')).map((m) => m.subject).sort();
    expect(subjects).toEqual(["Contoso Walk: enrollment approved", "Contoso Walk: enrollment in review", "Verify your email to continue Contoso Walk's enrollment"]);
  });

  it('refuses a membership from another country and web-mail primary contacts, naming the field', async () => {
    const org = await createCustomer(t, 'Contoso Checks');
    const { membershipToken: token } = await membershipToken(org);
    const abroad = await org.admin.post<Problem>('/api/v1/enrollments', enrollBody(token, { membershipId: 'MPN-1002' }));
    expect([abroad.status, abroad.body.code, abroad.body.field]).toEqual([400, 'country_mismatch', 'membershipId']);
    for (const email of ['pat@gmail.com', 'pat@Outlook.com', 'pat@yahoo.com', 'pat@icloud.com']) {
      const webmail = await org.admin.post<Problem>('/api/v1/enrollments', enrollBody(token, { membershipId: 'MPN-1003', primaryContact: { name: 'Pat', email, phone: '+1 555 0100' } }));
      expect([webmail.status, webmail.body.code, webmail.body.field], email).toEqual([400, 'webmail_not_allowed', 'primaryContact.email']);
    }
    // Nothing was half-written: the organization is still a customer without enrollments.
    const me = expectOk(await org.admin.get<{ organization: { kind: string } }>('/api/v1/me'));
    expect(me.organization.kind).toBe('customer');
  });

  it('needs a membership sign-in of this very user, with the right password and a profile of that account', async () => {
    const org = await createCustomer(t, 'Contoso Proofs');
    const other = await createCustomer(t, 'Contoso Other');
    const wrong = await org.admin.post<Problem>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@contoso.test', accountPassword: 'not the password' });
    const unknown = await org.admin.post<Problem>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'nobody@contoso.test', accountPassword });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'invalid_credentials']);
    expect([unknown.status, unknown.body.code]).toEqual([401, 'invalid_credentials']);

    const { membershipToken: othersToken } = await membershipToken(other);
    const stolen = await org.admin.post<Problem>('/api/v1/enrollments', enrollBody(othersToken));
    expect([stolen.status, stolen.body.field]).toEqual([400, 'membershipToken']);

    expectOk(await operator.post('/api/v1/operator/memberships', { membershipId: 'MPN-2001', legalName: 'Fabrikam', country: 'US', accountEmail: 'registry@fabrikam.test', accountPassword }), 201);
    const { membershipToken: token } = await membershipToken(org);
    const foreign = await org.admin.post<Problem>('/api/v1/enrollments', enrollBody(token, { membershipId: 'MPN-2001' }));
    expect([foreign.status, foreign.body.field]).toEqual([400, 'membershipId']);

    t.clock.advance(31 * 60 * 1000);
    const late = await org.admin.post<Problem>('/api/v1/enrollments', enrollBody(token));
    expect([late.status, late.body.field]).toEqual([400, 'membershipToken']);
  });

  it('rejects with a reason, emailed; the partner may enroll again', async () => {
    const org = await createCustomer(t, 'Contoso Reject');
    const first = expectOk(await org.admin.post<EnrollmentAnswer>('/api/v1/enrollments', enrollBody((await membershipToken(org)).membershipToken, { membershipId: 'MPN-1004', primaryContact: { name: 'Ria', email: 'ria@contoso.test', phone: '+1 555 0101' } })), 201);
    await enrollMfa(t, org.admin, org.adminEmail);
    const notYet = await operator.post<Problem>(`/api/v1/operator/enrollments/${first.id}/reject`, { reason: 'The address cannot be confirmed.' });
    expect([notYet.status, notYet.body.code]).toEqual([409, 'enrollment_not_pending']);
    const [mail] = await mails('ria@contoso.test');
    if (mail === undefined) throw new Error('no verification email');
    expectOk(await t.client().post(`/api/v1/enrollments/${first.id}/verify-email`, { token: verificationLink(mail.text).token }));
    const noReason = await operator.post<Problem>(`/api/v1/operator/enrollments/${first.id}/reject`, {});
    expect([noReason.status, noReason.body.field]).toEqual([400, 'reason']);
    const rejected = expectOk(await operator.post<EnrollmentAnswer>(`/api/v1/operator/enrollments/${first.id}/reject`, { reason: 'The address cannot be confirmed.' }));
    expect([rejected.state, rejected.decisionReason]).toEqual(['rejected', 'The address cannot be confirmed.']);
    expect((await mails('ria@contoso.test')).find((m) => m.subject.endsWith('rejected'))?.text).toContain('The address cannot be confirmed.');
    expect((await org.admin.get<Problem>('/api/v1/customers')).body.code).toBe('partner_not_verified');

    const again = expectOk(await org.admin.post<EnrollmentAnswer>('/api/v1/enrollments', enrollBody((await membershipToken(org)).membershipToken, { membershipId: 'MPN-1004' })), 201);
    expect([again.id, again.state]).toEqual([first.id, 'email_unverified']);
    const duplicate = await org.admin.post<Problem>('/api/v1/enrollments', enrollBody((await membershipToken(org)).membershipToken, { membershipId: 'MPN-1004' }));
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 'already_enrolled']);
  });

  it('an organization enrolled in the other program only adds what is missing (its verified contact is not asked again)', async () => {
    const org = await createCustomer(t, 'Contoso Both');
    const body = enrollBody((await membershipToken(org)).membershipToken, { membershipId: 'MPN-1005', primaryContact: { name: 'Bo', email: 'bo@contoso.test', phone: '+1 555 0102' } });
    const reseller = expectOk(await org.admin.post<EnrollmentAnswer>('/api/v1/enrollments', body), 201);
    await enrollMfa(t, org.admin, org.adminEmail);
    const [mail] = await mails('bo@contoso.test');
    if (mail === undefined) throw new Error('no verification email');
    expectOk(await t.client().post(`/api/v1/enrollments/${reseller.id}/verify-email`, { token: verificationLink(mail.text).token }));
    expectOk(await operator.post(`/api/v1/operator/enrollments/${reseller.id}/approve`, {}));

    const provider = expectOk(
      await org.admin.post<EnrollmentAnswer>('/api/v1/enrollments', { ...enrollBody((await membershipToken(org)).membershipToken, { membershipId: 'MPN-1005', primaryContact: body.primaryContact }), program: 'indirect_provider' }),
      201,
    );
    expect(provider.state).toBe('in_review');
    // The approved reseller program keeps working while the provider program is reviewed.
    expect((await org.admin.get('/api/v1/customers')).status).toBe(200);
  });

  it('an expired verification link is refused and says so', async () => {
    const org = await createCustomer(t, 'Contoso Late');
    const enrolled = expectOk(await org.admin.post<EnrollmentAnswer>('/api/v1/enrollments', enrollBody((await membershipToken(org)).membershipToken, { membershipId: 'MPN-1006', primaryContact: { name: 'Lee', email: 'lee@contoso.test', phone: '+1 555 0103' } })), 201);
    await enrollMfa(t, org.admin, org.adminEmail);
    const [mail] = await mails('lee@contoso.test');
    if (mail === undefined) throw new Error('no verification email');
    const link = verificationLink(mail.text);
    const forged = await t.client().post<Problem>(`/api/v1/enrollments/${enrolled.id}/verify-email`, { token: `${link.token.slice(0, -2)}xx` });
    expect(forged.status).toBe(404);
    t.clock.advance(days(7) + 1000);
    const late = await t.client().post<Problem>(`/api/v1/enrollments/${enrolled.id}/verify-email`, { token: link.token });
    expect([late.status, late.body.code]).toEqual([410, 'verification_expired']);
  });

  it('only operators keep the registry and review; only a global admin enrolls', async () => {
    const org = await createCustomer(t, 'Contoso Roles');
    const registry = await org.admin.post<Problem>('/api/v1/operator/memberships', { membershipId: 'MPN-3001', legalName: 'X', country: 'US', accountEmail: 'x@contoso.test', accountPassword });
    expect([registry.status, registry.body.code]).toEqual([403, 'forbidden']);
    expect((await org.admin.get('/api/v1/operator/enrollments')).status).toBe(403);
    const added = expectOk(await org.admin.post<{ temporaryPassword: string }>('/api/v1/users', { displayName: 'Helper', email: 'helper@contoso-roles.test', roles: ['user_admin'] }), 201);
    const userAdmin = await signIn(t, 'helper@contoso-roles.test', added.temporaryPassword);
    expect((await userAdmin.post('/api/v1/me/password', { currentPassword: added.temporaryPassword, newPassword: 'helper own phrase' })).status).toBe(204);
    const enrolling = await userAdmin.post<Problem>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@contoso.test', accountPassword });
    expect([enrolling.status, enrolling.body.code]).toEqual([403, 'forbidden']);
    // Earlier cases moved the clock past the operator's idle limit.
    const ops = await signIn(t, 'ops@operator.test');
    const duplicate = await ops.post<Problem>('/api/v1/operator/memberships', { membershipId: 'MPN-1001', legalName: 'X', country: 'US', accountEmail: 'registry@contoso.test', accountPassword });
    expect([duplicate.status, duplicate.body.field]).toEqual([409, 'membershipId']);
  });

  it('imports memberships in bulk from CSV, all rows or none, naming the row at fault', async () => {
    const ops = await signIn(t, 'ops@operator.test');
    const csv = (rows: string[]) => ['membership_id,legal_name,country,account_email,account_password', ...rows].join('\n');
    const post = (body: string) => ops.request<{ imported: number; items: { membershipId: string; accountEmail: string }[] } & Problem>('POST', '/api/v1/operator/memberships/import', body, { 'content-type': 'text/csv' });
    const bad = await post(csv([`MPN-7001,Tailspin US,US,registry@tailspin.test,${accountPassword}`, `MPN-7002,Tailspin DE,Germany,registry@tailspin.test,${accountPassword}`]));
    expect([bad.status, bad.body.code, bad.body.field]).toEqual([400, 'validation_failed', 'items.1.country']);
    const twice = await post(csv([`MPN-7001,Tailspin US,US,registry@tailspin.test,${accountPassword}`, `MPN-7001,Tailspin US,US,registry@tailspin.test,${accountPassword}`]));
    expect([twice.status, twice.body.field]).toEqual([400, 'items.1.membershipId']);
    const taken = await post(csv([`MPN-7001,Tailspin US,US,registry@tailspin.test,${accountPassword}`, `MPN-1001,Contoso,US,registry@contoso.test,${accountPassword}`]));
    expect([taken.status, taken.body.code, taken.body.field]).toEqual([409, 'conflict', 'items.1.membershipId']);
    // Nothing of the refused uploads was kept.
    expect((await ops.post<Problem>('/api/v1/operator/memberships', { membershipId: 'MPN-7001', legalName: 'Tailspin US', country: 'US', accountEmail: 'other@tailspin.test', accountPassword })).status).toBe(201);

    const good = expectOk(await post(csv([`MPN-7003,Tailspin DE,DE,registry@tailspin.test,${accountPassword}`, `MPN-7004,Tailspin FR,FR,registry@tailspin.test,${accountPassword}`])));
    expect([good.imported, good.items.map((m) => m.membershipId)]).toEqual([2, ['MPN-7003', 'MPN-7004']]);
    const org = await createCustomer(t, 'Tailspin Toys');
    const profiles = expectOk(await org.admin.post<{ profiles: { membershipId: string }[] }>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@tailspin.test', accountPassword }), 201).profiles;
    expect(profiles.map((p) => p.membershipId)).toEqual(['MPN-7003', 'MPN-7004']);
  });

  it('one membership belongs to one organization: another one is refused until that enrollment is rejected', async () => {
    const ops = await signIn(t, 'ops@operator.test');
    expectOk(await ops.post('/api/v1/operator/memberships', { membershipId: 'MPN-8001', legalName: 'Wingtip', country: 'US', accountEmail: 'registry@wingtip.test', accountPassword }), 201);
    const token = async (org: OrgHandle) =>
      expectOk(await org.admin.post<{ membershipToken: string }>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@wingtip.test', accountPassword }), 201).membershipToken;
    const first = await createCustomer(t, 'Wingtip One');
    const second = await createCustomer(t, 'Wingtip Two');
    const contact = (name: string) => ({ primaryContact: { name, email: `${name.toLowerCase()}@wingtip.test`, phone: '+1 555 0104' } });
    const held = expectOk(await first.admin.post<EnrollmentAnswer>('/api/v1/enrollments', enrollBody(await token(first), { membershipId: 'MPN-8001', ...contact('Uma') })), 201);
    await enrollMfa(t, first.admin, first.adminEmail);
    const refused = await second.admin.post<Problem>('/api/v1/enrollments', enrollBody(await token(second), { membershipId: 'MPN-8001', ...contact('Vic') }));
    expect([refused.status, refused.body.code, refused.body.field]).toEqual([409, 'conflict', 'membershipId']);
    // The holder's other program may share its own membership.
    const [mail] = await mails('uma@wingtip.test');
    if (mail === undefined) throw new Error('no verification email');
    expectOk(await t.client().post(`/api/v1/enrollments/${held.id}/verify-email`, { token: verificationLink(mail.text).token }));
    expectOk(await ops.post(`/api/v1/operator/enrollments/${held.id}/reject`, { reason: 'Wrong membership.' }));
    expect((await second.admin.post('/api/v1/enrollments', enrollBody(await token(second), { membershipId: 'MPN-8001', ...contact('Vic') }))).status).toBe(201);
  });
});
