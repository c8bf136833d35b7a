// `npm run test:proof`: the proof suites on a throwaway PostgreSQL cluster — crash safety
// (apps/server/test/crash), visibility and authorization (and its mutants), route guards, hostile
// input, OpenAPI-driven fuzzing, invitation tokens, two nodes on one database, backup and restore,
// and every PostgreSQL-only race file. Ends with a
// table (suite, cases run, failures, 5xx seen, leaks found) and the line "N passed, M failed". PROOF_PROFILE=long raises the crash suites' iteration counts;
// PROOF_SEED replays a run's random choices. See docs/proof.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from './postgres-cluster.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = path.join(root, 'apps/server');

/** vitest filters (substrings of file paths under apps/server). */
const filters = [
  'test/crash/',
  'test/visibility',
  'test/route-guards.test.ts',
  'test/bad-input.test.ts',
  'test/authorization-matrix.test.ts',
  'test/authorization-mutants.test.ts',
  'test/invitation-tokens.test.ts',
  // ISO-03 and INPUT-07 (body id swaps, injection in filters), ISO-09 and AUTHZ-05 (caching,
  // response exposure), AUTHZ-03 (role-grant ceiling and lockout safety).
  'test/body-ids.test.ts',
  'test/response-exposure.test.ts',
  'src/modules/identity/users.test.ts',
  'src/modules/customer-admin/customer-admin.test.ts',
  // Abuse limits (RATE-02/03/05); RATE-01 and the concurrent quota are .pg.test.ts files.
  'src/modules/invitations/invitation-quota.test.ts',
  'src/modules/identity/token-guessing.test.ts',
  'src/modules/identity/forwarded-for.test.ts',
  // Every PostgreSQL-only file, among them the OpenAPI fuzzer (test/openapi-fuzz.pg.test.ts) and
  // the two-node suites (test/two-nodes/: SCALE-01/02, the pg_dump round trip DEPLOY-01).
  '.pg.test.ts',
];

const profile = process.env.PROOF_PROFILE === 'long' ? 'long' : 'ci';
process.stdout.write(`Proof suites, profile ${profile}, on PostgreSQL\n`);

const cluster = await startCluster();
let stopped = false;
const stop = () => {
  if (stopped) return;
  stopped = true;
  cluster.stop();
};
process.on('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const out = mkdtempSync(path.join(tmpdir(), 'tierlink-proof-'));
const report = path.join(out, 'report.json');
const figuresFile = path.join(out, 'figures.jsonl');
const started = Date.now();
const run = spawnSync(
  path.join(root, 'node_modules/.bin/vitest'),
  ['run', ...filters, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  {
    cwd: server,
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE: 'postgres', TEST_POSTGRES_URL: cluster.url, PROOF_PROFILE: profile, PROOF_FIGURES: figuresFile },
  },
);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
stop();

const rows = [];
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of json.testResults) {
    const cases = file.assertionResults.filter((a) => a.status === 'passed' || a.status === 'failed');
    const failedCases = cases.filter((a) => a.status === 'failed').length;
    // A file that failed outside its cases (setup, import) counts as one failure.
    const failures = failedCases + (file.status === 'failed' && failedCases === 0 ? 1 : 0);
    rows.push({ suite: path.relative(server, file.name), run: cases.length, passed: cases.length - failedCases, failures });
  }
} else {
  rows.push({ suite: '(vitest produced no report)', run: 0, passed: 0, failures: 1 });
}
rows.sort((a, b) => a.suite.localeCompare(b.suite));

// Per file, the 5xx answers its apps gave and the leaks it found (test/proof-setup.ts writes them).
const counts = new Map();
if (existsSync(figuresFile)) {
  process.stdout.write('\nFigures\n');
  for (const line of readFileSync(figuresFile, 'utf8').split('\n').filter(Boolean)) {
    const { suite, counts: isCounts, file, ...figures } = JSON.parse(line);
    if (isCounts === true) {
      counts.set(file, figures);
      continue;
    }
    process.stdout.write(`  ${suite}: ${Object.entries(figures).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  }
}
for (const r of rows) {
  const c = counts.get(r.suite);
  r.serverErrors = c === undefined ? '?' : String(c.serverErrors);
  r.leaks = c === undefined ? '?' : c.leaks === null ? '—' : String(c.leaks);
}
rmSync(out, { recursive: true, force: true });

const width = Math.max(5, ...rows.map((r) => r.suite.length));
process.stdout.write(`\n${'suite'.padEnd(width)}  cases run  failures  5xx seen  leaks found\n`);
for (const r of rows) {
  process.stdout.write(
    `${r.suite.padEnd(width)}  ${String(r.run).padStart(9)}  ${String(r.failures).padStart(8)}  ${String(r.serverErrors ?? '?').padStart(8)}  ${String(r.leaks ?? '?').padStart(11)}\n`,
  );
}
const sum = (key) => rows.reduce((n, r) => n + (Number.isNaN(Number(r[key])) ? 0 : Number(r[key])), 0);
process.stdout.write(
  `${'total'.padEnd(width)}  ${String(sum('run')).padStart(9)}  ${String(sum('failures')).padStart(8)}  ${String(sum('serverErrors')).padStart(8)}  ${String(sum('leaks')).padStart(11)}\n`,
);
process.stdout.write('(5xx seen: every 5xx answer the suite got, expected ones included, e.g. 503 during a database outage; leaks found: — where the suite does not look for leaks)\n');
const passed = rows.reduce((n, r) => n + r.passed, 0);
const failed = rows.reduce((n, r) => n + r.failures, 0) + (run.status !== 0 && rows.every((r) => r.failures === 0) ? 1 : 0);
process.stdout.write(`\n${rows.length} suites in ${seconds} s (profile ${profile})\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
