import { and, count, desc, eq, inArray } from 'drizzle-orm';
import type { Program } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { organizations, partnerProfiles } from '../../db/schema.ts';

// Public reads of partner profiles: other modules call these through index.ts.

/** Enrollments waiting for the operator's decision (read on the (state, created_at) index). */
export async function countEnrollmentQueue(db: Executor): Promise<number> {
  const [row] = await db.select({ count: count() }).from(partnerProfiles).where(eq(partnerProfiles.state, 'in_review'));
  return Number(row?.count ?? 0);
}

export interface PartnersOfProgram {
  program: Program;
  country: string;
  partners: number;
}

/** Approved partner profiles per program and the organization's country, most first. */
export async function partnersByProgramAndCountry(db: Executor): Promise<PartnersOfProgram[]> {
  const partners = count();
  const rows = await db
    .select({ program: partnerProfiles.program, country: organizations.country, partners })
    .from(partnerProfiles)
    .innerJoin(organizations, eq(organizations.id, partnerProfiles.organizationId))
    // An approved profile's organization is a partner; saying so lets the partners' index answer.
    .where(and(eq(partnerProfiles.state, 'approved'), eq(organizations.kind, 'partner')))
    .groupBy(partnerProfiles.program, organizations.country)
    .orderBy(desc(partners), partnerProfiles.program, organizations.country);
  return rows.map((r) => ({ program: r.program, country: r.country, partners: Number(r.partners) }));
}

export type PartnerProfileRow = typeof partnerProfiles.$inferSelect;

/** The partner profiles of these organizations (any state), for showing their membership ids. */
export async function profilesOfOrganizations(db: Executor, organizationIds: readonly string[]): Promise<PartnerProfileRow[]> {
  if (organizationIds.length === 0) return [];
  return db.select().from(partnerProfiles).where(inArray(partnerProfiles.organizationId, [...organizationIds]));
}

/** The partner profiles that carry this membership id (MPN-like; one organization may hold it in both programs). */
export async function profilesByMembershipId(db: Executor, membershipId: string): Promise<PartnerProfileRow[]> {
  return db.select().from(partnerProfiles).where(eq(partnerProfiles.membershipId, membershipId));
}
