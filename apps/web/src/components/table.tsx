import { makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  wrap: { overflowX: 'auto' },
  // Columns sized by their content: names and actions need room, dates do not.
  table: { tableLayout: 'auto' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, alignItems: 'center', paddingBlock: tokens.spacingVerticalXS, whiteSpace: 'nowrap' },
  nowrap: { whiteSpace: 'nowrap' },
  secondary: { color: tokens.colorNeutralForeground2 },
});

/** A plain, labelled data table: native table semantics, the screen reader's natural habitat. */
export function DataTable({ label, columns, children }: { label: string; columns: readonly ReactNode[]; children: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.wrap}>
      <Table className={styles.table} aria-label={label} size="medium">
        <TableHeader>
          <TableRow>
            {columns.map((c, i) => (
              <TableHeaderCell key={i}>{c}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>{children}</TableBody>
      </Table>
    </div>
  );
}

export function RowActions({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <div className={styles.actions}>{children}</div>;
}

export function Secondary({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <span className={styles.secondary}>{children}</span>;
}

/** Dates, names and short values that read badly when broken over lines. */
export function Nowrap({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <span className={styles.nowrap}>{children}</span>;
}

export { TableCell, TableRow };
