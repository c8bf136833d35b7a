import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { cliEnv, configHome, run } from './harness.ts';

// Exit 2 for every way of calling the CLI wrongly; 0 for help and version; completion scripts.
describe('tierlink: usage, help and completion', () => {
  const xdg = configHome();
  const env = cliEnv(xdg);
  afterAll(() => rmSync(xdg, { recursive: true, force: true }));

  it('--help lists the commands and exits 0', async () => {
    const help = await run(['--help'], env);
    expect(help.code).toBe(0);
    for (const name of ['login', 'whoami', 'customers', 'delegated-admin', 'resellers', 'providers', 'invitations', 'orders', 'subscriptions', 'users', 'audit', 'webhooks', 'operator', 'completion']) {
      expect(help.stdout).toContain(name);
    }
    const sub = await run(['operator', 'import', 'relationships', '--help'], env);
    expect([sub.code, sub.stdout]).toEqual([0, expect.stringContaining('--chunk-size')]);
    const version = await run(['--version'], env);
    expect([version.code, version.stdout.trim()]).toEqual([0, '0.1.0']);
  });

  it.each([
    ['an unknown command', ['hooks', 'listen'], "unknown command 'hooks'"],
    ['a missing --forward-to', ['webhooks', 'listen'], "required option '--forward-to <url>' not specified"],
    ['a bad --listen', ['webhooks', 'listen', '--forward-to', 'http://127.0.0.1:1/', '--listen', 'localhost'], 'is not HOST:PORT'],
    ['a bad --forward-to', ['webhooks', 'listen', '--forward-to', 'ftp://127.0.0.1/'], '--forward-to takes an http:// or https:// address'],
    ['an unknown option', ['customers', 'list', '--bogus'], "unknown option '--bogus'"],
    ['a missing argument', ['customers', 'get'], "missing required argument 'id'"],
    ['a missing required option', ['orders', 'create', '--customer', 'x', '--sku', 'y'], "required option '--quantity <n>' not specified"],
    ['a bad number', ['customers', 'list', '--limit', 'ten'], '"ten" is not a whole number'],
    ['a number out of range', ['customers', 'list', '--limit', '0'], 'between 1 and 200'],
    ['a bad positional number', ['subscriptions', 'set-quantity', '--customer', 'c', 's', '1.5'], '"1.5" is not a whole number'],
    ['a bad choice', ['invitations', 'list', '--state', 'open'], 'Allowed choices are pending'],
    ['a group without its subcommand', ['customers'], 'Usage: tierlink customers'],
    ['a bad --url', ['login', '--url', 'ftp://example.test', '--api-key', 'tl_x'], 'use an http:// or https:// address'],
  ])('%s exits 2 with a message on stderr', async (_what, args, message) => {
    const result = await run(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('a command that needs a server says how to log in (exit 2) when there is no profile', async () => {
    const result = await run(['whoami'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Not logged in');
    expect(result.stderr).toContain('tierlink login --url URL --api-key KEY');
    // Not a terminal: no colour codes.
    expect(result.stderr).not.toContain('\u001b[');
    const named = await run(['whoami', '--profile', 'staging'], env);
    expect(named.stderr).toContain('--profile staging');
  });

  it('completion bash is a valid script that completes subcommands and options', async () => {
    const result = await run(['completion', 'bash'], env);
    expect(result.code).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: result.stdout }).status).toBe(0);
    const complete = (words: string[]) =>
      spawnSync(
        'bash',
        ['-c', `${result.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tierlink_complete; echo "\${COMPREPLY[*]}"`],
        { encoding: 'utf8' },
      ).stdout.trim();
    expect(complete(['tierlink', 'cu'])).toBe('customers');
    expect(complete(['tierlink', 'customers', ''])).toContain('list');
    expect(complete(['tierlink', '--profile', 'x', 'customers', 'list', '--a'])).toBe('--all');
    expect(complete(['tierlink', 'invitations', 'create', ''])).toBe('reseller customer --help');
    expect(complete(['tierlink', 'completion', ''])).toContain('zsh');
  });

  it('completion zsh loads the same function through bashcompinit; another shell is a usage error', async () => {
    const zsh = await run(['completion', 'zsh'], env);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -o default -F _tierlink_complete tierlink');
    const fish = await run(['completion', 'fish'], env);
    expect(fish.code).toBe(2);
  });
});
