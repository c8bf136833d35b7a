import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import type { Program } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { organizations, partnerProfiles } from '../../db/schema.ts';
import { afterKey, likePrefix } from '../../platform/cursor.ts';

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

/** Keyset page over partner profiles ordered by organization name. */
export async function listPartnerProfiles(
  db: Executor,
  query: { limit: number; after: [string, string] | null; name?: string; program?: Program },
): Promise<PartnerListRow[]> {
  const lowerName = sql<string>`lower(${organizations.name})`;
  const conditions = [
    query.program === undefined ? undefined : eq(partnerProfiles.program, query.program),
    query.name === undefined ? undefined : ilike(organizations.name, likePrefix(query.name)),
    afterKey(lowerName, partnerProfiles.id, query.after),
  ];
  const rows = await db
    .select({ profile: partnerProfiles, organizationName: organizations.name })
    .from(partnerProfiles)
    .innerJoin(organizations, eq(organizations.id, partnerProfiles.organizationId))
    .where(and(...conditions))
    .orderBy(asc(lowerName), asc(partnerProfiles.id))
    .limit(query.limit + 1);
  return rows;
}

/**
 * Serializes the operator's bootstrap across processes (a transaction-scoped advisory lock): nodes
 * started together on an empty database would otherwise both find no operator and both insert one.
 */
export async function lockOperatorBootstrap(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended('operator-bootstrap', 0))`);
}
