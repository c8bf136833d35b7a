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

/** "Active · Manage users, Assign licenses · until 1 Jan 2027" in one compact line. */
export function GrantSummary({ grant }: { grant: DelegatedAdminGrant }) {
  const styles = useStyles();
  const { t, date } = useI18n();
  const roles = grant.roles.map((r) => t(`delegatedRole.${r}`)).join(', ');
  const until = grant.endsAt === null ? t('grant.noEnd') : t('grant.until', { date: date(grant.endsAt) });
  return (
    <span className={styles.roles}>
      <GrantState state={grant.state} />
      <Caption1>
        {roles} · {until}
      </Caption1>
    </span>
  );
}
