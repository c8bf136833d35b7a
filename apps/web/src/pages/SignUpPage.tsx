import { Body1, makeStyles, tokens } from '@fluentui/react-components';
import { useNavigate } from '@tanstack/react-router';
import { RouterLink } from '../components/links.tsx';
import { PageHeader } from '../components/page.tsx';
import { PublicLayout } from '../components/PublicLayout.tsx';
import { SignUpForm } from '../components/SignUpForm.tsx';
import { useI18n } from '../i18n/index.tsx';

const useStyles = makeStyles({ footer: { marginTop: tokens.spacingVerticalXL } });

export function SignUpPage() {
  const { t } = useI18n();
  const styles = useStyles();
  const navigate = useNavigate();
  return (
    <PublicLayout>
      <PageHeader title={t('signUp.title')} description={t('signUp.description')} />
      <SignUpForm onSignedUp={() => void navigate({ to: '/' })} />
      <Body1 as="p" className={styles.footer}>
        {t('signUp.haveAccount')} <RouterLink to="/sign-in">{t('signUp.signIn')}</RouterLink>
      </Body1>
    </PublicLayout>
  );
}
