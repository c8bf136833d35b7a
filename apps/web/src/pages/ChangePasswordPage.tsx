import { Button, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../api.ts';
import { Form, FormActions } from '../components/forms.tsx';
import { useNotify } from '../components/notify.tsx';
import { PageHeader } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { useI18n } from '../i18n/index.tsx';
import { meQuery, useMe } from '../session.ts';

/** Settings → Change password; forced after a temporary password (the shell sends the user here). */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useMutation({
    mutationFn: () => api.changePassword({ body: { currentPassword, newPassword } }),
    onSuccess: async () => {
      const forced = me.user?.mustChangePassword === true;
      setCurrent('');
      setNew('');
      notify(t('password.done'));
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
      // After a temporary password the shell leads on: MFA setup where it is required, else home.
      if (forced) await navigate({ to: '/' });
    },
  });
  return (
    <>
      <PageHeader title={t('nav.changePassword')} description={t('password.description')} />
      {me.user?.mustChangePassword === true ? (
        <MessageBar intent="warning">
          <MessageBarBody>{t('password.mustChange')}</MessageBarBody>
        </MessageBar>
      ) : null}
      <Form label={t('nav.changePassword')} onSubmit={() => change.mutate()}>
        <Field label={t('password.current')} required {...fieldProps(t, change.error, 'currentPassword')}>
          <Input type="password" autoComplete="current-password" value={currentPassword} onChange={(_e, d) => setCurrent(d.value)} />
        </Field>
        <Field label={t('password.new')} hint={t('field.password.hint')} required {...fieldProps(t, change.error, 'newPassword')}>
          <Input type="password" autoComplete="new-password" value={newPassword} onChange={(_e, d) => setNew(d.value)} />
        </Field>
        <ProblemBar error={change.error} fields={['currentPassword', 'newPassword']} />
        <FormActions>
          <Button appearance="primary" type="submit" disabled={change.isPending}>
            {t('password.submit')}
          </Button>
        </FormActions>
      </Form>
    </>
  );
}
