import { Body1, Button, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkRegular, DismissRegular } from '@fluentui/react-icons';
import { useMutation } from '@tanstack/react-query';
import type { DelegatedAdminAmendment, DelegatedAdminRelationship } from '@tierlink/client';
import type { DelegatedRole } from '@tierlink/contract';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { useNotify } from './notify.tsx';
import { ProblemBar } from './problems.tsx';
import { durationText } from './relationships.tsx';

const useStyles = makeStyles({
  delta: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground2 },
  dd: { margin: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalS },
});

/** The terms an amendment changes, before → after; what it leaves alone is not shown. */
export interface Terms {
  roles: readonly DelegatedRole[];
  duration: string | null;
}

/** "Roles: Manage users → Manage users, Assign licenses", "Duration: 30 days → 90 days". */
export function TermsDelta({ before, after }: { before: Terms; after: Terms }) {
  const styles = useStyles();
  const { t } = useI18n();
  const roles = (r: readonly DelegatedRole[]) => r.map((role) => t(`delegatedRole.${role}`)).join(', ');
  const sameRoles = before.roles.length === after.roles.length && before.roles.every((r) => after.roles.includes(r));
  return (
    <dl className={styles.delta}>
      {sameRoles ? null : (
        <>
          <dt className={styles.term}>{t('dar.roles')}</dt>
          <dd className={styles.dd}>{t('dar.beforeAfter', { before: roles(before.roles), after: roles(after.roles) })}</dd>
        </>
      )}
      {before.duration === after.duration ? null : (
        <>
          <dt className={styles.term}>{t('dar.duration')}</dt>
          <dd className={styles.dd}>{t('dar.beforeAfter', { before: durationText(t, before.duration), after: durationText(t, after.duration) })}</dd>
        </>
      )}
    </dl>
  );
}

/** A pending amendment against the terms in force. */
export function AmendmentDelta({ relationship: r, amendment: a }: { relationship: DelegatedAdminRelationship; amendment: DelegatedAdminAmendment }) {
  return <TermsDelta before={r} after={{ roles: a.roles ?? r.roles, duration: a.duration ?? r.duration }} />;
}

export interface AmendmentOutcome {
  decision: 'approve' | 'reject';
  before: Terms;
  relationship: DelegatedAdminRelationship;
}

/** Approve / Reject of a pending amendment (customer: global admin or delegated admin approver). */
export function AmendmentDecision({ relationship, amendment, onDecided }: { relationship: DelegatedAdminRelationship; amendment: DelegatedAdminAmendment; onDecided?(outcome: AmendmentOutcome): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const notify = useNotify();
  const invalidate = useInvalidate();
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      decision === 'approve'
        ? api.approveDelegatedAdminAmendment({ id: relationship.id, amendmentId: amendment.id })
        : api.rejectDelegatedAdminAmendment({ id: relationship.id, amendmentId: amendment.id }),
    onSuccess: async (result, decision) => {
      notify(decision === 'approve' ? t('dar.amendment.approved') : t('dar.amendment.rejected'));
      onDecided?.({ decision, before: { roles: relationship.roles, duration: relationship.duration }, relationship: result.relationship });
      await invalidate(queryKeys.delegatedAdmin.all);
    },
  });
  return (
    <>
      <div className={styles.actions}>
        <Button appearance="primary" icon={<CheckmarkRegular />} disabled={decide.isPending} onClick={() => decide.mutate('approve')}>
          {t('dar.amendment.approve')}
        </Button>
        <Button icon={<DismissRegular />} disabled={decide.isPending} onClick={() => decide.mutate('reject')}>
          {t('dar.amendment.reject')}
        </Button>
      </div>
      <ProblemBar error={decide.error} />
    </>
  );
}

/** What the customer decided, and the terms before → after (after an approval). */
export function AmendmentDone({ outcome }: { outcome: AmendmentOutcome }) {
  const { t } = useI18n();
  return (
    <>
      <Body1 as="p">{outcome.decision === 'approve' ? t('dar.amendment.approvedText') : t('dar.amendment.rejectedText')}</Body1>
      {outcome.decision === 'approve' ? <TermsDelta before={outcome.before} after={outcome.relationship} /> : null}
    </>
  );
}
