import type { Command } from 'commander';
import { connect } from '../context.ts';
import { printCreatedInvitation } from '../invitation-output.ts';
import { integer } from '../options.ts';

interface Options {
  email: string;
  provider?: string;
  send?: boolean;
  expiresInDays?: number;
  text?: string;
  json?: boolean;
}

/** `tierlink invitations create customer`: a reseller relationship request, alone or joint. */
export function registerInvitationsCreateCustomer(create: Command): void {
  create
    .command('customer')
    .description('ask a customer for a reseller relationship; prints the draft email and its link')
    .requiredOption('--email <email>', "the customer admin's email address")
    .option('--provider <id>', 'joint invitation with this indirect provider (organization id)')
    .option('--send', 'let Tierlink send the email (otherwise only the draft is returned)')
    .option('--expires-in-days <n>', 'days the invitation stays valid (1-30, default 7)', integer(1, 30))
    .option('--text <text>', 'the text of the email; the link is always appended')
    .option('--json', "print the API's JSON")
    .action(async (options: Options, command: Command) => {
      const { api } = await connect(command);
      const created = await api.createCustomerInvitation({
        body: {
          email: options.email,
          indirectProviderId: options.provider,
          send: options.send === true,
          expiresInDays: options.expiresInDays,
          text: options.text,
        },
      });
      printCreatedInvitation(created, options.json);
    });
}
