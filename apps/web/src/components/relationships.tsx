import { Badge, Body1, Button, Caption1, Checkbox, makeStyles, tokens } from '@fluentui/react-components';
import { ShieldDismissRegular } from '@fluentui/react-icons';
import type { DelegatedAdminRelationship } from '@tierlink/client';
import { delegatedRoles, durationDays, type DelegatedRole, type RelationshipState } from '@tierlink/contract';
import { useId } from 'react';
import { api } from '../api.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { FieldGroup } from './forms.tsx';
import { DelegatedRoles } from './grants.tsx';
import { RouterLink } from './links.tsx';
import { rowButton } from './table.tsx';

const useStyles = makeStyles({
  line: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  role: { display: 'flex', flexDirection: 'column' },
  hint: { color: tokens.colorNeutralForeground2, paddingLeft: '32px' },
  problem: { color: tokens.colorPaletteRedForeground1 },
  allows: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

const stateColor: Record<RelationshipState, 'success' | 'warning' | 'informative' | 'subtle' | 'danger'> = {
  created: 'subtle',
  approval_pending: 'informative',
  active: 'success',
  expiring: 'warning',
  expired: 'subtle',
  rejected: 'danger',
  lapsed: 'subtle',
  terminated: 'subtle',
};

export function RelationshipStateBadge({ state }: { state: RelationshipState }) {
  const { t } = useI18n();
  return (
    <Badge appearance="filled" color={stateColor[state]} shape="rounded">
      {t(`relationshipStatus.${state}`)}
    </Badge>
  );
}

/** A relationship's name, or what names it when the seed's invitation created it without one. */
export function relationshipName(r: DelegatedAdminRelationship, t: Translate): string {
  return r.displayName ?? t('dar.unnamed', { partner: r.partner.name });
}

/** The relationship's name, linking to its page. */
export function RelationshipLink({ relationship: r }: { relationship: DelegatedAdminRelationship }) {
  const { t } = useI18n();
  return (
    <RouterLink to="/delegated-admin/$id" params={{ id: r.id }}>
      {relationshipName(r, t)}
    </RouterLink>
  );
}

/** "30 days", "no end" (a relationship an invitation created without a duration). */
export function durationText(t: Translate, duration: string | null): string {
  return duration === null ? t('dar.noEnd') : t('dar.days', { count: durationDays(duration) });
}

/**
 * When a relationship ends, as its state tells it: "until 1 Jan 2027", "renews itself on …",
 * "terminated on …", "expired on …"; before approval, how long it will last once approved.
 */
export function relationshipEnd(r: DelegatedAdminRelationship, t: Translate, date: (iso: string) => string): string {
  if (r.state === 'terminated' && r.terminatedAt !== null) return t('dar.terminatedOn', { date: date(r.terminatedAt) });
  if (r.state === 'expired' && r.endsAt !== null) return t('dar.expiredOn', { date: date(r.endsAt) });
  if (r.endsAt === null) return r.state === 'active' || r.duration === null ? t('grant.noEnd') : t('dar.lasts', { duration: durationText(t, r.duration) });
  if (r.autoExtendDuration !== 'P0D' && (r.state === 'active' || r.state === 'expiring')) return t('dar.renewsOn', { date: date(r.endsAt) });
  return t('grant.until', { date: date(r.endsAt) });
}

/** "Active · Manage users · until 1 Jan 2027" in one compact line. */
export function RelationshipSummary({ relationship: r }: { relationship: DelegatedAdminRelationship }) {
  const styles = useStyles();
  const { t, date } = useI18n();
  return (
    <span className={styles.line}>
      <RelationshipStateBadge state={r.state} />
      <Caption1>
        {r.roles.map((role) => t(`delegatedRole.${role}`)).join(', ')} · {relationshipEnd(r, t, date)}
      </Caption1>
    </span>
  );
}

/** Roles with what each allows, as a list (the approval page: what the customer is asked for). */
export function RolesWithAllows({ roles }: { roles: readonly DelegatedRole[] }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <ul className={styles.allows}>
      {roles.map((role) => (
        <li key={role}>
          <DelegatedRoles roles={[role]} /> <Body1>{t(`delegatedRole.${role}.allows`)}</Body1>
        </li>
      ))}
    </ul>
  );
}

/**
 * The delegated roles as checkboxes, each with what it allows (the contract's role table, in the
 * portal's language). No Fluent Field around them: a Field gives its one id to every control.
 */
export function DelegatedRolePicker({ value, onChange, problem }: { value: readonly DelegatedRole[]; onChange(roles: DelegatedRole[]): void; problem: string | undefined }) {
  const styles = useStyles();
  const { t } = useI18n();
  const id = useId();
  return (
    <FieldGroup legend={t('dar.roles')}>
      {delegatedRoles.map((role) => (
        <div key={role} className={styles.role}>
          <Checkbox
            label={t(`delegatedRole.${role}`)}
            checked={value.includes(role)}
            aria-describedby={problem === undefined ? `${id}-${role}` : `${id}-${role} ${id}-problem`}
            onChange={(_e, d) => onChange(d.checked === true ? delegatedRoles.filter((r) => r === role || value.includes(r)) : value.filter((r) => r !== role))}
          />
          <Caption1 id={`${id}-${role}`} className={styles.hint}>
            {t(`delegatedRole.${role}.allows`)}
          </Caption1>
        </div>
      ))}
      {problem === undefined ? null : (
        <Body1 id={`${id}-problem`} className={styles.problem}>
          {problem}
        </Body1>
      )}
    </FieldGroup>
  );
}

/** Terminate (either side) or reject (the customer), behind a confirmation. */
export function TerminateRelationship({ relationship: r, action, compact = false }: { relationship: DelegatedAdminRelationship; action: 'terminate' | 'reject'; /** A table row's small button. */ compact?: boolean }) {
  const { t } = useI18n();
  const label = t(`dar.action.${action}`);
  return (
    <ConfirmDialog
      trigger={compact ? rowButton(<ShieldDismissRegular />, label) : <Button icon={<ShieldDismissRegular />}>{label}</Button>}
      title={t(`dar.action.${action}.title`, { partner: r.partner.name, customer: r.customer.name })}
      confirmLabel={t(`dar.action.${action}`)}
      action={() => api.requestDelegatedAdminTransition({ id: r.id, body: { action } })}
      notice={() => t(`dar.action.${action}.done`)}
      // The customer page and the partners list show the relationship too (as grants).
      invalidates={[queryKeys.delegatedAdmin.all, queryKeys.customer.all(r.customer.id), queryKeys.customerPartners.all]}
    >
      <Body1 as="p">{t(`dar.action.${action}.text`, { partner: r.partner.name, customer: r.customer.name })}</Body1>
    </ConfirmDialog>
  );
}
