import type { Command } from 'commander';
import { registerPartnerList } from '../partner-list.ts';

/** `tierlink providers list`: a reseller's indirect providers. */
export function registerProvidersList(providers: Command): void {
  registerPartnerList(providers, 'list your indirect providers (as a reseller)', 'indirect providers', (api, query) => api.listIndirectProviders({ query }));
}
