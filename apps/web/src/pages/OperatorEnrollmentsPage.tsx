import {
  Badge,
  Body1,
  Body1Strong,
  Button,
  Field,
  makeStyles,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkRegular, DismissRegular } from '@fluentui/react-icons';
import { useMutation } from '@tanstack/react-query';
import type { Enrollment } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/FormDialog.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Nowrap, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useFormDialog } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { useOperatorEnrollments } from '../queries/operator.ts';

type State = Enrollment['state'];
const states: readonly State[] = ['email_unverified', 'in_review', 'approved', 'rejected'];
const badgeOf = { email_unverified: 'warning', in_review: 'informative', approved: 'success', rejected: 'danger' } as const;

const useStyles = makeStyles({
  lines: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, alignItems: 'flex-start', wordBreak: 'break-word' },
});

/** Operator console: the enrollment review queue, oldest first (the server's order). */
export function OperatorEnrollmentsPage() {
  const { t } = useI18n();
  // The queue opens on what waits for a decision.
  const [state, setState] = useState<State | ''>('in_review');
  const { query, items, pager } = useOperatorEnrollments(state);
  return (
    <>
      <PageHeader title={t('nav.operatorEnrollments')} description={t('operator.enrollments.description')} />
      <StateFilter
        label={t('operator.enrollments.filter')}
        allLabel={t('operator.enrollments.all')}
        states={states}
        value={state}
        labelOf={(s) => t(`enrollmentState.${s}`)}
        onChange={setState}
      />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('operator.enrollments.empty.title')}>{t('operator.enrollments.empty.text')}</EmptyState>
      ) : (
        <DataTable
          label={t('nav.operatorEnrollments')}
          columns={[t('column.organization'), t('column.legalProfile'), t('column.contacts'), t('column.state'), t('column.actions')]}
        >
          {items.map((e) => (
            <EnrollmentRow key={e.id} enrollment={e} />
          ))}
        </DataTable>
      )}
      <Pager {...pager} />
    </>
  );
}

function EnrollmentRow({ enrollment: e }: { enrollment: Enrollment }) {
  const styles = useStyles();
  const { t, date } = useI18n();
  const notify = useNotify();
  const invalidate = useInvalidate();
  const decided = () => void invalidate(queryKeys.operator.enrollments.all);
  const approve = useMutation({
    mutationFn: () => api.approveEnrollment({ id: e.id }),
    onSuccess: () => {
      notify(t('operator.enrollments.approved', { name: e.organizationName }));
      // An approved enrollment is a partner profile now.
      void invalidate(queryKeys.operator.enrollments.all, queryKeys.operator.partners.all);
    },
  });
  return (
    <TableRow>
      <TableCell>
        <span className={styles.lines}>
          <Body1Strong>{e.organizationName}</Body1Strong>
          <span>{t(`program.${e.program}`)}</span>
          <Secondary>{t('operator.enrollments.membership', { id: e.membershipId ?? '—' })}</Secondary>
        </span>
      </TableCell>
      <TableCell>
        {e.legalProfile === null ? (
          <Secondary>—</Secondary>
        ) : (
          <span className={styles.lines}>
            <span>{e.legalProfile.name}</span>
            <Secondary>{e.legalProfile.address}</Secondary>
          </span>
        )}
      </TableCell>
      <TableCell>
        <span className={styles.lines}>
          {e.primaryContact === null ? null : <span>{t('operator.enrollments.primary', e.primaryContact)}</span>}
          {e.supportProfile === null ? null : <Secondary>{t('operator.enrollments.support', e.supportProfile)}</Secondary>}
        </span>
      </TableCell>
      <TableCell>
        <span className={styles.lines}>
          <span>
            <Badge appearance="tint" shape="rounded" color={badgeOf[e.state]}>
              {t(`enrollmentState.${e.state}`)}
            </Badge>
          </span>
          <Nowrap>{t('enrollment.submittedOn', { date: date(e.createdAt) })}</Nowrap>
          {e.state === 'rejected' && e.decisionReason !== null ? <Secondary>{t('enrollment.reason', { reason: e.decisionReason })}</Secondary> : null}
        </span>
      </TableCell>
      <TableCell>
        {e.state === 'in_review' ? (
          <>
            <RowActions>
              <Button size="small" appearance="primary" icon={<CheckmarkRegular />} disabled={approve.isPending} onClick={() => approve.mutate()}>
                {t('operator.enrollments.approve')}
              </Button>
              <RejectEnrollment enrollment={e} onDone={decided} />
            </RowActions>
            <ProblemBar error={approve.error} />
          </>
        ) : null}
      </TableCell>
    </TableRow>
  );
}

/** Rejecting needs a reason; it is emailed to the primary contact. */
function RejectEnrollment({ enrollment: e, onDone }: { enrollment: Enrollment; onDone(): void }) {
  const { t } = useI18n();
  const reject = useFormDialog({
    initial: () => ({ reason: '' }),
    // A cancelled reason is kept; a sent one is not.
    restart: 'onDone',
    action: ({ reason }) => api.rejectEnrollment({ id: e.id, body: { reason } }),
    notice: () => t('operator.enrollments.rejected', { name: e.organizationName }),
    onDone,
  });
  return (
    <FormDialog
      trigger={
        <Button size="small" icon={<DismissRegular />}>
          {t('operator.enrollments.reject')}
        </Button>
      }
      {...reject.dialog}
      title={t('operator.enrollments.reject.title', { name: e.organizationName })}
      submitLabel={t('operator.enrollments.reject')}
    >
      <Body1 as="p">{t('operator.enrollments.reject.text')}</Body1>
      <Field label={t('operator.enrollments.reason')} required {...reject.field('reason')}>
        <Textarea value={reject.values.reason} onChange={(_e, d) => reject.set('reason', d.value)} />
      </Field>
      <ProblemBar error={reject.error} fields={['reason']} />
    </FormDialog>
  );
}
