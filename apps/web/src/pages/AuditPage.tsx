import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import type { AuditEvent } from '@tierlink/client';
import { useId, useState } from 'react';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useAuditEvents } from '../queries/organization.ts';

const useStyles = makeStyles({
  cell: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  details: { backgroundColor: tokens.colorNeutralBackground2 },
  pre: { margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

/** Every change that concerns the organization, newest first. */
export function AuditPage() {
  const { t } = useI18n();
  const { query, items, pager } = useAuditEvents();
  return (
    <>
      <PageHeader title={t('nav.audit')} description={t('audit.description')} />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('audit.empty')} />
      ) : (
        <DataTable label={t('nav.audit')} columns={[t('column.when'), t('column.action'), t('column.actor'), t('column.target'), t('column.onBehalfOf')]}>
          {items.map((e) => (
            <AuditRows key={e.id} event={e} />
          ))}
        </DataTable>
      )}
      <Pager {...pager} />
    </>
  );
}

function AuditRows({ event: e }: { event: AuditEvent }) {
  const styles = useStyles();
  const { t, dateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <TableRow>
        <TableCell>
          <span className={styles.cell}>
            <Button
              size="small"
              appearance="subtle"
              icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
              aria-expanded={open}
              aria-controls={id}
              aria-label={t('audit.toggle', { action: e.action })}
              onClick={() => setOpen(!open)}
            />
            {dateTime(e.occurredAt)}
          </span>
        </TableCell>
        <TableCell>
          <span className={styles.code}>{e.action}</span>
        </TableCell>
        <TableCell>{e.actor.displayName ?? <Secondary>{e.actor.apiKeyId === null ? t('audit.system') : t('audit.apiKey')}</Secondary>}</TableCell>
        <TableCell>
          <span className={styles.code}>{e.target.type}</span>
        </TableCell>
        <TableCell>{e.onBehalfOf === null ? <Secondary>—</Secondary> : <span className={styles.code}>{e.onBehalfOf.type}</span>}</TableCell>
      </TableRow>
      {open ? (
        <TableRow className={styles.details} id={id}>
          <TableCell colSpan={5}>
            <pre className={styles.pre}>
              {JSON.stringify({ target: e.target, before: e.before, after: e.after, requestId: e.requestId }, null, 2)}
            </pre>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}
