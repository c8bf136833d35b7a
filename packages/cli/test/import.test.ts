import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, configHome, json, loginAll, run, start, until, type Running } from './harness.ts';

interface Totals {
  rows: number;
  created: number;
  existing: number;
  customersCreated: number;
  rejected: number;
  rejectedReport: string | null;
}
interface State {
  chunkSize: number;
  doneChunks: number[];
  totals: { created: number; existing: number };
}

const rows = 10_000;
const chunk = 500;
/** Row number (1-based, below the header) → what is wrong with it, and the field the API names. */
const bad = new Map([
  [1234, { partner: 'nobody-here.example', field: 'partnerDomain' }],
  [4321, { country: 'USA', field: 'customerCountry' }],
  [6000, { domain: 'meridian-distribution.example', field: 'customerDomain' }],
  [9999, { domain: 'not a domain', field: 'customerDomain' }],
]);
const goodRows = rows - bad.size;

function csvText(): string {
  const lines = ['partner_domain,customer_name,customer_domain,customer_country'];
  for (let n = 1; n <= rows; n += 1) {
    const fault = bad.get(n);
    const id = String(n).padStart(5, '0');
    lines.push(`${fault?.partner ?? 'birch-systems.example'},"Bulk Customer ${id}, Inc.",${fault?.domain ?? `bulk-${id}.test`},${fault?.country ?? 'us'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Progress lines on stderr when it is not a terminal: `rows 1500/10000 (15%) | 420 rows/s | ETA 20 s | 1 rejected`. */
const progressLines = (stderr: string) => stderr.split('\n').filter((l) => /^rows \d+\/10000 \(\d+%\) \| \d+ rows\/s \| ETA (\d+ s|\?) \| \d+ rejected$/.test(l));

describe('tierlink operator import relationships: 10 000 rows, interrupted twice, resumed', () => {
  const xdg = configHome();
  const env = cliEnv(xdg);
  const dir = mkdtempSync(path.join(tmpdir(), 'tierlink-cli-import-'));
  const file = path.join(dir, 'relationships.csv');
  const stateFile = `${file}.tierlink-progress.json`;
  const reportFile = `${file}.rejected.csv`;
  const importArgs = ['operator', 'import', 'relationships', file, '--profile', 'operator'];
  const readState = () => JSON.parse(readFileSync(stateFile, 'utf8')) as State;

  beforeAll(async () => {
    await loginAll(xdg);
    writeFileSync(file, csvText());
  });
  afterAll(() => {
    rmSync(xdg, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the import and waits until `chunks` more chunks than `before` were reported. */
  async function startAndWait(chunks: number, extra: string[] = []): Promise<Running> {
    const running = start([...importArgs, ...extra], env);
    await until(() => progressLines(running.output.stderr).length >= chunks || running.child.exitCode !== null, `${chunks} chunks`, 90_000);
    expect(running.child.exitCode).toBeNull();
    return running;
  }

  it('SIGINT stops after the chunk in flight (exit 130) and leaves the progress beside the file', async () => {
    const first = await startAndWait(3, ['--chunk-size', String(chunk)]);
    first.child.kill('SIGINT');
    const result = await first.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Stopping after the chunk in flight');
    expect(result.stderr).toMatch(/Stopped after \d+ of 10000 rows; run the same command again to resume/);
    const state = readState();
    expect(state.chunkSize).toBe(chunk);
    expect(state.doneChunks.length).toBeGreaterThanOrEqual(3);
    expect(state.doneChunks.length).toBeLessThan(rows / chunk);
    expect(state.doneChunks).toEqual(state.doneChunks.map((_, i) => i));
    const lines = progressLines(result.stderr);
    expect(lines.at(-1)).toContain(`rows ${state.doneChunks.length * chunk}/10000`);
    console.info(`import run 1 (SIGINT): ${state.doneChunks.length} chunks done, ${JSON.stringify(state.totals)}`);
  });

  it('SIGKILL mid-run loses at most the chunk in flight; the next run resumes where the state says', async () => {
    const doneBefore = readState().doneChunks.length;
    const second = await startAndWait(2);
    expect(second.output.stderr).toContain(`Resuming: ${doneBefore} of 20 chunks (${doneBefore * chunk} rows) were done by an earlier run.`);
    second.child.kill('SIGKILL');
    const result = await second.done;
    expect(result.signal).toBe('SIGKILL');
    const state = readState();
    expect(state.doneChunks.length).toBeGreaterThanOrEqual(doneBefore + 2);
    console.info(`import run 2 (SIGKILL): ${state.doneChunks.length} chunks done, ${JSON.stringify(state.totals)}`);
  });

  it('a rerun finishes: every good row once, the bad rows in the report with the reasons, no duplicates', async () => {
    const doneBefore = readState().doneChunks.length;
    const result = await run([...importArgs, '--json'], env);
    // Rejected rows make the run exit 1 after it finished everything else.
    expect(result.code).toBe(1);
    const totals = json<Totals>(result);
    console.info(`import run 3 (resumed from ${doneBefore} chunks): ${JSON.stringify(totals)}`);
    expect(totals.rows).toBe(rows);
    expect(totals.rejected).toBe(bad.size);
    // A chunk the kill interrupted may have committed: its rows come back as existing, never twice.
    expect(totals.created + totals.existing).toBe(goodRows);
    expect(totals.customersCreated).toBe(totals.created);
    expect(totals.existing).toBeLessThanOrEqual(chunk);
    expect(totals.rejectedReport).toBe(reportFile);
    expect(existsSync(stateFile)).toBe(false);
    expect(progressLines(result.stderr).at(-1)).toMatch(/^rows 10000\/10000 \(100%\)/);

    const report = parse(readFileSync(reportFile), { columns: true }) as Record<string, string>[];
    const byRow = new Map(report.map((r) => [Number(r['line']) - 1, r]));
    expect([...byRow.keys()].sort((a, b) => a - b)).toEqual([...bad.keys()]);
    for (const [n, fault] of bad) {
      expect(byRow.get(n)?.['field']).toBe(fault.field);
      expect(byRow.get(n)?.['reason']).not.toBe('');
      expect(byRow.get(n)?.['customer_name']).toBe(`Bulk Customer ${String(n).padStart(5, '0')}, Inc.`);
    }
    expect(byRow.get(1234)?.['reason']).toContain('no approved partner has the domain nobody-here.example');
    expect(byRow.get(6000)?.['reason']).toContain('is not a customer organization');
  });

  it('the reseller sees each imported customer exactly once', async () => {
    const listed = json<{ items: { domain: string; name: string; relationship: { source: string } }[] }>(
      await run(['customers', 'list', '--name', 'Bulk Customer', '--all', '--json', '--profile', 'importer'], env),
    );
    expect(listed.items).toHaveLength(goodRows);
    expect(new Set(listed.items.map((c) => c.domain)).size).toBe(goodRows);
    expect(listed.items.every((c) => c.relationship.source === 'import')).toBe(true);
  });

  it('importing rows again counts them as existing; a human run prints the totals', async () => {
    const again = path.join(dir, 'again.csv');
    writeFileSync(again, csvText().split('\n').slice(0, 51).join('\n'));
    const result = await run(['operator', 'import', 'relationships', again, '--profile', 'operator', '--chunk-size', '20'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('50 rows, 0 relationships created, 50 already existing, 0 customers created, 0 rejected');
    expect(existsSync(`${again}.rejected.csv`)).toBe(false);
  });

  it('a file without the expected header is a usage error; a reseller key (the default profile) gets the API\'s 403', async () => {
    const wrong = path.join(dir, 'wrong.csv');
    writeFileSync(wrong, 'partner,customer\na,b\n');
    const header = await run(['operator', 'import', 'relationships', wrong, '--profile', 'operator'], env);
    expect([header.code, header.stderr]).toEqual([2, expect.stringContaining('the header must be partner_domain,customer_name,customer_domain,customer_country')]);
    const missing = await run(['operator', 'import', 'relationships', path.join(dir, 'missing.csv'), '--profile', 'operator'], env);
    expect(missing.code).toBe(2);
    const small = path.join(dir, 'small.csv');
    writeFileSync(small, csvText().split('\n').slice(0, 3).join('\n'));
    const forbidden = await run(['operator', 'import', 'relationships', small], env);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('error: forbidden');
    expect(existsSync(`${small}.tierlink-progress.json`)).toBe(false);
  });
});
