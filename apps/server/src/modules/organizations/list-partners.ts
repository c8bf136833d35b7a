import type { ListCount, OperatorPartnerSort, Program } from '@tierlink/contract';
import { decodeSortCursor, toSortedPage } from '../../platform/sorted-keyset.ts';
import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { countPartnerProfiles, listPartnerProfiles, partnerProfileSortKey, type PartnerListRow } from './organizations.repository.ts';

export interface PartnerProfileListFilter {
  name?: string | undefined;
  program?: Program | undefined;
  sort?: OperatorPartnerSort | undefined;
  order?: 'asc' | 'desc' | undefined;
}

/** Operator console: every partner profile, by organization name unless asked otherwise. */
export async function listPartners(
  ctx: UseCaseContext,
  query: PartnerProfileListFilter & { limit: number; cursor?: string | undefined; count?: 'true' | 'false' | undefined },
): Promise<{ items: PartnerListRow[]; nextCursor: string | null; count: ListCount | null }> {
  const sort = query.sort ?? 'name';
  const order = query.order ?? 'asc';
  const after = decodeSortCursor(query.cursor, sort, order, partnerProfileSortKey(sort));
  const rows = await listPartnerProfiles(ctx.tx, { name: query.name, program: query.program, sort, order, limit: query.limit, after });
  const page = toSortedPage(rows, query.limit, sort, order, (r) => ({ values: [r.sortKey], id: r.profile.id }));
  const count = query.count === 'true' ? await countPartnerProfiles(ctx.tx, query) : null;
  return { ...page, count };
}

/** Every profile the filter keeps, in the order asked, in keyset batches: the CSV export streams them. */
export function exportPartners(ctx: UseCaseContext, filter: PartnerProfileListFilter): AsyncGenerator<(PartnerListRow & { sortKey: string })[]> {
  const sort = filter.sort ?? 'name';
  const order = filter.order ?? 'asc';
  return keysetBatches<PartnerListRow & { sortKey: string }>((last) =>
    listPartnerProfiles(ctx.tx, {
      name: filter.name,
      program: filter.program,
      sort,
      order,
      limit: exportBatch - 1,
      after: last === null ? null : { values: [last.sortKey], id: last.profile.id },
    }),
  );
}
