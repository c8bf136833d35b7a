import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { Brand } from './Brand.tsx';

const useStyles = makeStyles({
  root: { minHeight: '100vh', display: 'flex', flexDirection: 'column', backgroundColor: tokens.colorNeutralBackground2 },
  bar: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  main: { flexGrow: 1, display: 'flex', justifyContent: 'center', padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}` },
  card: {
    width: '100%',
    maxWidth: '560px',
    alignSelf: 'flex-start',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: tokens.spacingHorizontalXXL,
  },
  wide: { maxWidth: '760px' },
  footer: { textAlign: 'center', padding: tokens.spacingVerticalM, color: tokens.colorNeutralForeground3 },
});

/** Pages reached without a session: sign-in, sign-up, an invitation link. */
export function PublicLayout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <header className={styles.bar}>
        <Brand />
        <LanguageSwitcher />
      </header>
      <main className={styles.main} id="main">
        <div className={wide ? `${styles.card} ${styles.wide}` : styles.card}>{children}</div>
      </main>
      <footer className={styles.footer}>
        <Text size={200}>Tierlink</Text>
      </footer>
    </div>
  );
}
