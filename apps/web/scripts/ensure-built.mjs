// Builds the portal (apps/web/dist) when it is missing or older than its sources, so that
// `npm ci && npm start` serves it with no separate step (see scripts/build-cache.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../../scripts/build-cache.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(web, '../..');

await ensureBuilt({
  root,
  label: 'the portal (apps/web)',
  dist: path.join(web, 'dist'),
  lock: path.join(web, '.build-lock'),
  // Everything the bundle is made of: the portal, the client and the contract it imports, the lock file.
  inputs: [
    path.join(web, 'src'),
    path.join(web, 'public'),
    path.join(web, 'index.html'),
    path.join(web, 'vite.config.ts'),
    path.join(web, 'package.json'),
    path.join(root, 'packages/client/src'),
    path.join(root, 'packages/contract/src'),
    path.join(root, 'package-lock.json'),
  ],
  build: (out) => {
    const vite = path.join(root, 'node_modules/vite/bin/vite.js');
    // A production bundle whatever NODE_ENV the caller has (a test runner sets "test", which would
    // give React's development build).
    const env = { ...process.env, NODE_ENV: 'production' };
    return spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', out], { cwd: web, stdio: 'inherit', env }).status === 0;
  },
});
