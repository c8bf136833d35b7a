import { managesAdmins, reminderDays, type DelegatedRole } from '@tierlink/contract';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { approvalLapseMs, endOf, extendAheadMs } from './delegated-admin.policy.ts';
import { expireDelegatedAdmin } from './expire-delegated-admin.ts';
import { notifyParties, recordTransition } from './relationship-notices.ts';
import { dueForReminder, dueToExtend, dueToLapse, updateRelationship } from './relationships.repository.ts';

export interface SweepResult {
  extended: number;
  expired: number;
  lapsed: number;
  reminded: number;
}

const autoExtendDays = 180;

/**
 * The worker's pass over delegated admin relationships, in one transaction (rows another sweeper
 * holds are skipped): auto-extends those about to end by 180 days (an hour ahead, so the sweep's
 * period never opens a gap; never a role that manages admins), expires the others on time, lapses
 * requests unanswered for 90 days, and reminds both sides 30, 7 and 1 days before the end — one
 * reminder per threshold and end (`reminded_days`), the first of them marking it expiring.
 */
export async function sweepDelegatedAdmin(ctx: AnonymousContext, batch = 200): Promise<SweepResult> {
  const now = ctx.clock.now();
  const result: SweepResult = { extended: 0, expired: 0, lapsed: 0, reminded: 0 };

  for (const row of await dueToExtend(ctx.tx, new Date(now.getTime() + extendAheadMs), batch)) {
    if (row.endsAt === null) continue;
    // Refused when created or amended; should one exist anyway, it expires instead of extending.
    if (managesAdmins(row.roles as DelegatedRole[])) {
      await updateRelationship(ctx.tx, row.id, { autoExtendDuration: 'P0D' });
      continue;
    }
    const endsAt = endOf(row.endsAt, autoExtendDays);
    const updated = await updateRelationship(ctx.tx, row.id, { endsAt, remindedDays: null, updatedAt: now });
    await recordTransition(ctx, 'delegated_admin.extended', updated, { endsAt: row.endsAt.toISOString() }, { endsAt: endsAt.toISOString(), by: 'P180D' });
    await notifyParties(ctx, updated, { subject: 'Delegated admin access extended', text: 'The relationship below extended itself by 180 days, as it was set to.' });
    result.extended += 1;
  }

  result.expired = await expireDelegatedAdmin(ctx, batch);

  for (const row of await dueToLapse(ctx.tx, new Date(now.getTime() - approvalLapseMs), batch)) {
    const updated = await updateRelationship(ctx.tx, row.id, { state: 'lapsed', updatedAt: now });
    await recordTransition(ctx, 'delegated_admin.lapsed', updated, { state: 'approval_pending' }, { state: 'lapsed' });
    await notifyParties(ctx, updated, { subject: 'Delegated admin request lapsed', text: 'The request below was not answered within 90 days and lapsed; the partner may send a new one.' });
    result.lapsed += 1;
  }

  // Nearest threshold first: a relationship already within 1 day gets that reminder only.
  for (const days of [...reminderDays].sort((a, b) => a - b)) {
    for (const row of await dueForReminder(ctx.tx, now, endOf(now, days), days, batch)) {
      const updated = await updateRelationship(ctx.tx, row.id, { remindedDays: days });
      if (row.remindedDays === null) {
        await recordTransition(ctx, 'delegated_admin.expiring', updated, { state: 'active' }, { state: 'expiring', endsAt: row.endsAt?.toISOString() ?? null });
      }
      await notifyParties(ctx, updated, {
        subject: `Delegated admin access ends in ${days === 1 ? 'a day' : `${days} days`}`,
        text: `The relationship below ends within ${days === 1 ? 'a day' : `${days} days`}. To keep it, the partner proposes a longer duration and the customer approves it; otherwise access ends on its own.`,
      });
      result.reminded += 1;
    }
  }
  return result;
}
