import { Button, Field, Input } from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '@tierlink/client';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { meQuery, sessionHint } from '../session.ts';
import { Form, FormActions } from './forms.tsx';
import { fieldProps, ProblemBar } from './problems.tsx';

/** Email and password; on success the session cookie is set and /me is loaded. */
export function SignInForm({ onSignedIn, defaultEmail = '' }: { onSignedIn(): void; defaultEmail?: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState('');
  // Shown once the server asks for the second factor (401 mfa_required).
  const [askCode, setAskCode] = useState(false);
  const [code, setCode] = useState('');
  const factor = code.trim() === '' ? {} : /^[0-9]{6}$/.test(code.trim()) ? { totpCode: code.trim() } : { recoveryCode: code.trim() };
  const signIn = useMutation({
    mutationFn: () => api.signIn({ body: { email, password, ...factor } }),
    onError: (error) => {
      if (isMfaRequired(error)) setAskCode(true);
    },
    onSuccess: async () => {
      sessionHint.set();
      // Observers on this page (e.g. the invitation's) keep their queries: refresh, do not drop.
      queryClient.setQueryData(meQuery.queryKey, await api.me());
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== meQuery.queryKey[0] });
      onSignedIn();
    },
  });
  return (
    <Form label={t('signIn.title')} onSubmit={() => signIn.mutate()}>
      <Field label={t('field.email')} required {...fieldProps(t, signIn.error, 'email')}>
        <Input type="email" autoComplete="username" value={email} onChange={(_e, d) => setEmail(d.value)} />
      </Field>
      <Field label={t('field.password')} required {...fieldProps(t, signIn.error, 'password')}>
        <Input type="password" autoComplete="current-password" value={password} onChange={(_e, d) => setPassword(d.value)} />
      </Field>
      {askCode ? (
        <Field label={t('signIn.code')} hint={t('signIn.codeHint')} required {...fieldProps(t, signIn.error, 'totpCode')}>
          <Input autoComplete="one-time-code" inputMode="numeric" autoFocus value={code} onChange={(_e, d) => setCode(d.value)} />
        </Field>
      ) : null}
      <ProblemBar error={isMfaRequired(signIn.error) ? null : signIn.error} fields={['email', 'password', 'totpCode']} />
      <FormActions>
        <Button appearance="primary" type="submit" disabled={signIn.isPending}>
          {t('signIn.submit')}
        </Button>
      </FormActions>
    </Form>
  );
}

function isMfaRequired(error: unknown): boolean {
  return isApiError(error) && error.code === 'mfa_required';
}
