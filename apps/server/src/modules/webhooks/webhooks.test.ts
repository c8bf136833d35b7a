import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postGuarded, OutboundRefused } from '../../platform/outbound-http.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  relate,
  signIn,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';
import { startReceiver, type Received, type Receiver } from '../../../test/webhook-receiver.ts';
import { claimDueMessages } from './webhooks.repository.ts';

interface Endpoint {
  id: string;
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  eventTypes: string[];
}
interface Delivery {
  id: string;
  eventType: string;
  status: string;
  nextAttemptAt: string | null;
  attempts: { statusCode: number | null; error: string | null; response: string | null }[];
}
interface Problem {
  code: string;
  field?: string;
  detail?: string;
}

const subscribeNow = async (client: Client, url: string, eventTypes: string[] = []) =>
  expectOk(await client.post<{ endpoint: Endpoint; secret: string }>('/api/v1/webhook-endpoints', { url, eventTypes }), 201);

const deliveries = async (client: Client, endpointId: string, query = '') =>
  expectOk(await client.get<{ items: Delivery[] }>(`/api/v1/webhook-endpoints/${endpointId}/deliveries${query}`)).items;

/**
 * Verifies a received message with the package receivers use; throws when the signature is wrong.
 * The receiver's clock is set to the message's time: the app runs on the test's manual clock.
 */
function verify(secret: string, m: Received): unknown {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Number(m.timestamp) * 1000);
  try {
    return new Webhook(secret).verify(m.body, { 'webhook-id': m.id, 'webhook-timestamp': m.timestamp, 'webhook-signature': m.signature });
  } finally {
    vi.useRealTimers();
  }
}

