import { Body1, Button, Caption1, makeStyles, Spinner, Subtitle2, Title2, tokens } from '@fluentui/react-components';
import { ChevronLeftRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { takeTitleFocus } from './focus.ts';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginBottom: tokens.spacingVerticalL },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  description: { color: tokens.colorNeutralForeground2, maxWidth: '80ch' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, marginBottom: tokens.spacingVerticalXL },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    alignItems: 'flex-start',
    padding: tokens.spacingVerticalXL,
    border: `1px dashed ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    maxWidth: '80ch',
  },
  pager: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', marginTop: tokens.spacingVerticalM },
});

/** The page's one h1 (focused after in-portal navigation, see focus.ts), its explanation and its commands. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  const styles = useStyles();
  useEffect(() => {
    document.title = `${title} · Tierlink`;
  }, [title]);
  useEffect(takeTitleFocus, []);
  return (
    <header className={styles.header}>
      <Title2 as="h1" tabIndex={-1} id="page-title">
        {title}
      </Title2>
      {description === undefined ? null : <Body1 className={styles.description}>{description}</Body1>}
      {actions === undefined ? null : <div className={styles.actions}>{actions}</div>}
    </header>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      {actions === undefined ? null : <div className={styles.actions}>{actions}</div>}
      {children}
    </section>
  );
}

/** What an empty list means and what to do next. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.empty} role="status">
      <Subtitle2 as="p">{title}</Subtitle2>
      {children === undefined ? null : <Body1 as="p">{children}</Body1>}
      {action}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <Spinner size="small" label={t('common.loading')} />;
}

export interface PagerProps {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  busy?: boolean;
}

/** Cursor paging: the API pages forward; the portal keeps the cursors it has seen to go back. */
export function Pager({ page, hasPrevious, hasNext, onPrevious, onNext, busy = false }: PagerProps) {
  const styles = useStyles();
  const { t } = useI18n();
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className={styles.pager} aria-label={t('pager.label')}>
      <Button icon={<ChevronLeftRegular />} disabled={!hasPrevious || busy} onClick={onPrevious}>
        {t('pager.previous')}
      </Button>
      <Caption1 aria-live="polite">{t('pager.page', { page })}</Caption1>
      <Button icon={<ChevronRightRegular />} iconPosition="after" disabled={!hasNext || busy} onClick={onNext}>
        {t('pager.next')}
      </Button>
    </nav>
  );
}
