import { describe, expect, it } from 'vitest';
import { ensureSystemPackages } from '../../../scripts/system-packages.mjs';

// `npm test` on a fresh machine: Chromium and the PostgreSQL 15 server are installed or named.
describe('system packages for npm test', () => {
  const missing = (path: string) => !path.includes('chromium') && !path.includes('postgresql');

  it('as root, runs apt-get update then one install of what is missing, non-interactively', () => {
    const ran: string[][] = [];
    let installed = false;
    const ok = ensureSystemPackages({
      exists: (path) => installed || missing(path),
      isRoot: true,
      run: (argv) => {
        ran.push(argv);
        if (argv[1] === 'install') installed = true;
        return true;
      },
      print: () => undefined,
    });
    expect(ok).toBe(true);
    expect(ran).toEqual([
      ['apt-get', 'update', '-q'],
      ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium', 'postgresql-15'],
    ]);
  });

  it('without root, installs nothing and prints the one command to run', () => {
    let printed = '';
    const ran: string[][] = [];
    const ok = ensureSystemPackages({
      exists: (path) => !path.includes('chromium'),
      isRoot: false,
      run: (argv) => (ran.push(argv), true),
      print: (text) => (printed += text),
    });
    expect(ok).toBe(false);
    expect(ran).toEqual([]);
    expect(printed).toContain('apt-get install -y --no-install-recommends chromium');
    expect(printed).not.toContain('postgresql-15');
  });

  it('does nothing when both are there', () => {
    expect(ensureSystemPackages({ exists: () => true, isRoot: true, run: () => false, print: () => undefined })).toBe(true);
  });
});
