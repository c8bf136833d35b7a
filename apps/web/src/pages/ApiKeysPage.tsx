import { Badge, Body1, Body1Strong, Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular, KeyMultipleRegular } from '@fluentui/react-icons';
import type { ApiKey } from '@tierlink/client';
import { CreateApiKeyBody, type Role } from '@tierlink/contract';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { EmptyState, Loading, PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { RoleList, RolePicker } from '../components/roles.tsx';
import { CopyButton, ShownOnce } from '../components/ShownOnce.tsx';
import { DataTable, Nowrap, RowActions, rowButton, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useFormDialog } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { useApiKeys } from '../queries/organization.ts';

const useStyles = makeStyles({ prefix: { fontFamily: tokens.fontFamilyMonospace } });

/** Settings → API keys: automation signs in with a key that holds some of the creator's roles. */
export function ApiKeysPage() {
  const { t } = useI18n();
  const keys = useApiKeys();
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
              trigger={rowButton(<DeleteRegular />, t('apiKeys.revoke'), t('apiKeys.revoke.label', { name: k.name }))}
              title={t('apiKeys.revoke.title', { name: k.name })}
              confirmLabel={t('apiKeys.revoke')}
              action={() => api.revokeApiKey({ id: k.id })}
              notice={() => t('apiKeys.revoke.done', { name: k.name })}
              invalidates={[queryKeys.apiKeys.all]}
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
  const create = useFormDialog({
    initial: () => ({ name: '', roles: [] as Role[] }),
    schema: CreateApiKeyBody,
    action: (body) => api.createApiKey({ body }),
    invalidates: () => [queryKeys.apiKeys.all],
    // The secret stays on screen until the dialog closes, which forgets it.
    stayOpen: true,
  });
  const created = create.result;
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<KeyMultipleRegular />}>
          {t('apiKeys.create')}
        </Button>
      }
      {...create.dialog}
      title={t('apiKeys.create')}
      submitLabel={t('apiKeys.create.submit')}
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
                  <Button appearance="primary" onClick={() => create.setOpen(false)}>
                    {t('users.done')}
                  </Button>
                </>
              ),
            }
      }
    >
      <Body1 as="p">{t('apiKeys.create.text')}</Body1>
      <Field label={t('column.name')} hint={t('apiKeys.name.hint')} required {...create.field('name')}>
        <Input autoComplete="off" value={create.values.name} onChange={(_e, d) => create.set('name', d.value)} />
      </Field>
      <RolePicker value={create.values.roles} onChange={(roles) => create.set('roles', roles)} problem={create.field('roles').validationMessage} />
      <ProblemBar error={create.error} fields={['name', 'roles']} />
    </FormDialog>
  );
}
