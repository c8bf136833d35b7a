import type { Command } from 'commander';
import { registerPartnerList } from '../partner-list.ts';

/** `tierlink resellers list`: a provider's indirect resellers. */
export function registerResellersList(resellers: Command): void {
  registerPartnerList(resellers, 'list your indirect resellers (as a provider)', 'indirect resellers', (api, query) => api.listIndirectResellers({ query }));
}
