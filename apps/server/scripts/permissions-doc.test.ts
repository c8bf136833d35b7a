import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatePermissionsDoc, permissionsDocPath } from './permissions-doc.ts';

// docs/permissions.md is generated from the permission table and the registered routes; a change
// to either must come with the regenerated document.
describe('docs/permissions.md', () => {
  it('is what `npm run docs:permissions` writes now', async () => {
    const committed = readFileSync(permissionsDocPath, 'utf8');
    const current = await generatePermissionsDoc();
    expect(current, 'docs/permissions.md is stale: run `npm run docs:permissions` and commit the result').toBe(committed);
  }, 120_000);
});
