import { Body1, makeStyles, tokens } from '@fluentui/react-components';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { RouterLink } from '../components/links.tsx';
import { PageHeader } from '../components/page.tsx';
import { PublicLayout } from '../components/PublicLayout.tsx';
import { SignInForm } from '../components/SignInForm.tsx';
import { useI18n } from '../i18n/index.tsx';
import { safeRedirect } from '../session.ts';

const route = getRouteApi('/sign-in');
const useStyles = makeStyles({ footer: { marginTop: tokens.spacingVerticalXL } });

export function SignInPage() {
  const { t } = useI18n();
  const styles = useStyles();
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  const target = safeRedirect(redirect);
  return (
    <PublicLayout>
      <PageHeader title={t('signIn.title')} description={t('signIn.description')} />
      <SignInForm onSignedIn={() => void (target === undefined ? navigate({ to: '/' }) : navigate({ href: target }))} />
      <Body1 as="p" className={styles.footer}>
        {t('signIn.noAccount')} <RouterLink to="/sign-up">{t('signIn.createOne')}</RouterLink>
      </Body1>
    </PublicLayout>
  );
}
