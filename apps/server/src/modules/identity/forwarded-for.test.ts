import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseTrustProxy } from '../../config.ts';
import { createCustomer, createTestContext, type OrgHandle, type TestContext } from '../../../test/harness.ts';

interface Answer {
  status: number;
  code: string | undefined;
}

const unknownInvitation = '00000000-0000-4000-8000-000000000001';

async function preview(t: TestContext, socket: string, forwardedFor: string | null, n: number): Promise<Answer> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/invitations/${unknownInvitation}?token=guess-${n}-${'y'.repeat(30)}`,
    remoteAddress: socket,
    headers: forwardedFor === null ? {} : { 'x-forwarded-for': forwardedFor },
  });
  return { status: response.statusCode, code: (JSON.parse(response.body) as { code?: string }).code };
}

async function signInAttempt(t: TestContext, socket: string, forwardedFor: string, email: string): Promise<Answer> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    remoteAddress: socket,
    headers: { 'x-forwarded-for': forwardedFor },
    payload: { email, password: 'not the right password' },
  });
  return { status: response.statusCode, code: (JSON.parse(response.body) as { code?: string }).code };
}

/** A different, made-up client address for every request, as a spoofing attacker sends. */
const rotating = (n: number) => `192.0.2.${(n % 250) + 1}, 10.9.${n % 200}.${n % 250}`;

// RATE-05: the limiters key on the socket's address. X-Forwarded-For is believed only from a
// configured trusted proxy (TRUST_PROXY); rotating it from anywhere else escapes nothing.
describe('X-Forwarded-For spoofing (RATE-05)', () => {
  describe('no trusted proxy (the default)', () => {
    let t: TestContext;
    let customer: OrgHandle;
    beforeAll(async () => {
      t = await createTestContext();
      customer = await createCustomer(t, 'Spoofed Co');
    });
    afterAll(() => t.close());

    it('rotating X-Forwarded-For does not escape the token-guessing limit', async () => {
      const answers: Answer[] = [];
      for (let n = 0; n < 15; n += 1) answers.push(await preview(t, '203.0.113.7', rotating(n), n));
      expect(answers.slice(0, 10).every((a) => a.status === 404)).toBe(true);
      expect(answers.slice(10).map((a) => a.code)).toEqual(Array.from({ length: 5 }, () => 'rate_limited'));
      // The block is the socket's: another socket is not affected, whatever it claims to be.
      expect((await preview(t, '203.0.113.8', '203.0.113.7', 99)).status).toBe(404);
    });

    it('rotating X-Forwarded-For does not escape the sign-in throttle (10 per address and account)', async () => {
      const answers: Answer[] = [];
      for (let n = 0; n < 12; n += 1) answers.push(await signInAttempt(t, '203.0.113.9', rotating(n), customer.adminEmail));
      expect(answers.slice(0, 10).every((a) => a.code === 'invalid_credentials')).toBe(true);
      expect(answers.slice(10).map((a) => [a.status, a.code])).toEqual([
        [429, 'rate_limited'],
        [429, 'rate_limited'],
      ]);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY=10.0.0.0/8)', () => {
    let t: TestContext;
    beforeAll(async () => {
      t = await createTestContext({ limits: { trustProxy: ['10.0.0.0/8'] } });
    });
    afterAll(() => t.close());

    it('the client address comes from the header the proxy set: each client has its own count', async () => {
      // 15 clients behind one proxy, one wrong token each: nobody is blocked.
      for (let n = 0; n < 15; n += 1) expect((await preview(t, '10.0.0.2', `198.51.100.${n + 1}`, n)).status).toBe(404);
      // One client behind it: blocked after its 10th, while its neighbour still gets through.
      const answers: Answer[] = [];
      for (let n = 0; n < 11; n += 1) answers.push(await preview(t, '10.0.0.2', '198.51.100.200', n));
      expect(answers.map((a) => a.status)).toEqual([...Array.from({ length: 10 }, () => 404), 429]);
      expect((await preview(t, '10.0.0.3', '198.51.100.201', 0)).status).toBe(404);
      // The proxy appends what it saw; a client's own spoofed entries to the left are not believed.
      expect((await preview(t, '10.0.0.2', '1.2.3.4, 198.51.100.200', 1)).status).toBe(429);
    });

    it('a socket outside the trusted range is its own client, whatever its header says', async () => {
      const answers: Answer[] = [];
      for (let n = 0; n < 11; n += 1) answers.push(await preview(t, '203.0.113.20', rotating(n), n));
      expect(answers.map((a) => a.status)).toEqual([...Array.from({ length: 10 }, () => 404), 429]);
    });
  });

  it('the abuse-limit settings: defaults, values from the environment, and refusals', () => {
    const base = { DATA_DIR: '/nonexistent', SECRET_KEY: 'a'.repeat(64) };
    const defaults = loadConfig(base);
    expect([defaults.invitationQuota, defaults.guessLimit, defaults.trustProxy]).toEqual([{ perOrganizationPerHour: 50, perRecipientPerDay: 3 }, { limit: 10 }, []]);
    const set = loadConfig({
      ...base,
      INVITATIONS_PER_ORGANIZATION_PER_HOUR: '200',
      INVITATIONS_PER_RECIPIENT_PER_DAY: '5',
      TOKEN_GUESSES_PER_IP_PER_MINUTE: '20',
      TRUST_PROXY: '10.0.0.0/8, 192.168.1.1',
    });
    expect([set.invitationQuota, set.guessLimit, set.trustProxy]).toEqual([{ perOrganizationPerHour: 200, perRecipientPerDay: 5 }, { limit: 20 }, ['10.0.0.0/8', '192.168.1.1']]);
    expect(() => loadConfig({ ...base, TOKEN_GUESSES_PER_IP_PER_MINUTE: '0' })).toThrow(/TOKEN_GUESSES_PER_IP_PER_MINUTE/);
    expect(() => loadConfig({ ...base, TRUST_PROXY: '*' })).toThrow(/TRUST_PROXY/);
  });

  it('TRUST_PROXY takes addresses and CIDR ranges, and refuses anything else', () => {
    expect(parseTrustProxy('')).toEqual([]);
    expect(parseTrustProxy(' 10.0.0.1, 192.168.0.0/16 ,::1,fd00::/8')).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8']);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/8/1')).toThrow(/TRUST_PROXY/);
  });
});
