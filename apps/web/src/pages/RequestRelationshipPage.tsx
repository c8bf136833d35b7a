import {
  Body1,
  Button,
  Checkbox,
  Field,
  Input,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { CopyRegular, MailRegular, SendRegular } from '@fluentui/react-icons';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import type { CreateCustomerInvitationInput, CreatedInvitation } from '@tierlink/client';
import { CreateCustomerInvitationBody, type DelegatedRole } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { FieldGroup, Form, FormActions } from '../components/forms.tsx';
import { useNotify } from '../components/notify.tsx';
import { PartnerSelect } from '../components/PartnerSelect.tsx';
import { PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useForm } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { useIndirectPartnerNames } from '../queries/partners.ts';
import { can, hasProgram, useMe } from '../session.ts';

const route = getRouteApi('/app/customers/request');
const allRoles: readonly DelegatedRole[] = ['user_admin', 'license_admin', 'helpdesk'];

const useStyles = makeStyles({
  roles: { display: 'flex', flexDirection: 'column' },
  draft: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '760px' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  text: { minHeight: '220px' },
});

/**
 * Seed: "Request a reseller relationship" (and, with a provider, "Invite new customers"): the draft
 * email with its personal link, to copy, open in a mail app, or let Tierlink send.
 */
export function RequestRelationshipPage() {
  const { t } = useI18n();
  const { providerId } = route.useSearch();
  const [draft, setDraft] = useState<{ input: CreateCustomerInvitationInput; created: CreatedInvitation } | null>(null);
  return (
    <>
      <PageHeader title={t(providerId === undefined ? 'customers.request' : 'providers.inviteCustomers')} description={t('request.description')} />
      {draft === null ? (
        <RequestForm providerId={providerId} onDraft={(input, created) => setDraft({ input, created })} />
      ) : (
        <DraftEmail created={draft.created} />
      )}
    </>
  );
}

/** The draft's request from the form's values (numbers typed as text). */
function draftRequest({ email, provider, roles, adminDays, expiresInDays }: { email: string; provider: string; roles: DelegatedRole[]; adminDays: string; expiresInDays: string }): CreateCustomerInvitationInput {
  return {
    email,
    ...(provider === '' ? {} : { indirectProviderId: provider }),
    delegatedRoles: roles,
    ...(adminDays.trim() === '' ? {} : { delegatedAdminDays: Number(adminDays) }),
    expiresInDays: Number(expiresInDays),
    send: false,
  };
}

function RequestForm({ providerId, onDraft }: { providerId: string | undefined; onDraft(input: CreateCustomerInvitationInput, created: CreatedInvitation): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const reseller = hasProgram(me, 'indirect_reseller') && can(me, 'partnerships.read');
  const providers = useIndirectPartnerNames('provider', reseller);
  const create = useForm({
    initial: () => ({ email: '', provider: providerId ?? '', roles: [...allRoles], adminDays: '', expiresInDays: '7' }),
    schema: CreateCustomerInvitationBody,
    body: draftRequest,
    action: async (values) => {
      const input = draftRequest(values);
      return { input, created: await api.createCustomerInvitation({ body: input }) };
    },
    onDone: ({ input, created }) => onDraft(input, created),
  });
  const { email, provider, roles, adminDays, expiresInDays } = create.values;
  const e = create.error;
  const at = create.field;
  const fields = ['email', 'indirectProviderId', 'delegatedRoles', 'delegatedAdminDays', 'expiresInDays'];
  return (
    <Form label={t('customers.request')} onSubmit={create.submit}>
      <Field label={t('request.customerEmail')} hint={t('request.customerEmail.hint')} required {...at('email')}>
        <Input type="email" value={email} onChange={(_e, d) => create.set('email', d.value)} />
      </Field>
      {reseller ? (
        <PartnerSelect
          label={t('request.jointWith')}
          hint={t('request.jointWith.hint')}
          field="indirectProviderId"
          error={e}
          value={provider}
          onChange={(id) => create.set('provider', id)}
          partners={providers.data?.items ?? []}
          none={t('request.jointNone')}
        />
      ) : null}
      <FieldGroup legend={t('request.delegatedAdmin')}>
        <Field {...at('delegatedRoles')}>
          <div className={styles.roles}>
            {allRoles.map((role) => (
              <Checkbox
                key={role}
                label={t(`delegatedRole.${role}`)}
                checked={roles.includes(role)}
                onChange={(_e, d) => create.set('roles', d.checked === true ? [...roles, role] : roles.filter((r) => r !== role))}
              />
            ))}
          </div>
        </Field>
        <Field label={t('request.adminDays')} hint={t('request.adminDays.hint')} {...at('delegatedAdminDays')}>
          <Input type="number" min={1} max={730} value={adminDays} onChange={(_e, d) => create.set('adminDays', d.value)} />
        </Field>
      </FieldGroup>
      <Field label={t('request.expires')} hint={t('request.expires.hint')} {...at('expiresInDays')}>
        <Input type="number" min={1} max={30} value={expiresInDays} onChange={(_e, d) => create.set('expiresInDays', d.value)} />
      </Field>
      <ProblemBar error={e} fields={fields} />
      <FormActions>
        <Button appearance="primary" type="submit" disabled={create.busy}>
          {t('request.createDraft')}
        </Button>
      </FormActions>
    </Form>
  );
}

function DraftEmail({ created }: { created: CreatedInvitation }) {
  const styles = useStyles();
  const { t, dateTime } = useI18n();
  const notify = useNotify();
  const navigate = useNavigate();
  const [current, setCurrent] = useState(created);
  const [copyError, setCopyError] = useState(false);
  const send = useForm({
    initial: () => ({ text: created.email.text }),
    // Sends this same invitation with this text: the email carries the link shown here.
    action: ({ text }) =>
      api.sendInvitation({ id: created.invitation.id, body: { token: new URL(created.email.link).searchParams.get('token') ?? '', text } }),
    notice: (sent) => t('draft.sent', { email: sent.email.to }),
    invalidates: () => [queryKeys.invitations.all],
    onDone: (sent) => setCurrent(sent),
  });
  const { text } = send.values;
  const { to, subject, link } = current.email;
  const full = `${text}\n\n${link}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(full);
      setCopyError(false);
      notify(t('draft.copied'));
    } catch {
      setCopyError(true);
    }
  };
  const mailto = `mailto:${encodeURIComponent(to)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(full)}`;
  return (
    <div className={styles.draft}>
      {current.sent ? (
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody>
            <MessageBarTitle>{t('draft.sentTitle')}</MessageBarTitle>
            {t('draft.sent', { email: to })}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t('draft.review', { date: dateTime(current.invitation.expiresAt) })}</MessageBarBody>
        </MessageBar>
      )}
      <Field label={t('draft.to')}>
        <Input readOnly value={to} />
      </Field>
      <Field label={t('draft.subject')}>
        <Input readOnly value={subject} />
      </Field>
      <Field label={t('draft.text')} hint={t('draft.text.hint')} {...send.field('text')}>
        <Textarea className={styles.text} resize="vertical" value={text} readOnly={current.sent} onChange={(_e, d) => send.set('text', d.value)} />
      </Field>
      <Field label={t('draft.link')} hint={t('draft.link.hint')}>
        <Input readOnly value={link} />
      </Field>
      {copyError ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('draft.copyFailed')}</MessageBarBody>
        </MessageBar>
      ) : null}
      <ProblemBar error={send.error} fields={['text']} />
      <div className={styles.actions}>
        <Button icon={<CopyRegular />} onClick={() => void copy()}>
          {t('draft.copy')}
        </Button>
        <Link href={mailto}>
          <MailRegular /> {t('draft.openMail')}
        </Link>
        {current.sent ? null : (
          <Button appearance="primary" icon={<SendRegular />} disabled={send.busy} onClick={send.submit}>
            {t('draft.send')}
          </Button>
        )}
        <Button appearance={current.sent ? 'primary' : 'secondary'} onClick={() => void navigate({ to: '/customers' })}>
          {t('draft.done')}
        </Button>
      </div>
      <Body1 as="p">{t('draft.after')}</Body1>
    </div>
  );
}
