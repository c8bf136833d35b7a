import type { Command } from 'commander';
import { connect } from '../context.ts';
import { exitCodes, InterruptedError } from '../errors.ts';
import { defaultChunkSize, runImport } from '../import/run-import.ts';
import { note, out, printJson } from '../output.ts';
import { integer } from '../options.ts';

interface Options {
  chunkSize?: number;
  restart?: boolean;
  json?: boolean;
}

/**
 * `tierlink operator import relationships FILE.csv`: chunked, resumable, with a report of the
 * rows the API refused. Ctrl-C stops after the chunk in flight; a second Ctrl-C at once.
 */
export function registerOperatorImportRelationships(operatorImport: Command): void {
  operatorImport
    .command('relationships')
    .description('import reseller relationships from a CSV file (partner_domain,customer_name,customer_domain,customer_country)')
    .argument('<file>', 'the CSV file; progress is kept in FILE.tierlink-progress.json, refused rows go to FILE.rejected.csv')
    .option('--chunk-size <n>', `rows per request (1-5000; default ${defaultChunkSize}, or the interrupted run's)`, integer(1, 5000))
    .option('--restart', 'ignore the progress of an earlier run and send every row again')
    .option('--json', 'print the totals as JSON')
    .action(async (file: string, options: Options, command: Command) => {
      const { api, url } = await connect(command);
      let stopping = false;
      const abort = new AbortController();
      const onInterrupt = () => {
        if (stopping) return abort.abort();
        stopping = true;
        note('Stopping after the chunk in flight (Ctrl-C again to stop at once)…');
      };
      process.on('SIGINT', onInterrupt);
      let outcome;
      try {
        outcome = await runImport({ api, server: url, file, chunkSize: options.chunkSize, restart: options.restart === true, stopRequested: () => stopping, signal: abort.signal });
      } catch (error) {
        if (abort.signal.aborted) throw new InterruptedError(`Stopped; run the same command again to resume from ${file}.tierlink-progress.json.`);
        throw error;
      } finally {
        process.removeListener('SIGINT', onInterrupt);
      }
      const { totals } = outcome;
      if (!outcome.complete) {
        throw new InterruptedError(`Stopped after ${outcome.rowsDone} of ${outcome.rows} rows; run the same command again to resume (progress in ${outcome.stateFile}).`);
      }
      if (options.json === true) printJson({ rows: outcome.rows, ...totals, rejectedReport: totals.rejected > 0 ? outcome.reportFile : null });
      else {
        out(`Imported ${file}: ${outcome.rows} rows, ${totals.created} relationships created, ${totals.existing} already existing, ${totals.customersCreated} customers created, ${totals.rejected} rejected.`);
        if (outcome.resumedChunks > 0) out(`(Resumed: the totals include the earlier run's.)`);
      }
      if (totals.rejected > 0) {
        note(`${totals.rejected} rows were rejected; they are listed with the reasons in ${outcome.reportFile}.`);
        process.exitCode = exitCodes.apiError;
      }
    });
}
