import type { Organization, User } from '@tierlink/contract';
import type { OrganizationRow, ProfileRow, UserRow } from './identity.queries.ts';
import type { ApiKeyRow } from './identity.repository.ts';
import type { CsvCell } from '../../platform/http/csv-response.ts';
import type { Role } from '@tierlink/contract';

export function presentOrganization(row: OrganizationRow, profiles: readonly ProfileRow[]): Organization {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    country: row.country,
    kind: row.kind,
    programs: profiles.map((p) => ({ program: p.program, state: p.state, membershipId: p.membershipId })),
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    organizationId: row.organizationId,
    displayName: row.displayName,
    email: row.email,
    roles: row.roles as Role[],
    status: row.status,
    mustChangePassword: row.mustChangePassword,
    mfaEnrolled: row.mfaEnrolledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    roles: row.roles as Role[],
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** The users CSV export's columns, in order. */
export const userCsvColumns = ['user_id', 'display_name', 'email', 'roles', 'status', 'mfa_enrolled', 'must_change_password', 'created_at'] as const;

/** One user as a CSV row (roles joined by spaces). */
export function userCsvCells(row: UserRow): CsvCell[] {
  return [row.id, row.displayName, row.email, row.roles.join(' '), row.status, row.mfaEnrolledAt !== null, row.mustChangePassword, row.createdAt.toISOString()];
}
