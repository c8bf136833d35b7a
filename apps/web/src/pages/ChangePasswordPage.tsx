import { Button, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useNavigate } from '@tanstack/react-router';
import { ChangePasswordBody } from '@tierlink/contract';
import { api } from '../api.ts';
import { Form, FormActions } from '../components/forms.tsx';
import { PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useForm } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { useMe } from '../session.ts';

/** Settings → Change password; forced after a temporary password (the shell sends the user here). */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const change = useForm({
    initial: () => ({ currentPassword: '', newPassword: '' }),
    restartOnDone: true,
    schema: ChangePasswordBody,
    action: (body) => api.changePassword({ body }),
    notice: () => t('password.done'),
    onDone: async () => {
      const forced = me.user?.mustChangePassword === true;
      await invalidate(queryKeys.me);
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
      <Form label={t('nav.changePassword')} onSubmit={change.submit}>
        <Field label={t('password.current')} required {...change.field('currentPassword')}>
          <Input type="password" autoComplete="current-password" value={change.values.currentPassword} onChange={(_e, d) => change.set('currentPassword', d.value)} />
        </Field>
        <Field label={t('password.new')} hint={t('field.password.hint')} required {...change.field('newPassword')}>
          <Input type="password" autoComplete="new-password" value={change.values.newPassword} onChange={(_e, d) => change.set('newPassword', d.value)} />
        </Field>
        <ProblemBar error={change.error} fields={['currentPassword', 'newPassword']} />
        <FormActions>
          <Button appearance="primary" type="submit" disabled={change.busy}>
            {t('password.submit')}
          </Button>
        </FormActions>
      </Form>
    </>
  );
}
