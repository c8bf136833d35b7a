import { Body1, Caption1, Checkbox, makeStyles, tokens } from '@fluentui/react-components';
import { agentRoles, customerRoles, directoryRoles, type Role } from '@tierlink/contract';
import { useId } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../session.ts';
import { FieldGroup } from './forms.tsx';
import { Secondary } from './table.tsx';

const useStyles = makeStyles({
  roles: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  role: { display: 'flex', flexDirection: 'column' },
  hint: { color: tokens.colorNeutralForeground2, paddingLeft: '32px' },
  problem: { color: tokens.colorPaletteRedForeground1 },
});

/** Roles in the portal's order, by name: "Global admin, Admin agent". */
export function RoleList({ roles }: { roles: readonly Role[] }) {
  const { t } = useI18n();
  if (roles.length === 0) return <Secondary>{t('users.noRoles')}</Secondary>;
  return <>{[...directoryRoles, ...agentRoles, ...customerRoles].filter((r) => roles.includes(r)).map((r) => t(`role.${r}`)).join(', ')}</>;
}

/**
 * Agent, admin and customer roles as checkboxes, each with what it allows. Agent roles act for a
 * partner towards its customers, so they are offered in partner organizations; the delegated admin
 * approver in customer organizations (each kept where a user has one).
 * No Fluent Field around them: a Field gives its one id to every control inside it.
 */
export function RolePicker({ value, onChange, problem }: { value: Role[]; onChange(roles: Role[]): void; /** The roles' problem, from the form's check or the API. */ problem: string | undefined }) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const id = useId();
  const showAgents = me.organization.kind === 'partner' || value.some((r) => agentRoles.some((a) => a === r));
  // Customer roles (the delegated admin approver) decide on partners' access to a customer organization.
  const showCustomer = me.organization.kind === 'customer' || value.some((r) => customerRoles.some((c) => c === r));
  const box = (role: Role) => (
    <div key={role} className={styles.role}>
      <Checkbox
        label={t(`role.${role}`)}
        checked={value.includes(role)}
        aria-describedby={problem === undefined ? `${id}-${role}` : `${id}-${role} ${id}-problem`}
        onChange={(_e, d) => onChange(d.checked === true ? [...value, role] : value.filter((r) => r !== role))}
      />
      <Caption1 id={`${id}-${role}`} className={styles.hint}>
        {t(`role.${role}.hint`)}
      </Caption1>
    </div>
  );
  return (
    <div className={styles.roles}>
      {showAgents ? <FieldGroup legend={t('users.agentRoles')}>{agentRoles.map(box)}</FieldGroup> : null}
      <FieldGroup legend={t('users.adminRoles')}>{directoryRoles.map(box)}</FieldGroup>
      {showCustomer ? <FieldGroup legend={t('users.customerRoles')}>{customerRoles.map(box)}</FieldGroup> : null}
      {problem === undefined ? null : (
        <Body1 id={`${id}-problem`} className={styles.problem}>
          {problem}
        </Body1>
      )}
    </div>
  );
}
