// The import rules of the code base, for eslint-plugin-boundaries (eslint.config.js) and the test
// that proves them on planted violations (apps/server/test/boundaries). docs/architecture.md explains them.

/** What each folder is. A module is one folder under apps/server/src/modules; its name is captured. */
export const boundaryElements = [
  { type: 'server-module', pattern: 'apps/server/src/modules/*', capture: ['module'] },
  { type: 'server-platform', pattern: 'apps/server/src/platform' },
  { type: 'server-db', pattern: 'apps/server/src/db' },
  { type: 'server-demo', pattern: 'apps/server/src/demo' },
  // The files at the top of src (app, runtime, main, config): the first match wins, so this comes last.
  { type: 'server-root', pattern: 'apps/server/src' },
  { type: 'server-scripts', pattern: 'apps/server/scripts' },
  { type: 'server-tests', pattern: 'apps/server/test' },
  { type: 'web', pattern: 'apps/web' },
  { type: 'contract', pattern: 'packages/contract' },
  { type: 'client', pattern: 'packages/client' },
  { type: 'cli', pattern: 'packages/cli' },
];

const server = ['server-module', 'server-platform', 'server-db', 'server-demo', 'server-root', 'server-scripts', 'server-tests'];
const anyOf = (types) => ({ element: { types: { anyOf: types } } });

/** Every rule disallows; what no rule names is allowed. */
export const boundaryPolicies = [
  {
    // platform/ is infrastructure: it knows no module, no demo data and not the app that assembles it.
    from: { element: { type: 'server-platform' } },
    disallow: { to: anyOf(['server-module', 'server-demo', 'server-root', 'server-scripts']) },
    message: 'platform/ imports no module, demo data or app code: it holds no domain logic.',
  },
  {
    // db/ is schema, migrations and the handle: below everything else.
    from: { element: { type: 'server-db' } },
    disallow: { to: anyOf(['server-module', 'server-platform', 'server-demo', 'server-root', 'server-scripts']) },
    message: 'db/ holds schema, migrations and the database handle only; it imports nothing above it.',
  },
  {
    // A module reaches another only through that module's index.ts (its public surface).
    from: { element: { type: 'server-module' } },
    disallow: {
      to: { element: { type: 'server-module', captured: { module: '!{{from.element.captured.module}}' }, fileInternalPath: '!index.ts' } },
    },
    message: 'Import another module through its index.ts only.',
  },
  {
    // Nothing in the server's src imports the demo data but the runtime that loads it, nor the
    // scale generator and scripts at all.
    from: { element: { types: { anyOf: ['server-module', 'server-platform', 'server-db'] } } },
    disallow: { to: anyOf(['server-demo', 'server-scripts']) },
    message: 'src/ never imports the demo seed, the scale generator or scripts.',
  },
  {
    from: { element: { type: 'server-root' } },
    disallow: { to: anyOf(['server-scripts']) },
    message: 'src/ never imports the scale generator or scripts.',
  },
  {
    // Tests beside the code use the harness in apps/server/test; the code itself never does.
    from: { element: { types: { anyOf: ['server-module', 'server-platform', 'server-db', 'server-root'] } }, file: { path: '!**/*.test.ts' } },
    disallow: { to: anyOf(['server-tests']) },
    message: 'Only tests import the test harness.',
  },
  {
    // The portal talks to the server only over HTTP, through the client and the contract.
    from: { element: { type: 'web' } },
    disallow: { to: anyOf(server) },
    message: 'The portal never imports server code: use @tierlink/client and @tierlink/contract.',
  },
  {
    // The command line is a client like any other: it speaks HTTP through @tierlink/client.
    from: { element: { type: 'cli' } },
    disallow: { to: anyOf([...server, 'web']) },
    message: 'The command line never imports server or portal code: use @tierlink/client.',
  },
  {
    from: { element: { types: { anyOf: ['contract', 'client'] } } },
    disallow: { to: anyOf([...server, 'web', 'cli']) },
    message: 'Shared packages import no app.',
  },
];
