import type { Program } from '@tierlink/contract';
import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listPartnerProfiles, type PartnerListRow } from './organizations.repository.ts';

export async function listPartners(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string; name?: string; program?: Program },
): Promise<{ items: PartnerListRow[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listPartnerProfiles(ctx.tx, { ...query, after });
  return toPage(rows, query.limit, (r) => [r.organizationName.toLowerCase(), r.profile.id]);
}
