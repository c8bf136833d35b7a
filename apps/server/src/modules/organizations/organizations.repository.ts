import { and, eq, ilike, sql, type SQL } from 'drizzle-orm';
import { countCap, type ListCount, type Program } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { organizations, partnerProfiles } from '../../db/schema.ts';
import { countUpTo, likePrefix } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type SortAfter, type SortKey } from '../../platform/sorted-keyset.ts';

export type ProfileRow = typeof partnerProfiles.$inferSelect;

export async function insertProfile(db: Executor, row: typeof partnerProfiles.$inferInsert): Promise<ProfileRow> {
  const [created] = await db.insert(partnerProfiles).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export interface PartnerListRow {
  profile: ProfileRow;
  organizationName: string;
}

/** What the operator's partner list is sorted by; ties by profile id. */
export type PartnerProfileSortKey = 'name' | 'created';

const profileSortColumns = { name: sql<string>`lower(${organizations.name})`, created: partnerProfiles.createdAt } as const;

/** A sort's key: one column (the profile id breaks ties). */
export const partnerProfileSortKey = (sort: PartnerProfileSortKey): SortKey => ({ columns: [{ sql: profileSortColumns[sort], type: sort === 'name' ? 'text' : 'timestamptz' }] });

export interface PartnerProfileFilter {
  name?: string | undefined;
  program?: Program | undefined;
}

function profileConditions(filter: PartnerProfileFilter): SQL | undefined {
  return and(
    filter.program === undefined ? undefined : eq(partnerProfiles.program, filter.program),
    filter.name === undefined ? undefined : ilike(organizations.name, likePrefix(filter.name)),
  );
}

/**
 * Keyset page over partner profiles in the order asked (organization name by default), each with
 * the key it was sorted by as the database computed it.
 */
export async function listPartnerProfiles(
  db: Executor,
  query: PartnerProfileFilter & { limit: number; after: SortAfter | null; sort?: PartnerProfileSortKey; order?: 'asc' | 'desc' },
): Promise<(PartnerListRow & { sortKey: string })[]> {
  const sort = query.sort ?? 'name';
  const order = query.order ?? 'asc';
  const column = profileSortColumns[sort];
  const key = partnerProfileSortKey(sort);
  const rows = await db
    .select({ profile: partnerProfiles, organizationName: organizations.name, sortKey: sort === 'name' ? sql<string>`${column}` : sql<string>`''` })
    .from(partnerProfiles)
    .innerJoin(organizations, eq(organizations.id, partnerProfiles.organizationId))
    .where(and(profileConditions(query), keysetAfterSorted(key, partnerProfiles.id, order, query.after)))
    .orderBy(...orderBySorted(key, partnerProfiles.id, order))
    .limit(query.limit + 1);
  // Times travel as ISO text (the cursor's form).
  return sort === 'name' ? rows : rows.map((r) => ({ ...r, sortKey: r.profile.createdAt.toISOString() }));
}

export async function countPartnerProfiles(db: Executor, filter: PartnerProfileFilter): Promise<ListCount> {
  return countUpTo(
    db,
    db
      .select({ one: sql`1` })
      .from(partnerProfiles)
      .innerJoin(organizations, eq(organizations.id, partnerProfiles.organizationId))
      .where(profileConditions(filter))
      .limit(countCap + 1),
  );
}

/**
 * Serializes the operator's bootstrap across processes (a transaction-scoped advisory lock): nodes
 * started together on an empty database would otherwise both find no operator and both insert one.
 */
export async function lockOperatorBootstrap(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended('operator-bootstrap', 0))`);
}
