import { Badge, Body1, Body1Strong, Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular, KeyMultipleRegular } from '@fluentui/react-icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKey } from '@tierlink/client';
import type { Role } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { RoleList, RolePicker } from '../components/roles.tsx';
import { CopyButton, ShownOnce } from '../components/ShownOnce.tsx';
import { DataTable, Nowrap, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useI18n } from '../i18n/index.tsx';

const apiKeysKey = ['api-keys'] as const;

const useStyles = makeStyles({ prefix: { fontFamily: tokens.fontFamilyMonospace } });

/** Settings → API keys: automation signs in with a key that holds some of the creator's roles. */
export function ApiKeysPage() {
  const { t } = useI18n();
  const keys = useQuery({ queryKey: apiKeysKey, queryFn: ({ signal }) => api.listApiKeys({ signal }) });
  const items = keys.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('nav.apiKeys')} description={t('apiKeys.description')} actions={<CreateApiKey />} />
      <ProblemBar error={keys.error} />
      {keys.isPending ? (
        <Loading />
      ) : items.length === 0 && !keys.isError ? (
        <EmptyState title={t('apiKeys.empty.title')}>{t('apiKeys.empty.text')}</EmptyState>
      ) : (
        <DataTable label={t('nav.apiKeys')} columns={[t('column.name'), t('column.roles'), t('column.created'), t('column.lastUsed'), t('column.status'), t('column.actions')]}>
          {items.map((k) => (
            <ApiKeyRow key={k.id} apiKey={k} />
          ))}
        </DataTable>
      )}
    </>
  );
}

function ApiKeyRow({ apiKey: k }: { apiKey: ApiKey }) {
  const styles = useStyles();
  const { t, date, dateTime } = useI18n();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const revoked = k.revokedAt !== null;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>{k.name}</Body1Strong>
        <Secondary>
          <span className={styles.prefix}>{k.prefix}…</span>
        </Secondary>
      </TableCell>
      <TableCell>
        <RoleList roles={k.roles} />
      </TableCell>
      <TableCell>
        <Nowrap>{date(k.createdAt)}</Nowrap>
      </TableCell>
      <TableCell>{k.lastUsedAt === null ? <Secondary>{t('apiKeys.neverUsed')}</Secondary> : <Nowrap>{dateTime(k.lastUsedAt)}</Nowrap>}</TableCell>
      <TableCell>
        <Badge appearance="tint" shape="rounded" color={revoked ? 'subtle' : 'success'}>
          {t(revoked ? 'apiKeys.revoked' : 'apiKeys.active')}
        </Badge>
        {k.revokedAt === null ? null : <Secondary> {date(k.revokedAt)}</Secondary>}
      </TableCell>
      <TableCell>
        {revoked ? null : (
          <RowActions>
            <ConfirmDialog
              trigger={
                <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={t('apiKeys.revoke.label', { name: k.name })}>
                  {t('apiKeys.revoke')}
                </Button>
              }
              title={t('apiKeys.revoke.title', { name: k.name })}
              confirmLabel={t('apiKeys.revoke')}
              action={() => api.revokeApiKey({ id: k.id })}
              onDone={() => {
                notify(t('apiKeys.revoke.done', { name: k.name }));
                void queryClient.invalidateQueries({ queryKey: apiKeysKey });
              }}
            >
              <Body1 as="p">{t('apiKeys.revoke.text', { name: k.name })}</Body1>
            </ConfirmDialog>
          </RowActions>
        )}
      </TableCell>
    </TableRow>
  );
}

/** "Create API key": name and roles; the secret is shown once, with copy. Closing forgets it. */
function CreateApiKey() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const create = useMutation({
    mutationFn: () => api.createApiKey({ body: { name, roles } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  });
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) {
      create.reset();
      setName('');
      setRoles([]);
    }
  };
  const created = create.data;
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<KeyMultipleRegular />}>
          {t('apiKeys.create')}
        </Button>
      }
      open={open}
      onOpenChange={change}
      title={t('apiKeys.create')}
      submitLabel={t('apiKeys.create.submit')}
      onSubmit={() => create.mutate()}
      busy={create.isPending}
      done={
        created === undefined
          ? undefined
          : {
              title: t('apiKeys.created.title', { name: created.apiKey.name }),
              content: (
                <ShownOnce text={t('apiKeys.created.text')} fields={[{ label: t('apiKeys.secret'), value: created.secret, secret: true }]} roles={created.apiKey.roles} />
              ),
              actions: (
                <>
                  <CopyButton label={t('apiKeys.copy')} text={created.secret} copied={t('apiKeys.copied')} failed={t('apiKeys.copyFailed')} />
                  <Button appearance="primary" onClick={() => change(false)}>
                    {t('users.done')}
                  </Button>
                </>
              ),
            }
      }
    >
      <Body1 as="p">{t('apiKeys.create.text')}</Body1>
      <Field label={t('column.name')} hint={t('apiKeys.name.hint')} required {...fieldProps(t, create.error, 'name')}>
        <Input autoComplete="off" value={name} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <RolePicker value={roles} onChange={setRoles} error={create.error} />
      <ProblemBar error={create.error} fields={['name', 'roles']} />
    </FormDialog>
  );
}
