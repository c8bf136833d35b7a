import {
  Badge,
  Body1,
  Body1Strong,
  Button,
  Caption1,
  Field,
  Input,
} from '@fluentui/react-components';
import { DeleteRegular, PersonAddRegular, PersonAvailableRegular, PersonEditRegular, PersonProhibitedRegular, ShieldDismissRegular } from '@fluentui/react-icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { User } from '@tierlink/client';
import type { Role } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/FormDialog.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useNotify } from '../components/notify.tsx';
import { Loading, PageHeader, Pager } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { RoleList, RolePicker } from '../components/roles.tsx';
import { CopyButton, ShownOnce } from '../components/ShownOnce.tsx';
import { DataTable, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { usePaged } from '../components/usePaged.ts';
import { useI18n } from '../i18n/index.tsx';
import { meQuery, useMe } from '../session.ts';

const usersKey = ['users'] as const;

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

/** "Add user": full name, a unique email, roles; the answer's temporary password is shown once. */
function AddUser() {
  const { t } = useI18n();
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
  const e = add.error;
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<PersonAddRegular />}>
          {t('users.add')}
        </Button>
      }
      open={open}
      onOpenChange={change}
      title={t('users.add')}
      submitLabel={t('users.add.submit')}
      onSubmit={() => add.mutate()}
      busy={add.isPending}
      done={
        added === undefined
          ? undefined
          : {
              title: t('users.added.title', { name: added.user.displayName }),
              content: (
                <ShownOnce
                  text={t('users.added.text')}
                  fields={[
                    { label: t('users.userName'), value: added.user.email },
                    { label: t('users.tempPassword'), value: added.temporaryPassword, secret: true },
                  ]}
                  roles={added.user.roles}
                />
              ),
              actions: (
                <>
                  <CopyButton
                    label={t('users.copy')}
                    text={`${t('users.userName')}: ${added.user.email}\n${t('users.tempPassword')}: ${added.temporaryPassword}`}
                    copied={t('users.copied')}
                    failed={t('users.copyFailed')}
                  />
                  <Button appearance="primary" onClick={() => change(false)}>
                    {t('users.done')}
                  </Button>
                </>
              ),
            }
      }
    >
      <Body1 as="p">{t('users.add.text')}</Body1>
      <Field label={t('field.fullName')} required {...fieldProps(t, e, 'displayName')}>
        <Input autoComplete="off" value={displayName} onChange={(_e, d) => setDisplayName(d.value)} />
      </Field>
      <Field label={t('field.email')} hint={t('users.email.hint')} required {...fieldProps(t, e, 'email')}>
        <Input type="email" autoComplete="off" value={email} onChange={(_e, d) => setEmail(d.value)} />
      </Field>
      <RolePicker value={roles} onChange={setRoles} error={e} />
      <ProblemBar error={e} fields={['displayName', 'email', 'roles']} />
    </FormDialog>
  );
}

/** Seed "Assign user permissions": the user's roles, checked and unchecked, then Update. */
function EditRoles({ user, onDone }: { user: User; onDone(): void }) {
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
    <FormDialog
      trigger={
        <Button size="small" appearance="subtle" icon={<PersonEditRegular />}>
          {t('users.editRoles')}
        </Button>
      }
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        // Each opening starts from the user's current roles.
        setRoles(user.roles);
        update.reset();
      }}
      title={t('users.editRoles.title', { name: user.displayName })}
      submitLabel={t('users.editRoles.submit')}
      onSubmit={() => update.mutate()}
      busy={update.isPending}
    >
      <RolePicker value={roles} onChange={setRoles} error={update.error} />
      <ProblemBar error={update.error} fields={['roles']} />
    </FormDialog>
  );
}
