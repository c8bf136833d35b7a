// Bundles the server (apps/server/dist/main.mjs) when it is missing or older than its sources:
// our own modules and the contract in one file, every npm package left to Node. Starting it
// needs no TypeScript loader, which makes a start several times faster than tsx over src/.
// Migrations are copied beside it (database.ts finds them next to itself), and a migrated, empty
// PGlite cluster is made once per build (dist/pglite-template) for new data directories to copy:
// initdb and the migrations inside WASM take seconds, a copy a fraction of one.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ensureBuilt } from '../../../scripts/build-cache.mjs';

const server = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(server, '../..');
const { dependencies } = JSON.parse(readFileSync(path.join(server, 'package.json'), 'utf8'));
// Workspace packages are TypeScript sources, and email-providers is a JSON list Node would need an
// import attribute for: both are bundled; everything else stays an import.
const bundled = (name) => name.startsWith('@tierlink/') || name === 'email-providers';
const external = Object.keys(dependencies).filter((name) => !bundled(name)).flatMap((name) => [name, `${name}/*`]);

await ensureBuilt({
  root,
  label: 'the server (apps/server)',
  dist: path.join(server, 'dist'),
  lock: path.join(server, '.build-lock'),
  inputs: [
    path.join(server, 'src'),
    path.join(server, 'package.json'),
    path.join(server, 'scripts/ensure-built.mjs'),
    path.join(root, 'packages/contract/src'),
    path.join(root, 'package-lock.json'),
  ],
  build: async (out) => {
    try {
      await build({
        // The health port's thread is an entry of its own (dist/health-worker.mjs beside main.mjs,
        // where health-port.ts looks for it): a worker thread starts from a file.
        entryPoints: [path.join(server, 'src/main.ts'), path.join(server, 'src/db/template.ts'), path.join(server, 'src/platform/http/health-worker.ts')],
        outdir: out,
        entryNames: '[name]',
        outExtension: { '.js': '.mjs' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external,
        sourcemap: 'linked',
        logLevel: 'warning',
      });
      cpSync(path.join(server, 'src/db/migrations'), path.join(out, 'migrations'), { recursive: true });
      const template = spawnSync(process.execPath, [path.join(out, 'template.mjs'), path.join(out, 'pglite-template')], { stdio: 'inherit' });
      return template.status === 0;
    } catch {
      return false;
    }
  },
});
