import { RegisterMembershipBody } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { parseCsvRows } from '../../platform/csv.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { AccountRow, MembershipRow } from './enrollment.repository.ts';
import { registerMembership } from './register-membership.ts';

const csvColumns: Record<string, string> = {
  membership_id: 'membershipId',
  legal_name: 'legalName',
  country: 'country',
  account_email: 'accountEmail',
  account_password: 'accountPassword',
};

/** At most this many rows per upload: every row hashes or checks a password (argon2id). */
export const maxMembershipImportRows = 1000;

export function parseMembershipCsv(text: string): RegisterMembershipBody[] {
  return parseCsvRows(text, csvColumns, RegisterMembershipBody, maxMembershipImportRows);
}

/**
 * Registers many memberships at once, with the rules of one registration per row; all rows commit
 * together or none does, and the error names the row at fault.
 */
export async function importMemberships(
  ctx: UseCaseContext,
  rows: readonly RegisterMembershipBody[],
): Promise<{ membership: MembershipRow; account: AccountRow }[]> {
  const seen = new Set<string>();
  const registered: { membership: MembershipRow; account: AccountRow }[] = [];
  for (const [index, row] of rows.entries()) {
    if (seen.has(row.membershipId)) {
      throw new AppError('validation_failed', `Row ${index + 1}: membership ${row.membershipId} appears twice.`, `items.${index}.membershipId`);
    }
    seen.add(row.membershipId);
    try {
      registered.push(await registerMembership(ctx, row));
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, `Row ${index + 1}: ${error.message}`, `items.${index}.${error.field ?? 'membershipId'}`);
      throw error;
    }
  }
  return registered;
}
