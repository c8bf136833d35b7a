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
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import type { CreateCustomerInvitationInput, CreatedInvitation } from '@tierlink/client';
import type { DelegatedRole } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { FieldGroup, Form, FormActions } from '../components/forms.tsx';
import { useNotify } from '../components/notify.tsx';
import { PartnerSelect } from '../components/PartnerSelect.tsx';
import { PageHeader } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { useI18n } from '../i18n/index.tsx';
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
        <DraftEmail input={draft.input} created={draft.created} />
      )}
    </>
  );
}

function RequestForm({ providerId, onDraft }: { providerId: string | undefined; onDraft(input: CreateCustomerInvitationInput, created: CreatedInvitation): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const reseller = hasProgram(me, 'indirect_reseller') && can(me, 'partnerships.read');
  const providers = useQuery({
    queryKey: ['indirect-providers', 'names'],
    queryFn: () => api.listIndirectProviders({ query: { limit: 200 } }),
    enabled: reseller,
  });
  const [email, setEmail] = useState('');
  const [provider, setProvider] = useState(providerId ?? '');
  const [roles, setRoles] = useState<DelegatedRole[]>([...allRoles]);
  const [adminDays, setAdminDays] = useState('');
  const [expiresInDays, setExpiresInDays] = useState('7');
  const create = useMutation({
    mutationFn: async () => {
      const input: CreateCustomerInvitationInput = {
        email,
        ...(provider === '' ? {} : { indirectProviderId: provider }),
        delegatedRoles: roles,
        ...(adminDays.trim() === '' ? {} : { delegatedAdminDays: Number(adminDays) }),
        expiresInDays: Number(expiresInDays),
        send: false,
      };
      return { input, created: await api.createCustomerInvitation({ body: input }) };
    },
    onSuccess: ({ input, created }) => onDraft(input, created),
  });
  const e = create.error;
  const fields = ['email', 'indirectProviderId', 'delegatedRoles', 'delegatedAdminDays', 'expiresInDays'];
  return (
    <Form label={t('customers.request')} onSubmit={() => create.mutate()}>
      <Field label={t('request.customerEmail')} hint={t('request.customerEmail.hint')} required {...fieldProps(t, e, 'email')}>
        <Input type="email" value={email} onChange={(_e, d) => setEmail(d.value)} />
      </Field>
      {reseller ? (
        <PartnerSelect
          label={t('request.jointWith')}
          hint={t('request.jointWith.hint')}
          field="indirectProviderId"
          error={e}
          value={provider}
          onChange={setProvider}
          partners={providers.data?.items ?? []}
          none={t('request.jointNone')}
        />
      ) : null}
      <FieldGroup legend={t('request.delegatedAdmin')}>
        <Field {...fieldProps(t, e, 'delegatedRoles')}>
          <div className={styles.roles}>
            {allRoles.map((role) => (
              <Checkbox
                key={role}
                label={t(`delegatedRole.${role}`)}
                checked={roles.includes(role)}
                onChange={(_e, d) => setRoles(d.checked === true ? [...roles, role] : roles.filter((r) => r !== role))}
              />
            ))}
          </div>
        </Field>
        <Field label={t('request.adminDays')} hint={t('request.adminDays.hint')} {...fieldProps(t, e, 'delegatedAdminDays')}>
          <Input type="number" min={1} max={730} value={adminDays} onChange={(_e, d) => setAdminDays(d.value)} />
        </Field>
      </FieldGroup>
      <Field label={t('request.expires')} hint={t('request.expires.hint')} {...fieldProps(t, e, 'expiresInDays')}>
        <Input type="number" min={1} max={30} value={expiresInDays} onChange={(_e, d) => setExpiresInDays(d.value)} />
      </Field>
      <ProblemBar error={e} fields={fields} />
      <FormActions>
        <Button appearance="primary" type="submit" disabled={create.isPending}>
          {t('request.createDraft')}
        </Button>
      </FormActions>
    </Form>
  );
}

function DraftEmail({ input, created }: { input: CreateCustomerInvitationInput; created: CreatedInvitation }) {
  const styles = useStyles();
  const { t, dateTime } = useI18n();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState(created);
  const [text, setText] = useState(created.email.text);
  const [copyError, setCopyError] = useState(false);
  const { to, subject, link } = current.email;
  const full = `${text}\n\n${link}`;
  const send = useMutation({
    // Sending issues the invitation again with this text; the draft's link is replaced by the sent one.
    mutationFn: () => api.createCustomerInvitation({ body: { ...input, text, send: true } }),
    onSuccess: (sent) => {
      setCurrent(sent);
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
      notify(t('draft.sent', { email: sent.email.to }));
    },
  });
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
      <Field label={t('draft.text')} hint={t('draft.text.hint')} {...fieldProps(t, send.error, 'text')}>
        <Textarea className={styles.text} resize="vertical" value={text} readOnly={current.sent} onChange={(_e, d) => setText(d.value)} />
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
          <Button appearance="primary" icon={<SendRegular />} disabled={send.isPending} onClick={() => send.mutate()}>
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
