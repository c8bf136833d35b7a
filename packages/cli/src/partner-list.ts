import type { ApiClient, IndirectProvider } from '@tierlink/client';
import type { Command } from 'commander';
import { connect } from './context.ts';
import { when, type Column } from './output.ts';
import { runList, withListOptions, type ListOptions, type Page } from './paging.ts';

type PartnerItem = Pick<IndirectProvider, 'organization' | 'partnership' | 'delegatedAdmin'>;

/** Providers and resellers list alike: the other organization, the partnership, its grant. */
const partnerColumns: readonly Column<PartnerItem>[] = [
  { header: 'id', value: (p) => p.organization.id },
  { header: 'name', value: (p) => p.organization.name },
  { header: 'domain', value: (p) => p.organization.domain },
  { header: 'country', value: (p) => p.organization.country },
  { header: 'partnership', value: (p) => p.partnership.state },
  { header: 'since', value: (p) => when(p.partnership.createdAt) },
  { header: 'delegated admin', value: (p) => p.delegatedAdmin?.state ?? 'none' },
];

type Query = { limit?: number; cursor?: string; name?: string };

/** Registers `list` under `parent` for one side of the partnerships. */
export function registerPartnerList(
  parent: Command,
  description: string,
  noun: string,
  fetchPage: (api: ApiClient, query: Query) => Promise<Page<PartnerItem>>,
): void {
  withListOptions(parent.command('list').description(description))
    .option('--name <prefix>', 'only names starting with this (case-insensitive)')
    .action(async (options: ListOptions & { name?: string }, command: Command) => {
      const { api } = await connect(command);
      await runList(options, (page) => fetchPage(api, { ...page, name: options.name }), partnerColumns, noun);
    });
}
