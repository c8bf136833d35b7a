// Builds the portal (apps/web/dist) when it is missing or older than its sources, so that
// `npm ci && npm start` serves it with no separate step. A fingerprint of every input decides;
// checking it takes milliseconds, a build a few seconds. Concurrent starts wait on one lock.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(web, '../..');
const dist = path.join(web, 'dist');
const stamp = path.join(dist, '.fingerprint');
const lock = path.join(web, '.build-lock');

/** Everything the bundle is made of: the portal, the client and the contract it imports, the lock file. */
const inputs = [
  path.join(web, 'src'),
  path.join(web, 'public'),
  path.join(web, 'index.html'),
  path.join(web, 'vite.config.ts'),
  path.join(web, 'package.json'),
  path.join(root, 'packages/client/src'),
  path.join(root, 'packages/contract/src'),
  path.join(root, 'package-lock.json'),
];

function files(entry) {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => files(path.join(entry, d.name)));
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(files)) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const upToDate = (want) => existsSync(stamp) && readFileSync(stamp, 'utf8') === want;

function acquire() {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock older than 3 minutes belongs to a build that died.
      if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${lock} is held by another build; remove it if no build runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

const want = fingerprint();
if (upToDate(want)) process.exit(0);

acquire();
try {
  // Another start may have built it while this one waited.
  if (!upToDate(want)) {
    process.stdout.write('Building the portal (apps/web)…\n');
    const out = path.join(web, `dist.build-${process.pid}`);
    const vite = path.join(root, 'node_modules/vite/bin/vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', out], { cwd: web, stdio: 'inherit' });
    if (result.status !== 0) {
      rmSync(out, { recursive: true, force: true });
      process.stderr.write('The portal did not build; see the errors above.\n');
      process.exit(result.status ?? 1);
    }
    writeFileSync(path.join(out, '.fingerprint'), want);
    // Swap in the new build whole, so a running server never reads half of one.
    rmSync(dist, { recursive: true, force: true });
    renameSync(out, dist);
  }
} finally {
  rmSync(lock, { recursive: true, force: true });
}
