import {
  Badge,
  Body1,
  Body1Strong,
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  SearchBox,
} from '@fluentui/react-components';
import { DeleteRegular, PersonAddRegular, PersonAvailableRegular, PersonEditRegular, PersonProhibitedRegular, ShieldDismissRegular } from '@fluentui/react-icons';
import { useMutation } from '@tanstack/react-query';
import type { User } from '@tierlink/client';
import { AddUserBody, type Role, type SortOrder, type UserSort } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/FormDialog.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useNotify } from '../components/notify.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { RoleList, RolePicker } from '../components/roles.tsx';
import { CopyButton, ShownOnce } from '../components/ShownOnce.tsx';
import { DataTable, Nowrap, RowActions, rowButton, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useFormDialog } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { userQuery, useUsers } from '../queries/organization.ts';
import { useMe } from '../session.ts';

const useStyles = makeStyles({ search: { minWidth: '280px' } });

/** Names and emails start A→Z; "created" starts with the newest user. */
const naturalOrder = (by: UserSort): SortOrder => (by === 'created' ? 'desc' : 'asc');

/**
 * Settings → User management (seed "Add a new user", "Assign user permissions"): sorted (name,
 * email, created), searched (name or email prefix), counted, paged and exported by the server.
 */
export function UsersPage() {
  const { t, date } = useI18n();
  const styles = useStyles();
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [limit, setLimit] = useState(defaultPageSize);
  const { sort, column } = useListSort<UserSort>({ by: 'name', order: 'asc' }, naturalOrder);
  const view = { search, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = useUsers(view);
  return (
    <>
      <PageHeader
        title={t('nav.users')}
        description={t('users.description')}
        actions={
          <>
            <AddUser />
            <DownloadCsv href={`/api/v1/users/export${searchOf(userQuery(view))}`} filename="users.csv" title={t('users.export.label')} />
          </>
        }
      />
      <ListControls label={t('list.filters')}>
        <Field label={t('users.search')} className={styles.search}>
          <SearchBox value={text} onChange={(_e, d) => setText(d.value)} />
        </Field>
        <PageSizeSelect value={limit} onChange={setLimit} />
      </ListControls>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('users.noMatch', { search })} />
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="users.count" more="users.countMore" />
          <DataTable
            label={t('nav.users')}
            columns={[
              column(t('column.name'), 'name'),
              column(t('column.email'), 'email'),
              t('column.roles'),
              t('column.status'),
              t('column.mfa'),
              column(t('column.created'), 'created'),
              t('column.actions'),
            ]}
          >
            {items.map((user) => (
              <UserRow key={user.id} user={user} added={date(user.createdAt)} />
            ))}
          </DataTable>
        </>
      )}
      <Pager {...pager} />
    </>
  );
}

function UserRow({ user, added }: { user: User; added: string }) {
  const { t } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const invalidate = useInvalidate();
  // Own roles shape the own navigation and permissions.
  const changed = () => void invalidate(queryKeys.users.all, ...(user.id === me.user?.id ? [queryKeys.me] : []));
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
      </TableCell>
      <TableCell>{user.email}</TableCell>
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
        <Nowrap>{added}</Nowrap>
      </TableCell>
      <TableCell>
        <RowActions>
          <EditRoles user={user} onDone={changed} />
          {user.status === 'active' ? (
            <ConfirmDialog
              trigger={rowButton(<PersonProhibitedRegular />, t('users.disable'))}
              title={t('users.disable.title', { name })}
              confirmLabel={t('users.disable')}
              action={() => api.updateUser({ id: user.id, body: { status: 'disabled' } })}
              notice={() => t('users.disable.done', { name })}
              onDone={changed}
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
              trigger={rowButton(<ShieldDismissRegular />, t('users.resetMfa'))}
              title={t('users.resetMfa.title', { name })}
              confirmLabel={t('users.resetMfa')}
              action={() => api.resetUserMfa({ id: user.id })}
              notice={() => t('users.resetMfa.done', { name })}
              onDone={changed}
            >
              <Body1 as="p">{t('users.resetMfa.text', { name })}</Body1>
            </ConfirmDialog>
          ) : null}
          <ConfirmDialog
            trigger={rowButton(<DeleteRegular />, t('users.delete'))}
            title={t('users.delete.title', { name })}
            confirmLabel={t('users.delete')}
            action={() => api.deleteUser({ id: user.id })}
            notice={() => t('users.delete.done', { name })}
            onDone={changed}
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
  const add = useFormDialog({
    initial: () => ({ displayName: '', email: '', roles: [] as Role[] }),
    schema: AddUserBody,
    action: (body) => api.addUser({ body }),
    invalidates: () => [queryKeys.users.all],
    // Closing (which starts the values again) forgets the temporary password for good.
    stayOpen: true,
  });
  const added = add.result;
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<PersonAddRegular />}>
          {t('users.add')}
        </Button>
      }
      {...add.dialog}
      title={t('users.add')}
      submitLabel={t('users.add.submit')}
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
                  <Button appearance="primary" onClick={() => add.setOpen(false)}>
                    {t('users.done')}
                  </Button>
                </>
              ),
            }
      }
    >
      <Body1 as="p">{t('users.add.text')}</Body1>
      <Field label={t('field.fullName')} required {...add.field('displayName')}>
        <Input autoComplete="off" value={add.values.displayName} onChange={(_e, d) => add.set('displayName', d.value)} />
      </Field>
      <Field label={t('field.email')} hint={t('users.email.hint')} required {...add.field('email')}>
        <Input type="email" autoComplete="off" value={add.values.email} onChange={(_e, d) => add.set('email', d.value)} />
      </Field>
      <RolePicker value={add.values.roles} onChange={(roles) => add.set('roles', roles)} problem={add.field('roles').validationMessage} />
      <ProblemBar error={add.error} fields={['displayName', 'email', 'roles']} />
    </FormDialog>
  );
}

/** Seed "Assign user permissions": the user's roles, checked and unchecked, then Update. */
function EditRoles({ user, onDone }: { user: User; onDone(): void }) {
  const { t } = useI18n();
  const update = useFormDialog({
    // Each opening starts from the user's current roles.
    restart: 'onOpen',
    initial: () => ({ roles: user.roles }),
    action: ({ roles }) => api.updateUser({ id: user.id, body: { roles } }),
    notice: () => t('users.editRoles.done', { name: user.displayName }),
    onDone,
  });
  return (
    <FormDialog
      trigger={rowButton(<PersonEditRegular />, t('users.editRoles'))}
      {...update.dialog}
      title={t('users.editRoles.title', { name: user.displayName })}
      submitLabel={t('users.editRoles.submit')}
    >
      <RolePicker value={update.values.roles} onChange={(roles) => update.set('roles', roles)} problem={update.field('roles').validationMessage} />
      <ProblemBar error={update.error} fields={['roles']} />
    </FormDialog>
  );
}
