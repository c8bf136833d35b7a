import { Badge, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { DelegatedAdminGrant } from '@tierlink/client';
import type { DelegatedRole } from '@tierlink/contract';
import { useI18n } from '../i18n/index.tsx';

const useStyles = makeStyles({
  roles: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
});

export function DelegatedRoles({ roles }: { roles: readonly DelegatedRole[] }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <span className={styles.roles}>
      {roles.map((role) => (
        <Badge key={role} appearance="tint" color="informative" shape="rounded">
          {t(`delegatedRole.${role}`)}
        </Badge>
      ))}
    </span>
  );
}

export function GrantState({ state }: { state: DelegatedAdminGrant['state'] }) {
  const { t } = useI18n();
  const color = state === 'active' ? 'success' : state === 'expired' ? 'warning' : 'subtle';
  return (
    <Badge appearance="filled" color={color} shape="rounded">
      {t(`grantState.${state}`)}
    </Badge>
  );
}

/**
 * When a grant ends: "until 1 Jan 2027", "until revoked"; a closed grant says when it closed
 * ("revoked on 3 Dec 2026"), not how long it would have lasted.
 */
export function grantEnd(grant: DelegatedAdminGrant, t: ReturnType<typeof useI18n>['t'], date: (iso: string) => string): string {
  if (grant.state === 'revoked' && grant.revokedAt !== null) return t('grant.revokedOn', { date: date(grant.revokedAt) });
  if (grant.state === 'expired' && grant.endsAt !== null) return t('grant.expiredOn', { date: date(grant.endsAt) });
  return grant.endsAt === null ? t('grant.noEnd') : t('grant.until', { date: date(grant.endsAt) });
}

/** "Active · Manage users, Assign licenses · until 1 Jan 2027" ("Revoked · … · revoked on 3 Dec 2026") in one compact line. */
export function GrantSummary({ grant }: { grant: DelegatedAdminGrant }) {
  const styles = useStyles();
  const { t, date } = useI18n();
  const roles = grant.roles.map((r) => t(`delegatedRole.${r}`)).join(', ');
  const until = grantEnd(grant, t, date);
  return (
    <span className={styles.roles}>
      <GrantState state={grant.state} />
      <Caption1>
        {roles} · {until}
      </Caption1>
    </span>
  );
}
