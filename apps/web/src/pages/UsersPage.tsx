import {
  Badge,
  Body1,
  Body1Strong,
  Button,
  Caption1,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  tokens,
} from '@fluentui/react-components';
import { CopyRegular, DeleteRegular, PersonAddRegular, PersonAvailableRegular, PersonEditRegular, PersonProhibitedRegular, ShieldDismissRegular } from '@fluentui/react-icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { User } from '@tierlink/client';
import { agentRoles, directoryRoles, type Role } from '@tierlink/contract';
import { useId, useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FieldGroup } from '../components/forms.tsx';
import { useNotify } from '../components/notify.tsx';
import { Loading, PageHeader, Pager } from '../components/page.tsx';
import { fieldMessage, fieldProps, ProblemBar } from '../components/problems.tsx';
import { DataTable, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { usePaged } from '../components/usePaged.ts';
import { useI18n } from '../i18n/index.tsx';
import { meQuery, useMe } from '../session.ts';

const usersKey = ['users'] as const;

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  roles: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  role: { display: 'flex', flexDirection: 'column' },
  hint: { color: tokens.colorNeutralForeground2, paddingLeft: '32px' },
  secret: { fontFamily: tokens.fontFamilyMonospace },
  problem: { color: tokens.colorPaletteRedForeground1 },
});

/** Settings → User management (seed "Add a new user", "Assign user permissions"). */
export function UsersPage() {
  const { t } = useI18n();
  const { query, items, pager } = usePaged(usersKey, (cursor, signal) => api.listUsers({ query: { cursor }, signal }));
  return (
    <>
      <PageHeader title={t('nav.users')} description={t('users.description')} actions={<AddUser />} />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : (
        <DataTable label={t('nav.users')} columns={[t('column.name'), t('column.roles'), t('column.status'), t('column.mfa'), t('column.actions')]}>
          {items.map((user) => (
            <UserRow key={user.id} user={user} />
          ))}
        </DataTable>
      )}
      <Pager {...pager} />
    </>
  );
}

function RoleList({ roles }: { roles: readonly Role[] }) {
  const { t } = useI18n();
  if (roles.length === 0) return <Secondary>{t('users.noRoles')}</Secondary>;
  return <>{[...directoryRoles, ...agentRoles].filter((r) => roles.includes(r)).map((r) => t(`role.${r}`)).join(', ')}</>;
}

function UserRow({ user }: { user: User }) {
  const { t } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: usersKey });
    // Own roles shape the own navigation and permissions.
    if (user.id === me.user?.id) void queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
  };
  const enable = useMutation({
    mutationFn: () => api.updateUser({ id: user.id, body: { status: 'active' } }),
    onSuccess: () => {
      notify(t('users.enable.done', { name: user.displayName }));
      changed();
    },
  });
  const name = user.displayName;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>
          {name} {user.id === me.user?.id ? <Secondary>{t('users.you')}</Secondary> : null}
        </Body1Strong>
        <Secondary>{user.email}</Secondary>
      </TableCell>
      <TableCell>
        <RoleList roles={user.roles} />
      </TableCell>
      <TableCell>
        <Badge appearance="tint" shape="rounded" color={user.status === 'active' ? 'success' : 'subtle'}>
          {t(`userStatus.${user.status}`)}
        </Badge>
        {user.mustChangePassword ? <Caption1 block>{t('users.tempPasswordPending')}</Caption1> : null}
      </TableCell>
      <TableCell>{user.mfaEnrolled ? t('users.mfa.on') : <Secondary>{t('users.mfa.off')}</Secondary>}</TableCell>
      <TableCell>
        <RowActions>
          <EditRoles user={user} onDone={changed} />
          {user.status === 'active' ? (
            <ConfirmDialog
              trigger={
                <Button size="small" appearance="subtle" icon={<PersonProhibitedRegular />}>
                  {t('users.disable')}
                </Button>
              }
              title={t('users.disable.title', { name })}
              confirmLabel={t('users.disable')}
              action={() => api.updateUser({ id: user.id, body: { status: 'disabled' } })}
              onDone={() => {
                notify(t('users.disable.done', { name }));
                changed();
              }}
            >
              <Body1 as="p">{t('users.disable.text', { name })}</Body1>
            </ConfirmDialog>
          ) : (
            <Button size="small" appearance="subtle" icon={<PersonAvailableRegular />} disabled={enable.isPending} onClick={() => enable.mutate()}>
              {t('users.enable')}
            </Button>
          )}
          {user.mfaEnrolled ? (
            <ConfirmDialog
              trigger={
                <Button size="small" appearance="subtle" icon={<ShieldDismissRegular />}>
                  {t('users.resetMfa')}
                </Button>
              }
              title={t('users.resetMfa.title', { name })}
              confirmLabel={t('users.resetMfa')}
              action={() => api.resetUserMfa({ id: user.id })}
              onDone={() => {
                notify(t('users.resetMfa.done', { name }));
                changed();
              }}
            >
              <Body1 as="p">{t('users.resetMfa.text', { name })}</Body1>
            </ConfirmDialog>
          ) : null}
          <ConfirmDialog
            trigger={
              <Button size="small" appearance="subtle" icon={<DeleteRegular />}>
                {t('users.delete')}
              </Button>
            }
            title={t('users.delete.title', { name })}
            confirmLabel={t('users.delete')}
            action={() => api.deleteUser({ id: user.id })}
            onDone={() => {
              notify(t('users.delete.done', { name }));
              changed();
            }}
          >
            <Body1 as="p">{t('users.delete.text', { name })}</Body1>
          </ConfirmDialog>
        </RowActions>
        <ProblemBar error={enable.error} />
      </TableCell>
    </TableRow>
  );
}

