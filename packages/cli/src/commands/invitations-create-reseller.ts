import type { Command } from 'commander';
import { connect } from '../context.ts';
import { printCreatedInvitation } from '../invitation-output.ts';
import { integer } from '../options.ts';

interface Options {
  email: string;
  expiresInDays?: number;
  message?: string;
  json?: boolean;
}

/** `tierlink invitations create reseller`: a provider invites a reseller into a partnership. */
export function registerInvitationsCreateReseller(create: Command): void {
  create
    .command('reseller')
    .description('invite an indirect reseller (as a provider); prints the email and its link')
    .requiredOption('--email <email>', "the reseller admin's email address")
    .option('--expires-in-days <n>', 'days the invitation stays valid (1-30, default 7)', integer(1, 30))
    .option('--message <text>', 'a personal note above the link')
    .option('--json', "print the API's JSON")
    .action(async (options: Options, command: Command) => {
      const { api } = await connect(command);
      const created = await api.createResellerInvitation({
        body: { email: options.email, expiresInDays: options.expiresInDays, message: options.message },
      });
      printCreatedInvitation(created, options.json);
    });
}
