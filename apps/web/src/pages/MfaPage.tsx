import { Body1, Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { api } from '../api.ts';
import { Form, FormActions } from '../components/forms.tsx';
import { useNotify } from '../components/notify.tsx';
import { PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useForm } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { useMe } from '../session.ts';

const useStyles = makeStyles({
  setup: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXL, alignItems: 'flex-start' },
  qr: { padding: tokens.spacingVerticalM, backgroundColor: '#ffffff', borderRadius: tokens.borderRadiusMedium },
  secret: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  codes: { fontFamily: tokens.fontFamilyMonospace, columns: 2, listStyle: 'none', paddingLeft: 0 },
});

/**
 * Settings → Multi-factor authentication. Partner and operator users are sent here until they have
 * set it up: scan the QR code (or type the key), confirm a code, keep the recovery codes.
 */
export function MfaPage() {
  const { t } = useI18n();
  const me = useMe();
  const styles = useStyles();
  const notify = useNotify();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const start = useMutation({ mutationFn: () => api.startMfa() });
  const confirm = useForm({
    initial: () => ({ code: '' }),
    action: ({ code }) => api.confirmMfa({ body: { code: code.trim() } }),
    onDone: (answer) => setRecoveryCodes(answer.recoveryCodes),
  });
  const done = async () => {
    await invalidate(queryKeys.me);
    await navigate({ to: '/' });
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText((recoveryCodes ?? []).join('\n'));
      notify(t('mfa.copied'));
    } catch {
      notify(t('mfa.copyFailed'));
    }
  };

  if (recoveryCodes !== null) {
    return (
      <>
        <PageHeader title={t('nav.mfa')} description={t('mfa.recoveryDescription')} />
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody>
            <MessageBarTitle>{t('mfa.enabled')}</MessageBarTitle>
            {t('mfa.recoveryOnce')}
          </MessageBarBody>
        </MessageBar>
        <ul className={styles.codes} aria-label={t('mfa.recoveryCodes')}>
          {recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <FormActions>
          <Button onClick={() => void copy()}>{t('mfa.copy')}</Button>
          <Button appearance="primary" onClick={() => void done()}>
            {t('mfa.continue')}
          </Button>
        </FormActions>
      </>
    );
  }

  if (me.user?.mfaEnrolled === true) {
    return (
      <>
        <PageHeader title={t('nav.mfa')} description={t('mfa.description')} />
        <MessageBar intent="success">
          <MessageBarBody>{t('mfa.on')}</MessageBarBody>
        </MessageBar>
      </>
    );
  }

  const offer = start.data;
  return (
    <>
      <PageHeader title={t('nav.mfa')} description={t('mfa.description')} />
      {me.mfaEnrollmentRequired ? (
        <MessageBar intent="warning">
          <MessageBarBody>{t('mfa.required')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {offer === undefined ? (
        <>
          <ProblemBar error={start.error} />
          <FormActions>
            <Button appearance="primary" onClick={() => start.mutate()} disabled={start.isPending}>
              {t('mfa.start')}
            </Button>
          </FormActions>
        </>
      ) : (
        <div className={styles.setup}>
          <div>
            <Body1 block>{t('mfa.scan')}</Body1>
            <div className={styles.qr}>
              <QRCodeSVG value={offer.otpauthUri} size={176} role="img" aria-label={t('mfa.qr')} />
            </div>
            <Body1 block>{t('mfa.orType')}</Body1>
            <Body1 block className={styles.secret} data-testid="mfa-secret">
              {offer.secret}
            </Body1>
          </div>
          <Form label={t('mfa.confirm')} onSubmit={confirm.submit}>
            <Field label={t('signIn.code')} hint={t('mfa.codeHint')} required {...confirm.field('code')}>
              <Input autoComplete="one-time-code" inputMode="numeric" value={confirm.values.code} onChange={(_e, d) => confirm.set('code', d.value)} />
            </Field>
            <ProblemBar error={confirm.error} fields={['code']} />
            <FormActions>
              <Button appearance="primary" type="submit" disabled={confirm.busy}>
                {t('mfa.confirm')}
              </Button>
            </FormActions>
          </Form>
        </div>
      )}
    </>
  );
}
