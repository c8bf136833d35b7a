import { makeStyles, Text, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  mark: { width: '24px', height: '24px' },
});

/** The product mark and name; `subtitle` names the center (Partner Center, …). */
export function Brand({ subtitle }: { subtitle?: string }) {
  const styles = useStyles();
  return (
    <span className={styles.brand}>
      <img src="/favicon.svg" alt="" className={styles.mark} />
      <Text weight="semibold" size={400}>
        Tierlink
      </Text>
      {subtitle === undefined ? null : <Text size={400}>{subtitle}</Text>}
    </span>
  );
}
