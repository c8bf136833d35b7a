import { isApiError } from '@tierlink/client';
import type { Command } from 'commander';
import { connect } from '../context.ts';
import { out, printJson, printProblem } from '../output.ts';
import { integer } from '../options.ts';
import { exitCodes } from '../errors.ts';

interface Options {
  customer: string;
  ifMatch?: string;
  json?: boolean;
}

/**
 * `tierlink subscriptions set-quantity`: reads the subscription's ETag and sends it as If-Match,
 * so a change made by someone else in between is refused (412) instead of overwritten.
 */
export function registerSubscriptionsSetQuantity(subscriptions: Command): void {
  subscriptions
    .command('set-quantity')
    .description('change the number of seats of a subscription (guarded by its ETag)')
    .argument('<subscription-id>', 'subscription id')
    .argument('<quantity>', 'new number of seats (1-1000000)', integer(1, 1_000_000))
    .requiredOption('--customer <id>', 'customer organization id')
    .option('--if-match <etag>', 'change it only if it is still as read then (an ETag from subscriptions list --json)')
    .option('--json', "print the API's JSON")
    .action(async (subscriptionId: string, quantity: number, options: Options, command: Command) => {
      const { api } = await connect(command);
      const ids = { id: options.customer, sid: subscriptionId };
      const before = options.ifMatch === undefined ? await api.getSubscription(ids) : null;
      const etag = options.ifMatch ?? before?.etag ?? '';
      try {
        const after = await api.updateSubscription({ ...ids, body: { quantity }, headers: { 'if-match': etag } });
        if (options.json === true) return printJson(after);
        out(`Subscription ${after.id} (${after.skuName}): ${before === null ? '' : `${before.quantity} → `}${after.quantity} seats.`);
      } catch (error) {
        if (!isApiError(error) || error.status !== 412) throw error;
        printProblem(
          error,
          'The subscription changed after it was read (its ETag no longer matches), so nothing was changed.\n' +
            `Check it with: tierlink subscriptions list --customer ${options.customer}, then run the command again.`,
        );
        process.exitCode = exitCodes.apiError;
      }
    });
}
