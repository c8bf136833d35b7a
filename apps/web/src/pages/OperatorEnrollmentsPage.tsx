import {
  Badge,
  Body1,
  Body1Strong,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkRegular, DismissRegular, DocumentSearchRegular, WarningRegular } from '@fluentui/react-icons';
import type { Enrollment } from '@tierlink/client';
import { RejectEnrollmentBody } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
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
  flag: { display: 'inline-flex', gap: tokens.spacingHorizontalXXS, alignItems: 'center', color: tokens.colorPaletteDarkOrangeForeground1 },
  details: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  pair: { display: 'contents' },
  term: { fontWeight: tokens.fontWeightSemibold },
  definition: { margin: 0, wordBreak: 'break-word' },
});

/** Names compared as a reviewer reads them: case, spacing and punctuation aside. */
const comparable = (name: string) => name.toLowerCase().replaceAll(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** The legal name differs from the organization's: the reviewer should look twice. */
export const legalNameDiffers = (e: Enrollment) => e.legalProfile !== null && comparable(e.legalProfile.name) !== comparable(e.organizationName);

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
  const invalidate = useInvalidate();
  const decided = () => void invalidate(queryKeys.operator.enrollments.all);
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
            {legalNameDiffers(e) ? <NameFlag /> : null}
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
        <RowActions>
          <EnrollmentDetails enrollment={e} />
          {e.state === 'in_review' ? (
            <>
              <ApproveEnrollment enrollment={e} />
              <RejectEnrollment enrollment={e} onDone={decided} />
            </>
          ) : null}
        </RowActions>
      </TableCell>
    </TableRow>
  );
}

function NameFlag() {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <span className={styles.flag}>
      <WarningRegular aria-hidden />
      {t('operator.enrollments.nameDiffers')}
    </span>
  );
}

/** Approving opens the partner center to the partner: confirmed, with what the reviewer checked. */
function ApproveEnrollment({ enrollment: e }: { enrollment: Enrollment }) {
  const { t } = useI18n();
  return (
    <ConfirmDialog
      trigger={
        <Button size="small" appearance="primary" icon={<CheckmarkRegular />}>
          {t('operator.enrollments.approve')}
        </Button>
      }
      title={t('operator.enrollments.approve.title', { name: e.organizationName })}
      confirmLabel={t('operator.enrollments.approve')}
      action={() => api.approveEnrollment({ id: e.id })}
      notice={() => t('operator.enrollments.approved', { name: e.organizationName })}
      // An approved enrollment is a partner profile now.
      invalidates={[queryKeys.operator.enrollments.all, queryKeys.operator.partners.all]}
    >
      <Body1 as="p">{t('operator.enrollments.approve.text', { program: t(`program.${e.program}`) })}</Body1>
      {legalNameDiffers(e) && e.legalProfile !== null ? (
        <MessageBar intent="warning">
          <MessageBarBody>{t('operator.enrollments.nameDiffers.text', { legal: e.legalProfile.name, name: e.organizationName })}</MessageBarBody>
        </MessageBar>
      ) : null}
    </ConfirmDialog>
  );
}

/** Every submitted detail of one enrollment, read-only. */
function EnrollmentDetails({ enrollment: e }: { enrollment: Enrollment }) {
  const styles = useStyles();
  const { t, dateTime } = useI18n();
  const rows: [string, string][] = [
    [t('column.organization'), e.organizationName],
    [t('operator.enrollments.program'), t(`program.${e.program}`)],
    [t('column.state'), t(`enrollmentState.${e.state}`)],
    [t('operator.enrollments.membershipId'), e.membershipId ?? '—'],
    [t('operator.enrollments.legalName'), e.legalProfile?.name ?? '—'],
    [t('operator.enrollments.address'), e.legalProfile?.address ?? '—'],
    [t('operator.enrollments.primaryContact'), e.primaryContact === null ? '—' : `${e.primaryContact.name}, ${e.primaryContact.email}, ${e.primaryContact.phone}`],
    [t('operator.enrollments.supportContact'), e.supportProfile === null ? '—' : `${e.supportProfile.email}, ${e.supportProfile.phone}, ${e.supportProfile.website}`],
    [t('operator.enrollments.submitted'), dateTime(e.createdAt)],
    [t('operator.enrollments.updated'), dateTime(e.updatedAt)],
    ...(e.decisionReason === null ? [] : [[t('operator.enrollments.reason'), e.decisionReason] as [string, string]]),
  ];
  return (
    <Dialog>
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" icon={<DocumentSearchRegular />} aria-label={t('operator.enrollments.details.of', { name: e.organizationName })}>
          {t('operator.enrollments.details')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('operator.enrollments.details.title', { name: e.organizationName })}</DialogTitle>
          <DialogContent>
            {legalNameDiffers(e) ? <NameFlag /> : null}
            <dl className={styles.details}>
              {rows.map(([term, value]) => (
                <div key={term} className={styles.pair}>
                  <dt className={styles.term}>{term}</dt>
                  <dd className={styles.definition}>{value}</dd>
                </div>
              ))}
            </dl>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary">{t('operator.enrollments.close')}</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Rejecting needs a reason; it is emailed to the primary contact. */
function RejectEnrollment({ enrollment: e, onDone }: { enrollment: Enrollment; onDone(): void }) {
  const { t } = useI18n();
  const reject = useFormDialog({
    initial: () => ({ reason: '' }),
    // A cancelled reason is kept; a sent one is not.
    restart: 'onDone',
    schema: RejectEnrollmentBody,
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
