import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createSealer, type Sealer } from '../../platform/seal.ts';
import { buildSecondApp, Client, createOperator, createPartner, createTestContext, password, queryRows, totpCode, type TestContext } from '../../../test/harness.ts';

describe('sealing keys: rotation', () => {
  it('a keyring seals with the new key and opens what the previous one sealed', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealedBefore = createSealer(oldKey).seal('seed');
    const ring = createSealer(newKey, [oldKey]);
    expect(ring.open(sealedBefore)).toBe('seed');
    expect(ring.sealedWithPreviousKey(sealedBefore)).toBe(true);
    const sealedAfter = ring.seal('seed');
    expect(createSealer(newKey).open(sealedAfter)).toBe('seed');
    expect(ring.sealedWithPreviousKey(sealedAfter)).toBe(false);
    // Without the previous key, what it sealed stays closed.
    expect(() => createSealer(newKey).open(sealedBefore)).toThrow();
    expect(() => createSealer(newKey, [randomBytes(32)]).open(sealedBefore)).toThrow();
  });

  it('SECRET_KEY_PREVIOUS takes comma-separated keys and refuses anything else', () => {
    const a = randomBytes(32).toString('hex');
    const b = randomBytes(32).toString('hex');
    const base = { SECRET_KEY: randomBytes(32).toString('hex') };
    expect(loadConfig(base).previousSecretKeys).toEqual([]);
    expect(loadConfig({ ...base, SECRET_KEY_PREVIOUS: `${a}, ${b}` }).previousSecretKeys.map((k) => k.toString('hex'))).toEqual([a, b]);
    expect(() => loadConfig({ ...base, SECRET_KEY_PREVIOUS: 'not-a-key' })).toThrow(/SECRET_KEY_PREVIOUS/);
  });
});

describe('MFA across a key rotation', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it('a user whose seed was sealed with the old key signs in, and the seed moves to the new key', async () => {
    const operator = await createOperator(t);
    const partner = await createPartner(t, operator, 'Rotating Partner', 'indirect_reseller');
    const [before] = await queryRows<{ totp_secret: string }>(t, sql`select totp_secret from users where email = ${partner.adminEmail}`);
    expect(before?.totp_secret).toBeTruthy();

    // The same database behind an instance started with a new SECRET_KEY and the old one as previous.
    const newKey = randomBytes(32);
    const rotated = await buildSecondApp(t, { sealer: keyring(createSealer(newKey), t.sealer) });
    try {
      const client = new Client(rotated);
      const answer = await client.post('/api/v1/sessions', { email: partner.adminEmail, password, totpCode: totpCode(t, partner.adminEmail) });
      expect(answer.status).toBe(201);
      const [after] = await queryRows<{ totp_secret: string }>(t, sql`select totp_secret from users where email = ${partner.adminEmail}`);
      expect(after?.totp_secret).not.toBe(before?.totp_secret);
      // Now the new key alone opens it: the old key can leave SECRET_KEY_PREVIOUS once every seed moved.
      expect(createSealer(newKey).open(after?.totp_secret ?? '')).toMatch(/^[A-Z2-7]+=*$/);
    } finally {
      await rotated.close();
    }
  });
});

describe('MFA after a key change without the previous key', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it('answers 503 service_unavailable at the code (not a 500), and says what to do', async () => {
    const operator = await createOperator(t);
    const partner = await createPartner(t, operator, 'Lost Key Partner', 'indirect_reseller');
    const changed = await buildSecondApp(t);
    try {
      const answer = await new Client(changed).post<{ code: string; field: string; detail: string }>('/api/v1/sessions', {
        email: partner.adminEmail,
        password,
        totpCode: totpCode(t, partner.adminEmail),
      });
      expect([answer.status, answer.body.code, answer.body.field]).toEqual([503, 'service_unavailable', 'totpCode']);
      expect(answer.body.detail).toMatch(/recovery code/);
    } finally {
      await changed.close();
    }
  });
});

/** createSealer(new, [old]) for a test context whose key the harness does not hand out: its sealer is the old key. */
function keyring(current: Sealer, previous: Sealer): Sealer {
  const opens = (sealer: Sealer, sealed: string) => {
    try {
      sealer.open(sealed);
      return true;
    } catch {
      return false;
    }
  };
  return {
    seal: (plain) => current.seal(plain),
    open: (sealed) => (opens(current, sealed) ? current.open(sealed) : previous.open(sealed)),
    sealedWithPreviousKey: (sealed) => !opens(current, sealed) && opens(previous, sealed),
  };
}