/**
 * Agent and admin roles as checkboxes, each with what it allows. Agent roles act for a partner
 * towards its customers, so they are offered in partner organizations (and kept where a user has one).
 * No Fluent Field around them: a Field gives its one id to every control inside it.
 */
function RolePicker({ value, onChange, error }: { value: Role[]; onChange(roles: Role[]): void; error: unknown }) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const id = useId();
  const problem = fieldMessage(t, error, 'roles');
  const showAgents = me.organization.kind === 'partner' || value.some((r) => agentRoles.some((a) => a === r));
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
      {problem === undefined ? null : (
        <Body1 id={`${id}-problem`} className={styles.problem}>
          {problem}
        </Body1>
      )}
    </div>
  );
}

/** "Add user": full name, a unique email, roles; the answer's temporary password is shown once. */
function AddUser() {
  const styles = useStyles();
  const { t } = useI18n();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const add = useMutation({
    mutationFn: () => api.addUser({ body: { displayName, email, roles } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: usersKey }),
  });
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) {
      // Closing forgets the temporary password for good.
      add.reset();
      setDisplayName('');
      setEmail('');
      setRoles([]);
    }
  };
  const added = add.data;
  const copy = async () => {
    if (added === undefined) return;
    try {
      await navigator.clipboard.writeText(`${t('users.userName')}: ${added.user.email}\n${t('users.tempPassword')}: ${added.temporaryPassword}`);
      notify(t('users.copied'));
    } catch {
      notify(t('users.copyFailed'));
    }
  };
  const e = add.error;
  return (
    <Dialog open={open} onOpenChange={(_e, d) => change(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary" icon={<PersonAddRegular />}>
          {t('users.add')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        {added === undefined ? (
          <form
            noValidate
            onSubmit={(ev) => {
              ev.preventDefault();
              add.mutate();
            }}
          >
            <DialogBody>
              <DialogTitle>{t('users.add')}</DialogTitle>
              <DialogContent className={styles.form}>
                <Body1 as="p">{t('users.add.text')}</Body1>
                <Field label={t('field.fullName')} required {...fieldProps(t, e, 'displayName')}>
                  <Input autoComplete="off" value={displayName} onChange={(_e, d) => setDisplayName(d.value)} />
                </Field>
                <Field label={t('field.email')} hint={t('users.email.hint')} required {...fieldProps(t, e, 'email')}>
                  <Input type="email" autoComplete="off" value={email} onChange={(_e, d) => setEmail(d.value)} />
                </Field>
                <RolePicker value={roles} onChange={setRoles} error={e} />
                <ProblemBar error={e} fields={['displayName', 'email', 'roles']} />
              </DialogContent>
              <DialogActions>
                <Button appearance="primary" type="submit" disabled={add.isPending}>
                  {t('users.add.submit')}
                </Button>
                <DialogTrigger disableButtonEnhancement>
                  <Button>{t('common.cancel')}</Button>
                </DialogTrigger>
              </DialogActions>
            </DialogBody>
          </form>
        ) : (
          <DialogBody>
            <DialogTitle>{t('users.added.title', { name: added.user.displayName })}</DialogTitle>
            <DialogContent className={styles.form}>
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>{t('users.added.once')}</MessageBarTitle>
                  {t('users.added.text')}
                </MessageBarBody>
              </MessageBar>
              <Field label={t('users.userName')}>
                <Input readOnly value={added.user.email} />
              </Field>
              <Field label={t('users.tempPassword')}>
                <Input readOnly className={styles.secret} value={added.temporaryPassword} />
              </Field>
              <Body1 as="p">
                <Body1Strong>{t('column.roles')}:</Body1Strong> <RoleList roles={added.user.roles} />
              </Body1>
            </DialogContent>
            <DialogActions>
              <Button icon={<CopyRegular />} onClick={() => void copy()}>
                {t('users.copy')}
              </Button>
              <Button appearance="primary" onClick={() => change(false)}>
                {t('users.done')}
              </Button>
            </DialogActions>
          </DialogBody>
        )}
      </DialogSurface>
    </Dialog>
  );
}

/** Seed "Assign user permissions": the user's roles, checked and unchecked, then Update. */
function EditRoles({ user, onDone }: { user: User; onDone(): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const update = useMutation({
    mutationFn: () => api.updateUser({ id: user.id, body: { roles } }),
    onSuccess: () => {
      setOpen(false);
      notify(t('users.editRoles.done', { name: user.displayName }));
      onDone();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(_e, d) => {
        setOpen(d.open);
        // Each opening starts from the user's current roles.
        setRoles(user.roles);
        update.reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" appearance="subtle" icon={<PersonEditRegular />}>
          {t('users.editRoles')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
            update.mutate();
          }}
        >
          <DialogBody>
            <DialogTitle>{t('users.editRoles.title', { name: user.displayName })}</DialogTitle>
            <DialogContent className={styles.form}>
              <RolePicker value={roles} onChange={setRoles} error={update.error} />
              <ProblemBar error={update.error} fields={['roles']} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={update.isPending}>
                {t('users.editRoles.submit')}
              </Button>
              <DialogTrigger disableButtonEnhancement>
                <Button>{t('common.cancel')}</Button>
              </DialogTrigger>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
