import { isApiError } from '@tierlink/client';
import { CommanderError } from 'commander';
import { exitCodes, InterruptedError, UsageError } from './errors.ts';
import { note, paint, printProblem } from './output.ts';
import { createProgram } from './program.ts';

/** Commander's codes for output that was asked for (--help, --version): not an error. */
const asked = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Runs one command line and answers its exit code: 0 ok, 1 the API refused or failed (its problem
 * on stderr), 2 a usage error, 130 interrupted.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // `tierlink … | head`: a reader that stops early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(exitCodes.ok);
  });
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // A group called without a subcommand prints its help as an error: that is a usage error too.
      return asked.has(error.code) && error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (isApiError(error)) {
      printProblem(error);
      return exitCodes.apiError;
    }
    if (error instanceof UsageError) {
      note(`${paint(process.stderr, 'red', 'error:')} ${error.message}`);
      return exitCodes.usage;
    }
    if (error instanceof InterruptedError) {
      note(error.message);
      return exitCodes.interrupted;
    }
    note(`${paint(process.stderr, 'red', 'error:')} ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.apiError;
  }
}
