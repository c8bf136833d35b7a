import { Button, Field, Input } from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SignUpInput } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { browserCountry } from '../i18n/countries.ts';
import { useI18n } from '../i18n/index.tsx';
import { meQuery, sessionHint } from '../session.ts';
import { CountrySelect } from './CountrySelect.tsx';
import { FieldGroup, Form, FormActions } from './forms.tsx';
import { fieldProps, ProblemBar } from './problems.tsx';

const fields = ['organization.name', 'organization.domain', 'organization.country', 'admin.displayName', 'admin.email', 'admin.password'];

/**
 * Sign-up: a new organization and its global admin. From an invitation, the invitee's email is
 * fixed and the invitation's token proves it.
 */
export function SignUpForm({ onSignedUp, invitation }: { onSignedUp(): void; invitation?: { id: string; token: string; email: string } }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const invitedEmail = invitation?.email ?? '';
  const [name, setName] = useState('');
  const [domain, setDomain] = useState(invitedEmail.includes('@') ? (invitedEmail.split('@')[1] ?? '') : '');
  const [country, setCountry] = useState(browserCountry);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState(invitedEmail);
  const [password, setPassword] = useState('');
  const signUp = useMutation({
    mutationFn: () => {
      const body: SignUpInput = {
        organization: { name, domain, country },
        admin: { displayName, email, password },
        ...(invitation === undefined ? {} : { invitation: { id: invitation.id, token: invitation.token } }),
      };
      return api.signUp({ body });
    },
    onSuccess: async () => {
      sessionHint.set();
      // Observers on this page (e.g. the invitation's) keep their queries: refresh, do not drop.
      queryClient.setQueryData(meQuery.queryKey, await api.me());
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== meQuery.queryKey[0] });
      onSignedUp();
    },
  });
  const e = signUp.error;
  return (
    <Form label={t('signUp.title')} onSubmit={() => signUp.mutate()}>
      <FieldGroup legend={t('signUp.organization')}>
        <Field label={t('field.organizationName')} required {...fieldProps(t, e, 'organization.name')}>
          <Input autoComplete="organization" value={name} onChange={(_e, d) => setName(d.value)} />
        </Field>
        <Field label={t('field.domain')} hint={t('field.domain.hint')} required {...fieldProps(t, e, 'organization.domain')}>
          <Input value={domain} onChange={(_e, d) => setDomain(d.value)} />
        </Field>
        <Field label={t('field.country')} required {...fieldProps(t, e, 'organization.country')}>
          <CountrySelect value={country} onChange={setCountry} />
        </Field>
      </FieldGroup>
      <FieldGroup legend={t('signUp.admin')}>
        <Field label={t('field.fullName')} required {...fieldProps(t, e, 'admin.displayName')}>
          <Input autoComplete="name" value={displayName} onChange={(_e, d) => setDisplayName(d.value)} />
        </Field>
        <Field
          label={t('field.email')}
          required
          hint={invitation === undefined ? undefined : t('signUp.emailFromInvitation')}
          {...fieldProps(t, e, 'admin.email')}
        >
          <Input type="email" autoComplete="email" value={email} readOnly={invitation !== undefined} onChange={(_e, d) => setEmail(d.value)} />
        </Field>
        <Field label={t('field.password')} hint={t('field.password.hint')} required {...fieldProps(t, e, 'admin.password')}>
          <Input type="password" autoComplete="new-password" value={password} onChange={(_e, d) => setPassword(d.value)} />
        </Field>
      </FieldGroup>
      <ProblemBar error={e} fields={fields} />
      <FormActions>
        <Button appearance="primary" type="submit" disabled={signUp.isPending}>
          {t('signUp.submit')}
        </Button>
      </FormActions>
    </Form>
  );
}
