import { Body1, Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { isApiError } from '@tierlink/client';
import { api } from '../api.ts';
import { RouterButton } from '../components/links.tsx';
import { PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { PublicLayout } from '../components/PublicLayout.tsx';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useEmailVerified } from '../queries/enrollment.ts';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { sessionHint } from '../session.ts';

const route = getRouteApi('/verify-email/$id');

const useStyles = makeStyles({
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, alignItems: 'flex-start' },
});

/** What a refused verification means to the person holding the link. */
const refusal: Partial<Record<string, MessageKey>> = {
  not_found: 'verify.invalid',
  enrollment_not_pending: 'verify.notPending',
  verification_expired: 'error.verification_expired',
};

/**
 * The page behind the link in the enrollment's verification email. Opening it changes nothing
 * (mail scanners follow links); the primary contact verifies with the button, a POST. Afterwards
 * the token leaves the address bar.
 */
export function VerifyEmailPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const { id } = route.useParams();
  const { token } = route.useSearch();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [done, setDone] = useEmailVerified(id);
  const verify = useMutation({
    mutationFn: () => api.verifyEnrollmentEmail({ id, body: { token: token ?? '' } }),
    onSuccess: async () => {
      setDone();
      // The signed-in partner's enrollment moved on; whatever it had cached is stale.
      await invalidate(queryKeys.enrollments.all);
      await navigate({ to: '/verify-email/$id', params: { id }, search: {}, replace: true });
    },
  });
  const refused = isApiError(verify.error) ? refusal[verify.error.code] : undefined;
  const next = sessionHint.get() ? (
    <RouterButton appearance="primary" to="/enrollment">
      {t('verify.toEnrollment')}
    </RouterButton>
  ) : (
    <RouterButton appearance="primary" to="/sign-in">
      {t('verify.signIn')}
    </RouterButton>
  );

  let content;
  if (done) {
    content = (
      <div className={styles.block}>
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody>
            <MessageBarTitle>{t('verify.done.title')}</MessageBarTitle>
            {t('verify.done.text')}
          </MessageBarBody>
        </MessageBar>
        {next}
      </div>
    );
  } else if (token === undefined) {
    content = <Body1 as="p">{t('verify.noToken')}</Body1>;
  } else if (refused !== undefined) {
    content = (
      <div className={styles.block}>
        <MessageBar intent="warning" layout="multiline" role="alert">
          <MessageBarBody>{t(refused)}</MessageBarBody>
        </MessageBar>
        {next}
      </div>
    );
  } else {
    content = (
      <div className={styles.block}>
        <Body1 as="p">{t('verify.text')}</Body1>
        <ProblemBar error={verify.error} />
        <Button appearance="primary" disabled={verify.isPending} onClick={() => verify.mutate()}>
          {t('verify.submit')}
        </Button>
      </div>
    );
  }
  return (
    <PublicLayout>
      <PageHeader title={t('verify.title')} />
      {content}
    </PublicLayout>
  );
}
