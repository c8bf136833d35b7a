import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { getCredit, type CreditView } from './get-credit.ts';

/**
 * The credit lines of several partners at once (one page of Indirect resellers or providers), in
 * the order asked; `side` is the caller's. An id that is not an active partner of the caller is
 * left out, as a list leaves out what the caller may not see.
 */
export async function listCredit(ctx: UseCaseContext, side: 'provider' | 'reseller', otherIds: readonly string[]): Promise<CreditView[]> {
  const lines: CreditView[] = [];
  for (const otherId of new Set(otherIds.map((id) => id.toLowerCase()))) {
    try {
      lines.push(await getCredit(ctx, side, otherId));
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') continue;
      throw error;
    }
  }
  return lines;
}
