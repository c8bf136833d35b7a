import { Button, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type ReactElement, type ReactNode, type RefObject } from 'react';

const useStyles = makeStyles({
  wrap: { overflowX: 'auto' },
  // Columns sized by their content: names and actions need room, dates do not.
  table: { tableLayout: 'auto' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, alignItems: 'center', paddingBlock: tokens.spacingVerticalXS, whiteSpace: 'nowrap' },
  nowrap: { whiteSpace: 'nowrap' },
  secondary: { color: tokens.colorNeutralForeground2 },
});

/** Whether the element's content is wider than the element (it scrolls sideways). */
function useOverflows(ref: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const check = () => setOverflows(element.scrollWidth > element.clientWidth);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    if (element.firstElementChild !== null) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, [ref]);
  return overflows;
}

/**
 * A plain, labelled data table: native table semantics, the screen reader's natural habitat. When
 * it is wider than the page, its scroll container becomes a focusable, labelled region, so that
 * the keyboard can scroll it too.
 */
/** A column the server sorts by: its direction now (or none), and what a click asks for. */
export interface SortableColumn {
  label: string;
  direction: 'ascending' | 'descending' | undefined;
  onSort(): void;
}

const isSortable = (column: ReactNode | SortableColumn): column is SortableColumn => typeof column === 'object' && column !== null && 'onSort' in column;

export function DataTable({ label, columns, children }: { label: string; columns: readonly (ReactNode | SortableColumn)[]; children: ReactNode }) {
  const styles = useStyles();
  const ref = useRef<HTMLDivElement>(null);
  const scrolls = useOverflows(ref);
  return (
    <div ref={ref} className={styles.wrap} {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}>
      <Table className={styles.table} aria-label={label} size="medium">
        <TableHeader>
          <TableRow>
            {columns.map((c, i) =>
              // Fluent renders a sortable header as a button and sets aria-sort on the cell.
              isSortable(c) ? (
                <TableHeaderCell key={i} sortable sortDirection={c.direction} onClick={c.onSort}>
                  {c.label}
                </TableHeaderCell>
              ) : (
                <TableHeaderCell key={i}>{c}</TableHeaderCell>
              ),
            )}
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

/** A row's small button that opens a dialog; `ariaLabel` names the row's item when the label alone does not. */
export function rowButton(icon: ReactElement, label: string, ariaLabel?: string): ReactElement {
  return (
    <Button size="small" appearance="subtle" icon={icon} aria-label={ariaLabel}>
      {label}
    </Button>
  );
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
