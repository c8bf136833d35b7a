import { Badge, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { AccessTrace } from '../queries/delegatedAdmin.ts';
import { auditActions, unusedAccessDays, type AuditAction } from '@tierlink/contract';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { DelegatedRoles } from './grants.tsx';
import { EmptyState } from './page.tsx';
import { RelationshipLink, relationshipEnd } from './relationships.tsx';
import { DataTable, Nowrap, Secondary, TableCell, TableRow } from './table.tsx';

const useStyles = makeStyles({
  actions: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

const isAction = (action: string): action is AuditAction => auditActions.some((a) => a === action);
const actionText = (t: Translate, action: string): string => (isAction(action) ? t(`auditAction.${action}`) : action);

/**
 * Every relationship in force through which a partner's admin agents can act in a customer: its
 * roles, how it came to be, its end, when it was last used and what was done through it lately;
 * one unused for 90 days is flagged (a candidate for termination). Both sides see the same trace.
 */
export function AccessTraceTable({ trace }: { trace: AccessTrace }) {
  const styles = useStyles();
  const { t, date, dateTime } = useI18n();
  if (trace.items.length === 0) return <EmptyState title={t('access.none')} />;
  return (
    <DataTable label={t('access.title')} columns={[t('column.name'), t('access.origin'), t('column.roles'), t('dar.column.end'), t('access.lastUsed'), t('access.lastActions')]}>
      {trace.items.map((path) => (
        <TableRow key={path.relationship.id}>
          <TableCell>
            <RelationshipLink relationship={path.relationship} />
          </TableCell>
          <TableCell>{t(`access.origin.${path.origin}`)}</TableCell>
          <TableCell>
            <DelegatedRoles roles={path.relationship.roles} />
          </TableCell>
          <TableCell>
            <Nowrap>{relationshipEnd(path.relationship, t, date)}</Nowrap>
          </TableCell>
          <TableCell>
            <Nowrap>{path.lastUsedAt === null ? <Secondary>{t('access.neverUsed')}</Secondary> : dateTime(path.lastUsedAt)}</Nowrap>
            {path.unused ? (
              <>
                <br />
                <Badge appearance="tint" color="warning" shape="rounded">
                  {t('access.unused', { days: unusedAccessDays })}
                </Badge>
              </>
            ) : null}
          </TableCell>
          <TableCell>
            {path.lastActions.length === 0 ? (
              <Secondary>—</Secondary>
            ) : (
              <ul className={styles.actions}>
                {path.lastActions.map((a) => (
                  <li key={a.id}>
                    {actionText(t, a.action)}{' '}
                    <Caption1>
                      · {a.actorDisplayName ?? t('access.someone')} · {dateTime(a.occurredAt)}
                    </Caption1>
                  </li>
                ))}
              </ul>
            )}
          </TableCell>
        </TableRow>
      ))}
    </DataTable>
  );
}