describe('webhooks: signed, scoped, retried, ordered', () => {
  let t: TestContext;
  /** Subscribes, then lets time pass: an endpoint hears of changes made after it was created. */
  const subscribe = async (client: Client, url: string, eventTypes: string[] = []) => {
    const created = await subscribeNow(client, url, eventTypes);
    t.clock.advance(1000);
    return created;
  };
  let receiver: Receiver;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let other: OrgHandle;
  let customer: OrgHandle;
  const secrets = new Map<string, string>();
  const endpoints = new Map<string, Endpoint>();

  const deliver = async () => {
    await t.drainOutbox();
    await t.drainWebhooks();
  };
  const at = (path: string) => receiver.received.filter((m) => m.path === path);

  beforeAll(async () => {
    t = await createTestContext();
    receiver = await startReceiver();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Hook Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Hook Reseller', 'indirect_reseller');
    other = await createPartner(t, operator, 'Other Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Hook Customer');
    await connect(provider, reseller);
    for (const [name, org] of [['provider', provider], ['reseller', reseller], ['other', other], ['customer', customer]] as const) {
      const { endpoint, secret } = await subscribe(org.admin, receiver.url(`/${name}`));
      secrets.set(name, secret);
      endpoints.set(name, endpoint);
    }
    await deliver();
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('answers the secret once, and another organization\'s endpoint is not found', async () => {
    const secret = secrets.get('reseller') ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const id = endpoints.get('reseller')?.id ?? '';
    const got = expectOk(await reseller.admin.get<Record<string, unknown>>(`/api/v1/webhook-endpoints/${id}`));
    expect(JSON.stringify(got)).not.toContain(secret);
    expect((await other.admin.get(`/api/v1/webhook-endpoints/${id}`)).status).toBe(404);
    expect((await other.admin.patch(`/api/v1/webhook-endpoints/${id}`, { enabled: false })).status).toBe(404);
    expect((await other.admin.delete(`/api/v1/webhook-endpoints/${id}`)).status).toBe(404);
    const catalog = expectOk(await reseller.admin.get<{ items: { name: string; schema: { type?: string } }[] }>('/api/v1/event-types'));
    expect(catalog.items.map((i) => i.name)).toContain('delegated_admin.granted');
    expect(catalog.items.every((i) => typeof i.schema === 'object')).toBe(true);
  });

  it('delivers a change to the organizations it concerns, signed (Standard Webhooks), shaped as the API shows it', async () => {
    await relate(reseller, customer);
    await deliver();
    const toReseller = at('/reseller');
    const toCustomer = at('/customer');
    expect(toReseller.map((m) => m.json.type).sort()).toEqual(['delegated_admin.granted', 'invitation.accepted', 'invitation.created', 'reseller_relationship.created']);
    // The customer reads relationships and grants through the API, never the partner's invitations.
    expect(toCustomer.map((m) => m.json.type).sort()).toEqual(['delegated_admin.granted', 'reseller_relationship.created']);
    expect(at('/other')).toEqual([]);
    expect(at('/provider')).toEqual([]);
    for (const m of toReseller) {
      expect(verify(secrets.get('reseller') ?? '', m)).toBeTruthy();
      expect(() => verify(secrets.get('customer') ?? '', m)).toThrow();
      expect(m.headers['content-type']).toBe('application/json');
      expect(m.json.organizationId).toBe(reseller.id);
    }
    const relationship = toCustomer.find((m) => m.json.type === 'reseller_relationship.created');
    expect(relationship?.json.data).toMatchObject({ partner: { id: reseller.id }, customer: { id: customer.id }, state: 'active' });
    // The same shape the customer's own partner list shows.
    const listed = expectOk(await customer.admin.get<{ items: { relationship: Record<string, unknown> | null }[] }>('/api/v1/partners'));
    expect(listed.items.map((p) => p.relationship)).toContainEqual(relationship?.json.data);
    // Each message was sent once and is logged as delivered.
    const log = await deliveries(customer.admin, endpoints.get('customer')?.id ?? '');
    expect(log.map((d) => [d.eventType, d.status, d.attempts.length, d.attempts[0]?.statusCode]).sort()).toEqual([
      ['delegated_admin.granted', 'succeeded', 1, 200],
      ['reseller_relationship.created', 'succeeded', 1, 200],
    ]);
    receiver.received.length = 0;
  });

  it('a delegated admin relationship\'s transitions reach both sides, with the relationship as the API shows it', async () => {
    const base = '/api/v1/delegated-admin-relationships';
    const draft = expectOk(await reseller.admin.post<{ id: string }>(base, { displayName: 'Hooked', customerId: customer.id, roles: ['helpdesk'], duration: 'P90D' }), 201);
    expectOk(await reseller.admin.post(`${base}/${draft.id}/requests`, { action: 'lock_for_approval' }));
    expectOk(await customer.admin.post(`${base}/${draft.id}/requests`, { action: 'approve' }));
    await deliver();
    // The draft was the partner's alone (not published); the request and the approval reach both sides.
    for (const side of ['/reseller', '/customer']) {
      expect(at(side).map((m) => m.json.type)).toEqual(['delegated_admin.approval_requested', 'delegated_admin.approved']);
    }
    expect(at('/other')).toEqual([]);
    expect(at('/provider')).toEqual([]);
    const approved = at('/customer').find((m) => m.json.type === 'delegated_admin.approved');
    expect(approved?.json.data).toEqual(expectOk(await customer.admin.get(`${base}/${draft.id}`)));
    receiver.received.length = 0;
  });

  it('retries a failing message with growing delays, holding back only later messages of the same resource', async () => {
    const { endpoint } = await subscribe(reseller.admin, receiver.url('/flaky'), ['invitation.created', 'invitation.revoked']);
    let failures = 3;
    let failing = '';
    receiver.respond = (m) => (m.path === '/flaky' && m.json.type === 'invitation.created' && m.json.data['id'] === failing && failures-- > 0 ? 500 : 200);
    const first = expectOk(await reseller.admin.post<{ invitation: { id: string } }>('/api/v1/customer-invitations', { email: 'one@flaky.test' }), 201);
    const second = expectOk(await reseller.admin.post<{ invitation: { id: string } }>('/api/v1/customer-invitations', { email: 'two@flaky.test' }), 201);
    failing = first.invitation.id;
    await deliver();
    expect(at('/flaky').map((m) => m.json.type)).toEqual(['invitation.created', 'invitation.created']);
    // The first invitation's revocation waits behind its failing creation; the second's is unrelated.
    expectOk(await reseller.admin.post(`/api/v1/invitations/${first.invitation.id}/revoke`));
    expectOk(await reseller.admin.post(`/api/v1/invitations/${second.invitation.id}/revoke`));
    await deliver();
    const sent = () => at('/flaky').map((m) => `${m.json.type}:${m.json.data['id'] === first.invitation.id ? 'first' : 'second'}`);
    expect(sent().slice(0, 2).sort()).toEqual(['invitation.created:first', 'invitation.created:second']);
    expect(sent().slice(2)).toEqual(['invitation.revoked:second']);
    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const pending = (await deliveries(reseller.admin, endpoint.id, '?status=pending')).find((d) => d.eventType === 'invitation.created');
      const due = Date.parse(pending?.nextAttemptAt ?? '') - t.clock.now().getTime();
      delays.push(due);
      t.clock.advance(Math.max(due - 1000, 0));
      await t.drainWebhooks();
      expect(at('/flaky').filter((m) => m.json.data['id'] === first.invitation.id)).toHaveLength(i + 1);
      t.clock.advance(1000);
      await t.drainWebhooks();
    }
    // 5 s, 5 min, 30 min, each ±20 %.
    expect(delays[0]).toBeGreaterThanOrEqual(4_000);
    expect(delays[0]).toBeLessThanOrEqual(6_000);
    expect(delays[1]).toBeGreaterThanOrEqual(240_000);
    expect(delays[2]).toBeGreaterThanOrEqual(1_440_000);
    const ids = at('/flaky').filter((m) => m.json.type === 'invitation.created' && m.json.data['id'] === first.invitation.id).map((m) => m.id);
    expect(new Set(ids).size).toBe(1);
    expect(sent().slice(-2)).toEqual(['invitation.created:first', 'invitation.revoked:first']);
    const log = await deliveries(reseller.admin, endpoint.id);
    const created = log.find((d) => d.eventType === 'invitation.created' && d.attempts.length === 4);
    expect(created?.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(created?.attempts[0]?.response).toBe('no thanks (500)');
    receiver.respond = () => 200;
  });

  it('sends a message again on request under the same webhook-id, and a test event on request', async () => {
    const endpointId = endpoints.get('customer')?.id ?? '';
    const [latest] = await deliveries(customer.admin, endpointId);
    const before = at('/customer').length;
    expect((await reseller.admin.post(`/api/v1/webhook-deliveries/${latest?.id ?? ''}/retry`)).status).toBe(404);
    expect((await customer.admin.post(`/api/v1/webhook-deliveries/${latest?.id ?? ''}/retry`)).status).toBe(202);
    expect((await customer.admin.post(`/api/v1/webhook-endpoints/${endpointId}/test`)).status).toBe(202);
    await t.drainWebhooks();
    const again = at('/customer').slice(before);
    expect(again.map((m) => m.json.type).sort()).toEqual([latest?.eventType, 'webhook.test'].sort());
    expect(again.find((m) => m.json.type !== 'webhook.test')?.id).toBe(latest?.id);
    expect(again.find((m) => m.json.type === 'webhook.test')?.json.data).toEqual({ endpointId, message: 'A test event from Tierlink.' });
  });

  it('a 410 disables the endpoint; enabling it again works', async () => {
    const { endpoint } = await subscribe(other.admin, receiver.url('/gone'));
    receiver.respond = (m) => (m.path === '/gone' ? 410 : 200);
    expectOk(await other.admin.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`), 202);
    await t.drainWebhooks();
    const off = expectOk(await other.admin.get<Endpoint>(`/api/v1/webhook-endpoints/${endpoint.id}`));
    expect([off.enabled, off.disabledReason]).toEqual([false, 'gone']);
    receiver.respond = () => 200;
    // Switched off, it still gets test events: is the receiver back?
    expectOk(await other.admin.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`), 202);
    await t.drainWebhooks();
    expect(at('/gone').map((m) => m.json.type)).toEqual(['webhook.test', 'webhook.test']);
    const on = expectOk(await other.admin.patch<Endpoint>(`/api/v1/webhook-endpoints/${endpoint.id}`, { enabled: true }));
    expect([on.enabled, on.disabledReason]).toEqual([true, null]);
  });

  it('a switched-off endpoint gets nothing more; its pending messages say why, and go again on request once it is back', async () => {
    const { endpoint } = await subscribe(reseller.admin, receiver.url('/paused'), ['invitation.created']);
    receiver.respond = (m) => (m.path === '/paused' ? 503 : 200);
    expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: 'paused@flaky.test' }), 201);
    await deliver();
    expectOk(await reseller.admin.patch(`/api/v1/webhook-endpoints/${endpoint.id}`, { enabled: false }));
    t.clock.advance(10_000);
    await t.drainWebhooks();
    const [failed] = await deliveries(reseller.admin, endpoint.id);
    expect([failed?.status, failed?.attempts.map((a) => a.statusCode ?? a.error)]).toEqual(['failed', [503, 'not sent: the endpoint is switched off']]);
    receiver.respond = () => 200;
    expectOk(await reseller.admin.patch(`/api/v1/webhook-endpoints/${endpoint.id}`, { enabled: true }));
    expect((await reseller.admin.post(`/api/v1/webhook-deliveries/${failed?.id ?? ''}/retry`)).status).toBe(202);
    await t.drainWebhooks();
    expect(at('/paused').map((m) => m.id)).toEqual([failed?.id, failed?.id]);
  });

  it('a message failing its whole schedule (about three days) switches the endpoint off and tells its admins', async () => {
    const { endpoint } = await subscribe(other.admin, receiver.url('/down'));
    receiver.respond = (m) => (m.path === '/down' ? 500 : 200);
    expectOk(await other.admin.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`), 202);
    const started = t.clock.now().getTime();
    let attempts = 0;
    for (let step = 0; step < 20; step += 1) {
      await t.drainWebhooks();
      attempts = at('/down').length;
      const [pending] = await deliveries(other.admin, endpoint.id, '?status=pending');
      if (pending?.nextAttemptAt === undefined || pending.nextAttemptAt === null) break;
      t.clock.set(new Date(Date.parse(pending.nextAttemptAt)));
      // Sessions idle out over days: sign in again whenever time has moved on.
      other.admin = await signIn(t, other.adminEmail);
    }
    // 1 + 12 retries over 5 s … 10 h: about three days (77.6 h, less with the jitter's low side).
    expect(attempts).toBe(13);
    expect(t.clock.now().getTime() - started).toBeGreaterThan(0.8 * 77 * 3_600_000);
    const off = expectOk(await other.admin.get<Endpoint>(`/api/v1/webhook-endpoints/${endpoint.id}`));
    expect([off.enabled, off.disabledReason]).toEqual([false, 'failing']);
    const [message] = await deliveries(other.admin, endpoint.id);
    expect([message?.status, message?.nextAttemptAt]).toEqual(['failed', null]);
    expect(await t.drainOutbox()).toBe(1);
    const mail = expectOk(await other.admin.get<{ items: { subject: string; text: string }[] }>('/api/v1/mailbox')).items;
    expect(mail.map((m) => m.subject)).toContain('A webhook endpoint was switched off');
    receiver.respond = () => 200;
    for (const org of [provider, reseller, customer]) org.admin = await signIn(t, org.adminEmail);
  });

  it('a message claimed by a process that died is sent again, under the same webhook-id, once its lease ends', async () => {
    const endpointId = endpoints.get('other')?.id ?? '';
    expectOk(await other.admin.post(`/api/v1/webhook-endpoints/${endpointId}/test`), 202);
    // Claimed as a delivering process would, which is then killed before it sends.
    const claimed = await claimDueMessages(t.db, t.clock.now(), 10, 60_000);
    expect(claimed.map((m) => m.eventType)).toEqual(['webhook.test']);
    await t.drainWebhooks();
    expect(at('/other').filter((m) => m.id === claimed[0]?.id)).toHaveLength(0);
    t.clock.advance(61_000);
    await t.drainWebhooks();
    expect(at('/other').filter((m) => m.id === claimed[0]?.id)).toHaveLength(1);
  });

  it('checks its input: unknown event types, a bad URL, a bad delivery id', async () => {
    const unknown = await reseller.admin.post<Problem>('/api/v1/webhook-endpoints', { url: receiver.url(), eventTypes: ['nope'] });
    expect([unknown.status, unknown.body.code, unknown.body.field]).toEqual([400, 'validation_failed', 'eventTypes.0']);
    const ftp = await reseller.admin.post<Problem>('/api/v1/webhook-endpoints', { url: 'ftp://example.com/hook' });
    expect([ftp.status, ftp.body.code, ftp.body.field]).toEqual([400, 'validation_failed', 'url']);
    expect((await reseller.admin.post<Problem>('/api/v1/webhook-deliveries/abc/retry')).status).toBe(400);
  });

  it('signs with both secrets for a day after a rotation', async () => {
    const endpointId = endpoints.get('reseller')?.id ?? '';
    const old = secrets.get('reseller') ?? '';
    const rotated = expectOk(await reseller.admin.post<{ secret: string; endpoint: Endpoint }>(`/api/v1/webhook-endpoints/${endpointId}/rotate-secret`));
    expect(rotated.secret).not.toBe(old);
    expectOk(await reseller.admin.post(`/api/v1/webhook-endpoints/${endpointId}/test`), 202);
    await t.drainWebhooks();
    const message = at('/reseller').at(-1);
    if (message === undefined) throw new Error('nothing arrived');
    expect(message.signature.split(' ')).toHaveLength(2);
    expect(verify(old, message)).toBeTruthy();
    expect(verify(rotated.secret, message)).toBeTruthy();
    t.clock.advance(24 * 3_600_000 + 1000);
    // A day later the session has ended: sign in again.
    reseller.admin = await signIn(t, reseller.adminEmail);
    expectOk(await reseller.admin.post(`/api/v1/webhook-endpoints/${endpointId}/test`), 202);
    await t.drainWebhooks();
    const later = at('/reseller').at(-1);
    if (later === undefined) throw new Error('nothing arrived');
    expect(later.signature.split(' ')).toHaveLength(1);
    expect(verify(rotated.secret, later)).toBeTruthy();
    expect(() => verify(old, later)).toThrow();
  });
});

describe('webhooks: where Tierlink will not send (without WEBHOOKS_ALLOW_PRIVATE_NETWORKS)', () => {
  let t: TestContext;
  let partner: OrgHandle;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestContext({ webhooksAllowPrivateNetworks: false });
    receiver = await startReceiver();
    partner = await createPartner(t, await createOperator(t), 'Careful Partner', 'indirect_reseller');
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  /** A name of this machine that resolves to loopback (its host name does here), or localhost. */
  const loopbackName = async (): Promise<string> => {
    const name = hostname();
    try {
      const found = await lookup(name);
      return found.address.startsWith('127.') ? name : 'localhost';
    } catch {
      return 'localhost';
    }
  };

  it.each([
    ['http://example.com/hook', 'only https'],
    ['https://10.0.0.1/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[fd00::1]/hook', 'uniqueLocal'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
  ])('refuses %s (%s)', async (url, reason) => {
    const reply = await partner.admin.post<Problem>('/api/v1/webhook-endpoints', { url });
    expect([reply.status, reply.body.code, reply.body.field]).toEqual([400, 'webhook_url_not_allowed', 'url']);
    expect(reply.body.detail).toContain(reason);
  });

  it('refuses a host name that resolves to a loopback address, at creation and at delivery', async () => {
    const name = await loopbackName();
    const reply = await partner.admin.post<Problem>('/api/v1/webhook-endpoints', { url: `https://${name}/hook` });
    expect([reply.status, reply.body.code]).toEqual([400, 'webhook_url_not_allowed']);
    expect(reply.body.detail).toContain('loopback');
    // At delivery the check is on the address the socket connects to (DNS rebinding cannot pass).
    const port = new URL(receiver.url()).port;
    await expect(postGuarded(new URL(`https://${name}:${port}/hook`), {}, '{}', { allowPrivateNetworks: false, timeoutMs: 2000, maxBody: 100 })).rejects.toBeInstanceOf(
      OutboundRefused,
    );
    expect(receiver.received).toEqual([]);
  });
});
