// `npm test`: typecheck, lint, then every test file against embedded PGlite and against a
// throwaway PostgreSQL cluster this script starts and removes. Ends with "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from './postgres-cluster.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = path.join(root, 'apps/server');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const results = [];

function step(name, command, args, options = {}) {
  process.stdout.write(`\n=== ${name}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options, env: { ...process.env, ...options.env } });
  const ok = result.status === 0;
  process.stdout.write(`=== ${name}: ${ok ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return ok;
}

function vitest(label, env, { cwd = server, args = [], name = `tests on ${label}` } = {}) {
  const out = mkdtempSync(path.join(tmpdir(), 'tierlink-vitest-'));
  const report = path.join(out, 'report.json');
  const ok = step(name, bin('vitest'), ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    cwd,
    env,
  });
  let passed = 0;
  let failed = ok ? 0 : 1;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (ok || json.numFailedTests > 0 ? 0 : 1);
  } catch {
    // no report: the run itself failed, counted above
  }
  rmSync(out, { recursive: true, force: true });
  results.push({ label, passed, failed });
  return ok;
}

// Chromium and the PostgreSQL 15 server: installed now as root, else named and we stop before any step.
if (!ensureSystemPackages()) process.exit(1);

let ok = true;
ok = step('typecheck', bin('tsc'), ['-p', 'packages/contract']) && ok;
ok = step('typecheck server', bin('tsc'), ['-p', 'apps/server']) && ok;
ok = step('typecheck client', bin('tsc'), ['-p', 'packages/client']) && ok;
ok = step('typecheck portal', bin('tsc'), ['-p', 'apps/web']) && ok;
ok = step('typecheck browser tests', bin('tsc'), ['-p', 'apps/web/tsconfig.node.json']) && ok;
ok = step('typecheck CLI', bin('tsc'), ['-p', 'packages/cli']) && ok;
ok = step('lint', bin('eslint'), ['--max-warnings=0', '.']) && ok;
if (!ok) results.push({ label: 'typecheck and lint', passed: 0, failed: 1 });

// Built once here, so that the `npm start` tests below find it current instead of racing to build it.
const portalBuilt = step('build the portal', process.execPath, [path.join(root, 'apps/web/scripts/ensure-built.mjs')]);
if (!portalBuilt) results.push({ label: 'portal build', passed: 0, failed: 1 });
ok = portalBuilt && ok;
// And the server bundle with its embedded database template (several seconds on its own).
const serverBuilt = step('build the server', process.execPath, [path.join(root, 'apps/server/scripts/ensure-built.mjs')]);
if (!serverBuilt) results.push({ label: 'server build', passed: 0, failed: 1 });
ok = serverBuilt && ok;

ok = vitest('PGlite', { TEST_DATABASE: 'pglite' }) && ok;

// The `tierlink` binary as a child process against the bundled server on PGlite (packages/cli/test).
ok = vitest('CLI (PGlite)', {}, { cwd: path.join(root, 'packages/cli'), name: 'CLI tests' }) && ok;

// The portal in Debian's Chromium against `npm start` on PGlite with demo data (apps/web/e2e).
ok = vitest('browser (PGlite)', {}, { cwd: path.join(root, 'apps/web'), args: ['--config', 'e2e/vitest.config.ts'], name: 'browser tests (Chromium, PGlite)' }) && ok;

let cluster = null;
try {
  cluster = await startCluster();
} catch (error) {
  process.stdout.write(`\nCould not start PostgreSQL: ${error.message}\n`);
  results.push({ label: 'PostgreSQL cluster', passed: 0, failed: 1 });
  ok = false;
}
if (cluster !== null) {
  const stop = () => cluster.stop();
  process.on('exit', stop);
  try {
    ok = vitest('PostgreSQL', { TEST_DATABASE: 'postgres', TEST_POSTGRES_URL: cluster.url }) && ok;
  } finally {
    stop();
  }
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.stdout.write('\n');
for (const r of results) process.stdout.write(`  ${r.label.padEnd(20)} ${r.passed} passed, ${r.failed} failed\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(ok && failed === 0 ? 0 : 1);
