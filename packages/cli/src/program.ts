import { Command } from 'commander';
import { registerAuditTail } from './commands/audit-tail.ts';
import { registerCatalogList } from './commands/catalog-list.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerCustomersGet } from './commands/customers-get.ts';
import { registerCustomersList } from './commands/customers-list.ts';
import { registerDelegatedAdmin } from './commands/delegated-admin.ts';
import { registerInvitationsCreateCustomer } from './commands/invitations-create-customer.ts';
import { registerInvitationsCreateReseller } from './commands/invitations-create-reseller.ts';
import { registerInvitationsList } from './commands/invitations-list.ts';
import { registerInvitationsRevoke } from './commands/invitations-revoke.ts';
import { registerLogin } from './commands/login.ts';
import { registerOperatorImportRelationships } from './commands/operator-import-relationships.ts';
import { registerOrdersCreate } from './commands/orders-create.ts';
import { registerProvidersList } from './commands/providers-list.ts';
import { registerResellersList } from './commands/resellers-list.ts';
import { registerSubscriptionsList } from './commands/subscriptions-list.ts';
import { registerSubscriptionsSetQuantity } from './commands/subscriptions-set-quantity.ts';
import { registerUsersAdd } from './commands/users-add.ts';
import { registerUsersList } from './commands/users-list.ts';
import { registerWebhooksListen } from './commands/webhooks-listen.ts';
import { registerWhoami } from './commands/whoami.ts';
import { version } from './version.ts';

/**
 * The command tree. Settings made on `program` before `.command()` (exitOverride, output) are
 * copied to every command made from it, so the whole tree reports usage errors the same way.
 */
export function createProgram(): Command {
  const program = new Command('tierlink')
    .description('Tierlink from the command line: customers, invitations, orders, users, audit, webhooks and the operator import')
    .version(version)
    .option('--profile <name>', 'the stored profile to use (default: $TIERLINK_PROFILE or "default")')
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride();

  const group = (name: string, description: string) => program.command(name).description(description);

  registerLogin(program);
  registerWhoami(program);

  const customers = group('customers', 'your customers');
  registerCustomersList(customers);
  registerCustomersGet(customers);

  registerDelegatedAdmin(group('delegated-admin', 'delegated admin relationships: request, approve, terminate'));

  registerResellersList(group('resellers', 'indirect resellers (providers)'));
  registerProvidersList(group('providers', 'indirect providers (resellers)'));

  const invitations = group('invitations', 'invitations your organization sends');
  const create = invitations.command('create').description('create an invitation');
  registerInvitationsCreateReseller(create);
  registerInvitationsCreateCustomer(create);
  registerInvitationsList(invitations);
  registerInvitationsRevoke(invitations);

  registerCatalogList(group('catalog', 'products and SKUs'));
  registerOrdersCreate(group('orders', 'orders for customers'));

  const subscriptions = group('subscriptions', "customers' subscriptions");
  registerSubscriptionsList(subscriptions);
  registerSubscriptionsSetQuantity(subscriptions);

  const users = group('users', "your organization's users");
  registerUsersAdd(users);
  registerUsersList(users);

  registerAuditTail(group('audit', 'the audit log'));
  registerWebhooksListen(group('webhooks', "your organization's webhook events"));

  const operator = group('operator', 'operator tasks');
  registerOperatorImportRelationships(operator.command('import').description('bulk imports'));

  registerCompletion(program);
  return program;
}
