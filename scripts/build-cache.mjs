// Builds an output folder only when a fingerprint of its inputs changed, so that `npm start`
// needs no separate build step: checking takes milliseconds, a build seconds. Concurrent starts
// wait on one lock folder; the build goes to a temporary folder that is swapped in whole, so a
// running server never reads half of one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Test files never reach a build: changing one must not rebuild (the server's build also makes
// its embedded database template, which takes seconds).
const testFile = /\.test\.[cm]?[jt]sx?$/;

function files(entry) {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return testFile.test(entry) ? [] : [entry];
  return readdirSync(entry, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => files(path.join(entry, d.name)));
}

function fingerprint(root, inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(files)) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function acquire(lock) {
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

/**
 * Ensures `dist` was built from the current `inputs`. `build(outDir)` writes a fresh build into
 * `outDir` and returns true on success. Exits the process with a message when the build fails.
 */
export async function ensureBuilt({ root, label, dist, lock, inputs, build }) {
  const stamp = path.join(dist, '.fingerprint');
  const upToDate = (want) => existsSync(stamp) && readFileSync(stamp, 'utf8') === want;
  const want = fingerprint(root, inputs);
  if (upToDate(want)) return;
  acquire(lock);
  try {
    // Another start may have built it while this one waited.
    if (upToDate(want)) return;
    process.stdout.write(`Building ${label}…\n`);
    const out = `${dist}.build-${process.pid}`;
    rmSync(out, { recursive: true, force: true });
    if (!(await build(out))) {
      rmSync(out, { recursive: true, force: true });
      process.stderr.write(`${label} did not build; see the errors above.\n`);
      process.exit(1);
    }
    writeFileSync(path.join(out, '.fingerprint'), want);
    rmSync(dist, { recursive: true, force: true });
    renameSync(out, dist);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
