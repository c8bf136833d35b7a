import { loadConfig } from './config.ts';
import { describeDemo, startRuntime } from './runtime.ts';

const config = loadConfig();
const runtime = await startRuntime(config);
process.stdout.write(
  `\nTierlink is running at ${config.publicUrl} (API docs: ${config.publicUrl}/api/docs, database: ${runtime.database.engine})\n` +
    describeDemo(runtime.demoAccounts, config.publicUrl) +
    '\n',
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    runtime.logger.info({ signal }, 'shutting down');
    runtime.close().then(
      () => {
        runtime.logger.info({ exit: 0 }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        runtime.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
