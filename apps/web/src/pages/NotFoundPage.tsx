import { Body1 } from '@fluentui/react-components';
import { RouterButton } from '../components/links.tsx';
import { PageHeader } from '../components/page.tsx';
import { PublicLayout } from '../components/PublicLayout.tsx';
import { useI18n } from '../i18n/index.tsx';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <PublicLayout>
      <PageHeader title={t('notFound.title')} />
      <Body1 as="p">{t('notFound.text')}</Body1>
      <RouterButton appearance="primary" to="/">
        {t('notFound.home')}
      </RouterButton>
    </PublicLayout>
  );
}
