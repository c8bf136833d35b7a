import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listApiKeys as listRows, type ApiKeyRow } from './identity.repository.ts';

export function listApiKeys(ctx: UseCaseContext): Promise<ApiKeyRow[]> {
  return listRows(ctx.tx, ctx.actor.organizationId);
}
