import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, createPartner, createTestContext, expectOk, type OrgHandle, type TestContext } from './harness.ts';
import { captureLine, findSecrets, recordedSecrets, scanCapturedLog, takeCaptured } from './log-capture.ts';

/*
 * The log scan every test file ends with (log-capture.ts) must find what it looks for: planted
 * secrets of each kind fail it, naming the test; the secrets planted here are taken out of the
 * capture again so that this file itself passes.
 */

const plantedHash = '$argon2id$v=19$m=19456,t=2,p=1$cGxhbnRlZHNhbHQ$cGxhbnRlZGhhc2hwbGFudGVkaGFzaA';

describe('the log scan', () => {
  let t: TestContext;
  let partner: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    partner = await createPartner(t, await createOperator(t), 'Scan Partner', 'indirect_reseller');
  });
  afterAll(() => t.close());

  it('an ordinary run leaves nothing to find', () => {
    const lines = takeCaptured();
    expect(lines.length).toBeGreaterThan(10);
    expect(findSecrets(lines, recordedSecrets())).toEqual([]);
  });

  it('finds a planted argon2 hash, API key, session id and password in the app log, naming the test', async () => {
    const created = expectOk(await partner.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'planted', roles: ['sales_agent'] }), 201);
    const session = partner.admin.cookie?.split('=')[1] ?? '';
    expect(recordedSecrets()).toContain(created.secret);
    expect(recordedSecrets()).toContain(session);
    takeCaptured();
    t.app.log.info({ user: { hash: plantedHash } }, 'planted hash');
    t.app.log.info({ key: created.secret }, 'planted key');
    t.app.log.info(`planted session ${session}`);
    t.app.log.info({ note: 'correct horse battery' }, 'planted password');
    const hits = findSecrets(takeCaptured(), recordedSecrets());
    expect(hits.map((h) => h.what)).toEqual(['an argon2 hash', 'an API key', expect.stringMatching(/^a secret the test used/), expect.stringMatching(/^a secret the test used/)]);
    expect(new Set(hits.map((h) => h.test))).toEqual(new Set([expect.getState().currentTestName]));
  });

  it('fails the file when a captured line holds a secret', () => {
    takeCaptured();
    captureLine(JSON.stringify({ level: 30, msg: 'leak', hash: plantedHash }));
    expect(() => scanCapturedLog()).toThrow(/fails the file when a captured line holds a secret: an argon2 hash/);
  });
});
