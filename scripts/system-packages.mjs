// The two Debian packages the tests need besides npm's: Chromium for the browser suite (never a
// downloaded browser) and the PostgreSQL 15 server for the second run of every suite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const systemPackages = [
  { name: 'chromium', path: '/usr/bin/chromium' },
  { name: 'postgresql-15', path: '/usr/lib/postgresql/15/bin/initdb' },
];

/** The apt-get command lines that install `names`, in order. */
export function installCommands(names) {
  return [
    ['apt-get', 'update', '-q'],
    ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...names],
  ];
}

/** What a person without root runs: one line. */
export function installHint(names) {
  return `sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${names.join(' ')}'`;
}

/**
 * Installs the missing packages with apt-get when running as root; otherwise returns false after
 * printing the command to run. True when nothing is missing (any more).
 */
export function ensureSystemPackages({
  exists = existsSync,
  isRoot = typeof process.getuid === 'function' && process.getuid() === 0,
  run = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0,
  print = (text) => process.stdout.write(text),
} = {}) {
  const missing = systemPackages.filter((p) => !exists(p.path)).map((p) => p.name);
  if (missing.length === 0) return true;
  if (!isRoot) {
    print(`\nThe tests need ${missing.join(' and ')} (Debian packages). Install them with:\n\n  ${installHint(missing)}\n\nthen run npm test again.\n`);
    return false;
  }
  print(`\nInstalling ${missing.join(' and ')} with apt-get\n`);
  for (const argv of installCommands(missing)) {
    if (!run(argv)) {
      print(`\n${argv.join(' ')} failed.\n`);
      return false;
    }
  }
  return systemPackages.every((p) => exists(p.path));
}
