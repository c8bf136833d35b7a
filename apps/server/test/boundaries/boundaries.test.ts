import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedReferences, checkOwnership, tableOwners } from './table-ownership.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const src = path.join(root, 'apps/server/src');
const modules = readdirSync(path.join(src, 'modules'));

/** What an index.ts takes from a repository file: nothing, not even a type (types live with the queries). */
function repositoryExports(indexSource: string): string[] {
  return [...indexSource.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'\.\/[\w.-]+\.repository\.ts'/g)].flatMap((m) =>
    (m[1] ?? '')
      .split(',')
      .map((name) => name.trim().replace(/^type\s+/, ''))
      .filter((name) => name !== ''),
  );
}

describe('table ownership', () => {
  it('every table has an owner, and each module names only its own tables or allowlisted ones', () => {
    const report = checkOwnership(src);
    expect(report.unowned).toEqual([]);
    expect(report.violations).toEqual([]);
    expect(report.outsideRepositories).toEqual([]);
  });

  it('the allowlist is short, explains itself, and every entry is still needed', () => {
    const report = checkOwnership(src);
    expect(allowedReferences.length).toBeLessThanOrEqual(14);
    for (const entry of allowedReferences) {
      expect(entry.why.length, `${entry.from} → ${entry.table}`).toBeGreaterThan(40);
      const used = report.allowed.some(
        (r) => r.table === entry.table && (entry.from === '*' || entry.from === r.file || entry.from === `${r.module}/*`),
      );
      expect(used, `unused allowlist entry ${entry.from} → ${entry.table}`).toBe(true);
    }
    expect(new Set(Object.values(tableOwners)).size).toBeGreaterThan(5);
  });

  describe('on a planted violation', () => {
    const planted = mkdtempSync(path.join(tmpdir(), 'tierlink-boundaries-'));
    afterAll(() => rmSync(planted, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(planted, file)), { recursive: true });
      writeFileSync(path.join(planted, file), text);
    };
    write('db/schema.ts', readFileSync(path.join(src, 'db/schema.ts'), 'utf8'));
    write('platform/outbox.ts', "import { outboxMessages } from '../db/schema.ts';\nexport const table = outboxMessages;\n");
    // audit writes identity's users (Drizzle) and commerce's orders (raw SQL) from its repository…
    write(
      'modules/audit/audit.repository.ts',
      "import { sql } from 'drizzle-orm';\nimport { auditEvents, users } from '../../db/schema.ts';\n" +
        'export const touch = (db) => db.update(users).set({});\n' +
        'export const read = (db) => db.select().from(auditEvents);\n' +
        "export const purge = sql`delete from orders where true`;\n",
    );
    // …and reads its own table outside its repository.
    write('modules/audit/list-audit-events.ts', "import { auditEvents } from '../../db/schema.ts';\nexport const t = auditEvents;\n");

    it('fails, naming each reference', () => {
      const report = checkOwnership(planted);
      expect(report.violations).toEqual(
        expect.arrayContaining([
          { file: 'audit/audit.repository.ts', module: 'audit', table: 'users', access: 'write' },
          { file: 'audit/audit.repository.ts', module: 'audit', table: 'orders', access: 'write' },
        ]),
      );
      expect(report.outsideRepositories).toEqual([{ file: 'audit/list-audit-events.ts', module: 'audit', table: 'audit_events', access: 'read' }]);
      // An allowlisted read does not make a write allowed.
      write('modules/enrollment/enrollment.repository.ts', "import { organizations } from '../../db/schema.ts';\nexport const x = (db) => db.insert(organizations);\n");
      expect(checkOwnership(planted).violations).toContainEqual({ file: 'enrollment/enrollment.repository.ts', module: 'enrollment', table: 'organizations', access: 'write' });
    });
  });
});

describe('public surfaces', () => {
  it.each(modules)('modules/%s/index.ts exports no repository function', (module) => {
    expect(repositoryExports(readFileSync(path.join(src, 'modules', module, 'index.ts'), 'utf8'))).toEqual([]);
  });

  it('a planted repository export is found', () => {
    expect(repositoryExports("export { insertUser, type UserRow } from './identity.repository.ts';\nexport type { X } from './a.repository.ts';")).toEqual([
      'insertUser',
      'UserRow',
      'X',
    ]);
  });
});

describe('import rules (eslint-plugin-boundaries, as `npm test` lints)', () => {
  const eslint = new ESLint({ cwd: root });
  const errorsOf = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
  };

  const planted: Array<[string, string, string]> = [
    ['a module reaches into another module', 'apps/server/src/modules/audit/planted.ts', "export { insertUser } from '../identity/identity.repository.ts';"],
    ['platform imports a module', 'apps/server/src/platform/planted.ts', "export { registerAuditRoutes } from '../modules/audit/index.ts';"],
    ['db imports platform', 'apps/server/src/db/planted.ts', "export { newId } from '../platform/ids.ts';"],
    ['a module imports the demo seed', 'apps/server/src/modules/audit/planted.ts', "export { seedDemo } from '../../demo/seed.ts';"],
    ['src imports the scale generator', 'apps/server/src/modules/audit/planted.ts', "export { scaleProfiles } from '../../../scripts/scale/profiles.ts';"],
    ['the runtime imports the scale generator', 'apps/server/src/planted.ts', "export { scaleProfiles } from '../scripts/scale/profiles.ts';"],
    ['the portal imports server code', 'apps/web/src/planted.ts', "export { buildApp } from '../../server/src/app.ts';"],
    ['the command line imports server code', 'packages/cli/src/planted.ts', "export { buildApp } from '../../../apps/server/src/app.ts';"],
    ['non-test code imports the test harness', 'apps/server/src/modules/audit/planted.ts', "export { createTestContext } from '../../../test/harness.ts';"],
  ];

  it.each(planted)('refuses: %s', async (_name, filePath, code) => {
    expect(await errorsOf(filePath, code)).toHaveLength(1);
  });

  it.each([
    ['another module through its index.ts', 'apps/server/src/modules/audit/planted.ts', "export { findOrganization } from '../identity/index.ts';"],
    ['a file of its own module', 'apps/server/src/modules/identity/planted.ts', "export { insertUser } from './identity.repository.ts';"],
    ['the runtime loading the demo seed', 'apps/server/src/planted.ts', "export { seedDemo } from './demo/seed.ts';"],
    ['a test beside the code using the harness', 'apps/server/src/modules/audit/planted.test.ts', "export { createTestContext } from '../../../test/harness.ts';"],
  ])('allows: %s', async (_name, filePath, code) => {
    expect(await errorsOf(filePath, code)).toEqual([]);
  });
});
