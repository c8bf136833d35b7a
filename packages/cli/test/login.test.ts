import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, cliEnv, configHome, json, keyOf, run } from './harness.ts';

interface Me {
  organization: { name: string };
  apiKey: { name: string } | null;
  permissions: string[];
}

describe('tierlink login and whoami', () => {
  const xdg = configHome();
  const empty = configHome();
  const file = path.join(xdg, 'tierlink', 'config.json');
  afterAll(() => {
    rmSync(xdg, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it('a key the server refuses prints its problem, exits 1 and stores nothing', async () => {
    const result = await run(['login', '--url', baseUrl(), '--api-key', 'tl_not-a-real-key'], cliEnv(xdg));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unauthenticated');
    expect(result.stderr).toMatch(/request id: [0-9a-f-]{36}/);
    expect(existsSync(file)).toBe(false);
  });

  it('a server that is not there is a network error (exit 1)', async () => {
    const result = await run(['login', '--url', 'http://127.0.0.1:9', '--api-key', keyOf('reseller')], cliEnv(xdg));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('network_error');
  });

  it('checks the key with GET /me, then stores the profile in a 0600 file in a 0700 directory', async () => {
    const result = await run(['login', '--url', `${baseUrl()}/`, '--api-key', keyOf('reseller')], cliEnv(xdg));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Alder IT Services');
    expect(result.stdout).toContain('Profile "default" saved');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { default: { url: baseUrl(), apiKey: keyOf('reseller') } } });
  });

  it('--profile stores another profile (the key read from stdin with "-"); --json prints /me', async () => {
    const result = await run(['login', '--url', baseUrl(), '--api-key', '-', '--profile', 'provider', '--json'], cliEnv(xdg), `${keyOf('provider')}\n`);
    expect(result.code).toBe(0);
    expect(json<Me>(result).organization.name).toBe('Meridian Distribution');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { profiles: Record<string, { apiKey: string }> };
    expect(Object.keys(stored.profiles).sort()).toEqual(['default', 'provider']);
    expect(stored.profiles['provider']?.apiKey).toBe(keyOf('provider'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('whoami: the default profile, --profile, TIERLINK_PROFILE, and TIERLINK_URL/TIERLINK_API_KEY over the profile', async () => {
    const human = await run(['whoami'], cliEnv(xdg));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Organization:\s+Alder IT Services/);
    expect(human.stdout).toMatch(/Profile:\s+default/);
    expect(human.stdout).toContain('customers.read');

    const flag = await run(['whoami', '--json', '--profile', 'provider'], cliEnv(xdg));
    expect(json<Me>(flag).organization.name).toBe('Meridian Distribution');
    const fromEnv = await run(['whoami', '--json'], cliEnv(xdg, { TIERLINK_PROFILE: 'provider' }));
    expect(json<Me>(fromEnv).organization.name).toBe('Meridian Distribution');

    const overridden = await run(['whoami', '--json'], cliEnv(xdg, { TIERLINK_API_KEY: keyOf('operator') }));
    expect(json<Me>(overridden).permissions).toContain('operator.import');
    const noProfile = await run(['whoami', '--json'], cliEnv(empty, { TIERLINK_URL: baseUrl(), TIERLINK_API_KEY: keyOf('provider') }));
    expect(json<Me>(noProfile).organization.name).toBe('Meridian Distribution');
    const wrongUrl = await run(['whoami'], cliEnv(xdg, { TIERLINK_URL: 'http://127.0.0.1:9' }));
    expect([wrongUrl.code, wrongUrl.stderr]).toEqual([1, expect.stringContaining('network_error')]);
  });
});
