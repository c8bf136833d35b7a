import { loadConfig } from './config.ts';
import { closeLogger } from './platform/logger.ts';
import { describeDemo, startRuntime } from './runtime.ts';

/** How long a shutdown may take in all; past it the process exits anyway (status 1). */
const shutdownDeadlineMs = 20_000;
/** Of which writing out the last log lines may take this long (stdout may be a pipe nobody reads). */
const logFlushMs = 1_000;

// A stdout or stderr whose reader went away (EPIPE) must not stop the server: what is written to
// it is lost, nothing else. Without a listener the error would be an uncaught exception.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const config = loadConfig();
const runtime = await startRuntime(config);
process.stdout.write(
  `\nTierlink is running at ${config.publicUrl} (API docs: ${config.publicUrl}/api/docs, database: ${runtime.database.engine}` +
    `${config.role === 'all' ? '' : `, role: ${config.role}`}${runtime.healthPort === null ? '' : `, health port: ${runtime.healthPort}`})\n` +
    describeDemo(runtime.demoAccounts, config.publicUrl) +
    '\n',
);

/** Exits after the log is written out or given up on, never waiting on the log for longer. */
async function exit(code: number): Promise<void> {
  await closeLogger(runtime.logger, logFlushMs);
  process.exit(code);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    runtime.logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      runtime.logger.error({ deadlineMs: shutdownDeadlineMs }, 'shutdown deadline passed');
      void exit(1);
    }, shutdownDeadlineMs).unref();
    runtime.close().then(
      () => {
        runtime.logger.info({ exit: 0 }, 'stopped');
        return exit(0);
      },
      (error: unknown) => {
        runtime.logger.error({ err: error }, 'shutdown failed');
        return exit(1);
      },
    );
  });
}
