import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  mailFrom,
  publicUrl,
  queryRows,
  signIn,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../test/harness.ts';

/*
 * Email over a real SMTP server: `smtp-server` listens on loopback, the app runs with SMTP_URL
 * pointed at it, and the outbox relay delivers through nodemailer exactly as in production. The
 * flows are driven through the API and the messages are read as they arrived on the wire.
 */

interface Received {
  envelopeFrom: string | null;
  envelopeTo: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
  raw: string;
}

/** RFC 2045 quoted-printable: soft line breaks go, `=XX` are bytes of UTF-8 text. */
function decodeQuotedPrintable(body: string): string {
  const input = body.replaceAll(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i += 1) {
    const hex = input.slice(i + 1, i + 3);
    if (input.charAt(i) === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(input.charAt(i), 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII header text. */
function decodeWords(value: string): string {
  return value.replaceAll(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_match, kind: string, data: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replaceAll('_', ' ')),
  );
}

/** Just enough MIME for the single text/plain part nodemailer sends for a text-only message. */
function parseMessage(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no header/body boundary in: ${raw.slice(0, 200)}`);
  const head = raw.slice(0, split).replaceAll(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  expect(headers.get('content-type') ?? '', 'a single text/plain part').toMatch(/^text\/plain/i);
  const body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { headers, text: decoded.replaceAll('\r\n', '\n').trimEnd() };
}

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

function linkIn(text: string, kind: 'invitations' | 'verify-email'): { url: string; id: string; token: string } {
  const match = new RegExp(`${escapeRegExp(publicUrl)}/${kind}/([0-9a-f-]{36})\\?token=([A-Za-z0-9_%-]+)`).exec(text);
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`no ${kind} link in: ${text}`);
  return { url: match[0], id: match[1], token: decodeURIComponent(match[2]) };
}

describe('email over SMTP (smtp-server on loopback)', () => {
  const received: Received[] = [];
  /** Every temporary password an answer showed; none may ever travel by email. */
  const temporaryPasswords: string[] = [];
  let server: SMTPServer;
  let t: TestContext;
  let operator: Client;
  let reseller: OrgHandle;
  let customer: OrgHandle;

  /** Runs the outbox relay; returns the messages the SMTP server accepted meanwhile. */
  async function deliver(): Promise<Received[]> {
    const before = received.length;
    await t.drainOutbox();
    return received.slice(before);
  }

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { headers, text } = parseMessage(raw);
          const from = session.envelope.mailFrom;
          received.push({
            envelopeFrom: from === false ? null : from.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            headers,
            subject: decodeWords(headers.get('subject') ?? ''),
            text,
            raw,
          });
          // Accepted only once recorded: the relay marks a message sent after this answer.
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.server.address() as AddressInfo;
    t = await createTestContext({ smtpUrl: `smtp://127.0.0.1:${port}` });
    operator = await createOperator(t);
    reseller = await createPartner(t, operator, 'Northwind Mail', 'indirect_reseller');
    // Partner onboarding and the operator's own setup send nothing.
    expect(await deliver()).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a customer invitation sent by a reseller arrives with its personal link; following it leads to acceptance, and the inviter hears of it', async () => {
    const invitee = 'admin@fabrikam-mail.test';
    const created = expectOk(
      await reseller.admin.post<{ invitation: { id: string }; email: { link: string; subject: string }; sent: boolean }>('/api/v1/customer-invitations', {
        email: invitee,
        send: true,
      }),
      201,
    );
    expect(created.sent).toBe(true);

    const [invitation, ...more] = await deliver();
    if (invitation === undefined) throw new Error('the invitation email did not arrive');
    expect(more).toEqual([]);
    expect(invitation.envelopeTo).toEqual([invitee]);
    expect(invitation.envelopeFrom).toBe('no-reply@tierlink.test');
    expect(invitation.headers.get('to')).toBe(invitee);
    expect(invitation.headers.get('from')).toBe(mailFrom);
    expect(invitation.subject).toBe('Northwind Mail asks to become your reseller');
    expect(invitation.subject).toBe(created.email.subject);
    const link = linkIn(invitation.text, 'invitations');
    expect(link.url).toBe(created.email.link);
    expect(link.id).toBe(created.invitation.id);

    // Following the link: the page's preview changes nothing, the sign-up proves the address, the admin accepts.
    const preview = await t.client().get<{ status?: string }>(`/api/v1/invitations/${link.id}?token=${encodeURIComponent(link.token)}`);
    expect(preview.status).toBe(200);
    customer = await createCustomer(t, 'Fabrikam Mail', { id: link.id, token: link.token });
    expect(customer.adminEmail).toBe(invitee);
    expectOk(await customer.admin.post(`/api/v1/invitations/${link.id}/accept`, { token: link.token, consent: true }));

    const notices = await deliver();
    expect(notices.map((m) => [m.envelopeTo, m.subject])).toEqual([[[reseller.adminEmail], 'Invitation accepted: Fabrikam Mail accepted the reseller relationship']]);
  });

  it('user management shows a temporary password only in the API answer, never in an email', async () => {
    const email = 'new.agent@northwind-mail.test';
    const added = expectOk(
      await reseller.admin.post<{ user: { id: string }; temporaryPassword: string }>('/api/v1/users', { displayName: 'New Agent', email, roles: ['sales_agent'] }),
      201,
    );
    temporaryPasswords.push(added.temporaryPassword);
    // Acting as delegated admin in the customer that just accepted: add a user, reset its password.
    const customerUser = expectOk(
      await reseller.admin.post<{ user: { id: string }; temporaryPassword: string }>(`/api/v1/customers/${customer.id}/users`, {
        displayName: 'Pat User',
        email: 'pat.user@fabrikam-mail.test',
      }),
      201,
    );
    temporaryPasswords.push(customerUser.temporaryPassword);
    const reset = expectOk(
      await reseller.admin.post<{ temporaryPassword: string }>(`/api/v1/customers/${customer.id}/users/${customerUser.user.id}/password-reset`),
    );
    temporaryPasswords.push(reset.temporaryPassword);
    expect(new Set(temporaryPasswords).size).toBe(3);

    // Nothing is emailed: the admin hands the password over through another channel.
    expect(await deliver()).toEqual([]);
    // It is a real password: it signs the user in, for the forced change only.
    const me = expectOk(await (await signIn(t, email, added.temporaryPassword)).get<{ user: { mustChangePassword: boolean } }>('/api/v1/me'));
    expect(me.user.mustChangePassword).toBe(true);
  });

  it('an enrollment\'s verification email arrives; following its link moves the enrollment to review, which is emailed too', async () => {
    const accountPassword = 'membership registry secret';
    expectOk(
      await operator.post('/api/v1/operator/memberships', {
        membershipId: 'MPN-MAIL-1',
        legalName: 'Contoso Mail Ltd',
        country: 'US',
        accountEmail: 'registry@contoso-mail.test',
        accountPassword,
      }),
      201,
    );
    const applicant = await createCustomer(t, 'Contoso Mail');
    const { membershipToken } = expectOk(
      await applicant.admin.post<{ membershipToken: string }>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@contoso-mail.test', accountPassword }),
      201,
    );
    const contact = 'pat@contoso-mail.test';
    const enrolled = expectOk(
      await applicant.admin.post<{ id: string; state: string }>('/api/v1/enrollments', {
        program: 'indirect_reseller',
        membershipToken,
        membershipId: 'MPN-MAIL-1',
        legalProfile: { name: 'Contoso Mail Ltd', address: '1 Main Street, Springfield' },
        primaryContact: { name: 'Pat Primary', email: contact, phone: '+1 555 0100' },
        supportProfile: { email: 'support@contoso-mail.test', phone: '+1 555 0199', website: 'https://contoso-mail.test/support' },
      }),
      201,
    );
    expect(enrolled.state).toBe('email_unverified');

    const [verification, ...more] = await deliver();
    if (verification === undefined) throw new Error('the verification email did not arrive');
    expect(more).toEqual([]);
    expect(verification.envelopeTo).toEqual([contact]);
    expect(verification.subject).toBe('Verify your email to continue Contoso Mail\'s enrollment');
    const link = linkIn(verification.text, 'verify-email');
    expect(link.id).toBe(enrolled.id);

    // The page at the link posts the token; nobody needs to be signed in.
    const verified = expectOk(await t.client().post<{ state: string }>(`/api/v1/enrollments/${link.id}/verify-email`, { token: link.token }));
    expect(verified.state).toBe('in_review');
    const queue = expectOk(await operator.get<{ items: { id: string; state: string }[] }>('/api/v1/operator/enrollments?state=in_review'));
    expect(queue.items.map((e) => [e.id, e.state])).toContainEqual([enrolled.id, 'in_review']);

    const status = await deliver();
    expect(status.map((m) => [m.envelopeTo, m.subject])).toEqual([[[contact], 'Contoso Mail: enrollment in review']]);
    expect(status[0]?.text).toContain('is now in review');
  });

  it('every queued email went over SMTP once, under its outbox id; none reached the embedded mailbox or carried a temporary password', async () => {
    const emails = await queryRows<{ id: string; state: string }>(t, sql`select id, state from outbox_messages where kind = 'email' order by id`);
    expect(emails.length).toBe(received.length);
    expect(emails.every((e) => e.state === 'sent')).toBe(true);
    expect(received.map((m) => m.headers.get('message-id')).sort()).toEqual(emails.map((e) => `<${e.id}@tierlink>`).sort());

    expect(await queryRows(t, sql`select id from mailbox_messages`)).toEqual([]);
    const mailbox = await operator.get<{ code?: string }>('/api/v1/mailbox');
    expect([mailbox.status, mailbox.body.code]).toEqual([404, 'not_found']);

    expect(temporaryPasswords).toHaveLength(3);
    for (const message of received) {
      for (const secret of temporaryPasswords) expect(message.raw.includes(secret) || message.text.includes(secret), message.subject).toBe(false);
    }
  });
});
