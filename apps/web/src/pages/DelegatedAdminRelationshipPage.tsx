import { Body1, Button, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { CheckmarkRegular, DeleteRegular, EditRegular, SendRegular } from '@fluentui/react-icons';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { isApiError, type DelegatedAdminAmendment, type DelegatedAdminRelationship } from '@tierlink/client';
import { durationDays, ProposeAmendmentBody, UpdateDelegatedAdminRelationshipBody, type DelegatedRole, type RelationshipAction } from '@tierlink/contract';
import { useState, type ReactElement } from 'react';
import { api } from '../api.ts';
import { AmendmentDecision, AmendmentDelta, AmendmentDone, type AmendmentOutcome } from '../components/amendments.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { RouterLink } from '../components/links.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Section } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { durationText, RelationshipStateBadge, relationshipEnd, RolesWithAllows, relationshipName, TerminateRelationship } from '../components/relationships.tsx';
import { CopyButton } from '../components/ShownOnce.tsx';
import { useFormDialog } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { useRelationship } from '../queries/delegatedAdmin.ts';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { can, useMe } from '../session.ts';
import { RelationshipTermsFields } from './DelegatedAdminPage.tsx';

const route = getRouteApi('/app/delegated-admin/$id');

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'minmax(160px, max-content) 1fr', columnGap: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground2 },
  dd: { margin: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  link: { fontFamily: tokens.fontFamilyMonospace },
});

type Side = 'partner' | 'customer' | 'reseller';

/**
 * One relationship, the page behind the approval link (`/delegated-admin/{id}`): who asks, through
 * which reseller, for which roles (and what each allows), for how long. Opening it only reads;
 * every change is a button. Each side sees what it may do in the relationship's state.
 */
export function DelegatedAdminRelationshipPage() {
  const { t } = useI18n();
  const { id } = route.useParams();
  const relationship = useRelationship(id);
  if (relationship.isPending) return <Loading />;
  if (relationship.isError) {
    const gone = isApiError(relationship.error) && relationship.error.status === 404;
    return (
      <>
        <PageHeader title={t('dar.notFound.title')} />
        {gone ? (
          <EmptyState title={t('dar.notFound.text')} action={<RouterLink to="/delegated-admin">{t('dar.back')}</RouterLink>} />
        ) : (
          <ProblemBar error={relationship.error} />
        )}
      </>
    );
  }
  return <RelationshipView relationship={relationship.data} />;
}

function RelationshipView({ relationship: r }: { relationship: DelegatedAdminRelationship }) {
  const styles = useStyles();
  const { t, dateTime } = useI18n();
  const me = useMe();
  const [outcome, setOutcome] = useState<AmendmentOutcome | null>(null);
  const org = me.organization.id;
  const side: Side = org === r.partner.id ? 'partner' : org === r.customer.id ? 'customer' : 'reseller';
  const live = r.state === 'active' || r.state === 'expiring';
  const heading =
    side === 'customer' && r.state === 'approval_pending' ? t('dar.asks', { partner: r.partner.name }) : relationshipName(r, t);
  return (
    <>
      <PageHeader
        title={heading}
        description={t(`dar.side.${side}`, { partner: r.partner.name, customer: r.customer.name })}
        actions={<RouterLink to="/delegated-admin">{t('dar.back')}</RouterLink>}
      />
      <Section title={t('dar.terms')}>
        <dl className={styles.facts}>
          <dt className={styles.term}>{t('column.state')}</dt>
          <dd className={styles.dd}>
            <RelationshipStateBadge state={r.state} />
          </dd>
          {r.displayName === null ? null : (
            <>
              <dt className={styles.term}>{t('column.name')}</dt>
              <dd className={styles.dd}>{r.displayName}</dd>
            </>
          )}
          <dt className={styles.term}>{t('dar.partner')}</dt>
          <dd className={styles.dd}>{r.partner.name}</dd>
          {r.reseller === null ? null : (
            <>
              <dt className={styles.term}>{t('dar.reseller')}</dt>
              <dd className={styles.dd}>
                {r.reseller.name} ·{' '}
                {r.resellerConsentedAt === null ? t('dar.consent.waiting') : t('dar.consent.given', { date: dateTime(r.resellerConsentedAt) })}
              </dd>
            </>
          )}
          <dt className={styles.term}>{t('column.customer')}</dt>
          <dd className={styles.dd}>{r.customer.name}</dd>
          <dt className={styles.term}>{t('dar.roles')}</dt>
          <dd className={styles.dd}>
            <RolesWithAllows roles={r.roles} />
          </dd>
          <dt className={styles.term}>{t('dar.duration')}</dt>
          <dd className={styles.dd}>{durationText(t, r.duration)}</dd>
          <dt className={styles.term}>{t('dar.autoExtend')}</dt>
          <dd className={styles.dd}>{r.autoExtendDuration === 'P0D' ? t('dar.autoExtend.off') : t('dar.autoExtend.on')}</dd>
          <dt className={styles.term}>{t('dar.column.end')}</dt>
          <dd className={styles.dd}>{relationshipEnd(r, t, dateTime)}</dd>
          <dt className={styles.term}>{t('dar.createdAt')}</dt>
          <dd className={styles.dd}>{dateTime(r.createdAt)}</dd>
          {r.approvalRequestedAt === null ? null : (
            <>
              <dt className={styles.term}>{t('dar.requestedAt')}</dt>
              <dd className={styles.dd}>{dateTime(r.approvalRequestedAt)}</dd>
            </>
          )}
          {r.activatedAt === null ? null : (
            <>
              <dt className={styles.term}>{t('dar.activatedAt')}</dt>
              <dd className={styles.dd}>{dateTime(r.activatedAt)}</dd>
            </>
          )}
        </dl>
      </Section>
      {outcome === null ? null : (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{outcome.decision === 'approve' ? t('dar.amendment.approved') : t('dar.amendment.rejected')}</MessageBarTitle>
            <AmendmentDone outcome={outcome} />
          </MessageBarBody>
        </MessageBar>
      )}
      {r.pendingAmendment === null ? null : (
        <PendingAmendment relationship={r} amendment={r.pendingAmendment} mayDecide={side === 'customer' && can(me, 'delegated_admin.approve')} onDecided={setOutcome} />
      )}
      {side === 'partner' && r.approvalUrl !== null ? <ApprovalLink url={r.approvalUrl} /> : null}
      <Section title={t('column.actions')}>
        <div className={styles.actions}>
          {side === 'partner' && r.state === 'created' && can(me, 'delegated_admin.manage') ? (
            <>
              <Transition relationship={r} action="lock_for_approval" icon={<SendRegular />} primary />
              <EditDraft relationship={r} />
              <DeleteDraft relationship={r} />
            </>
          ) : null}
          {side === 'reseller' && r.state === 'approval_pending' && r.resellerConsentedAt === null && can(me, 'delegated_admin.act') ? (
            <Transition relationship={r} action="consent" icon={<CheckmarkRegular />} primary />
          ) : null}
          {side === 'customer' && r.state === 'approval_pending' && can(me, 'delegated_admin.approve') ? (
            <>
              <Transition relationship={r} action="approve" icon={<CheckmarkRegular />} primary />
              <TerminateRelationship relationship={r} action="reject" />
            </>
          ) : null}
          {side === 'partner' && live && can(me, 'delegated_admin.manage') ? <ProposeAmendment relationship={r} /> : null}
          {side !== 'reseller' && live && can(me, 'delegated_admin.act') ? <TerminateRelationship relationship={r} action="terminate" /> : null}
        </div>
      </Section>
    </>
  );
}

function PendingAmendment({ relationship, amendment, mayDecide, onDecided }: { relationship: DelegatedAdminRelationship; amendment: DelegatedAdminAmendment; mayDecide: boolean; onDecided(outcome: AmendmentOutcome): void }) {
  const { t, dateTime } = useI18n();
  return (
    <Section title={t('dar.amendment.pending')}>
      <Body1 as="p">{t('dar.amendment.pendingText', { date: dateTime(amendment.createdAt) })}</Body1>
      <AmendmentDelta relationship={relationship} amendment={amendment} />
      {mayDecide ? <AmendmentDecision relationship={relationship} amendment={amendment} onDecided={onDecided} /> : null}
    </Section>
  );
}

/** The link the customer opens to decide, to send by the partner's own means too (email is sent by Tierlink). */
function ApprovalLink({ url }: { url: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Section title={t('dar.link')}>
      <Body1 as="p">{t('dar.link.text')}</Body1>
      <Field label={t('dar.link')}>
        <Input readOnly className={styles.link} value={url} />
      </Field>
      <div>
        <CopyButton label={t('dar.link.copy')} text={url} copied={t('dar.link.copied')} failed={t('dar.link.copyFailed')} />
      </div>
    </Section>
  );
}

/** A transition that needs no confirmation: send for approval, consent, approve. */
function Transition({ relationship, action, icon, primary = false }: { relationship: DelegatedAdminRelationship; action: RelationshipAction; icon: ReactElement; primary?: boolean }) {
  const { t } = useI18n();
  const notify = useNotify();
  const invalidate = useInvalidate();
  const move = useMutation({
    mutationFn: () => api.requestDelegatedAdminTransition({ id: relationship.id, body: { action } }),
    onSuccess: async () => {
      notify(t(`dar.action.${action}.done`));
      await invalidate(queryKeys.delegatedAdmin.all);
    },
  });
  return (
    <>
      <Button appearance={primary ? 'primary' : 'secondary'} icon={icon} disabled={move.isPending} onClick={() => move.mutate()}>
        {t(`dar.action.${action}`)}
      </Button>
      <ProblemBar error={move.error} />
    </>
  );
}

function DeleteDraft({ relationship: r }: { relationship: DelegatedAdminRelationship }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <ConfirmDialog
      trigger={<Button icon={<DeleteRegular />}>{t('dar.delete')}</Button>}
      title={t('dar.delete.title', { name: relationshipName(r, t) })}
      confirmLabel={t('dar.delete')}
      action={() => api.deleteDelegatedAdminRelationship({ id: r.id })}
      notice={() => t('dar.delete.done')}
      onDone={() => void navigate({ to: '/delegated-admin' })}
      invalidates={[queryKeys.delegatedAdmin.all]}
    >
      <Body1 as="p">{t('dar.delete.text')}</Body1>
    </ConfirmDialog>
  );
}

const daysOf = (duration: string | null): string => (duration === null ? '' : String(durationDays(duration)));

interface DraftChange {
  displayName: string;
  roles: DelegatedRole[];
  days: string;
  autoExtend: boolean;
}

/** A draft's name and terms (state created only; the server answers relationship_not_editable after). */
function EditDraft({ relationship: r }: { relationship: DelegatedAdminRelationship }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const body = (d: DraftChange) => ({
    displayName: d.displayName,
    roles: d.roles,
    duration: `P${d.days.trim()}D`,
    autoExtendDuration: d.autoExtend ? ('P180D' as const) : ('P0D' as const),
  });
  const form = useFormDialog<DraftChange, DelegatedAdminRelationship>({
    restart: 'onOpen',
    initial: () => ({ displayName: r.displayName ?? '', roles: [...r.roles], days: daysOf(r.duration), autoExtend: r.autoExtendDuration !== 'P0D' }),
    schema: UpdateDelegatedAdminRelationshipBody,
    body,
    // Optimistic concurrency: the draft as this page read it; a 412 reads it again (the dialog keeps the values).
    action: (d) => api.updateDelegatedAdminRelationship({ id: r.id, body: body(d), headers: { 'if-match': r.etag } }),
    notice: () => t('dar.edit.done'),
    invalidates: () => [queryKeys.delegatedAdmin.all],
    onError: (error) => (isApiError(error) && error.status === 412 ? invalidate(queryKeys.delegatedAdmin.relationship(r.id)) : undefined),
  });
  return (
    <FormDialog {...form.dialog} wide trigger={<Button icon={<EditRegular />}>{t('dar.edit')}</Button>} title={t('dar.edit.title')} submitLabel={t('dar.edit.submit')}>
      <ProblemBar error={form.error} fields={['displayName', 'roles', 'duration', 'autoExtendDuration']} />
      <Field label={t('column.name')} required {...form.field('displayName')}>
        <Input value={form.values.displayName} maxLength={50} onChange={(_e, d) => form.set('displayName', d.value)} />
      </Field>
      <RelationshipTermsFields form={form} />
    </FormDialog>
  );
}

interface Proposal {
  roles: DelegatedRole[];
  days: string;
  autoExtend: boolean;
}

/** New roles and/or a new duration (counted from the start); the old terms hold until the customer approves. */
function ProposeAmendment({ relationship: r }: { relationship: DelegatedAdminRelationship }) {
  const { t } = useI18n();
  const sameRoles = (roles: readonly DelegatedRole[]) => roles.length === r.roles.length && roles.every((x) => r.roles.includes(x));
  const body = (p: Proposal) => ({
    roles: sameRoles(p.roles) ? undefined : p.roles,
    duration: p.days.trim() === daysOf(r.duration) ? undefined : `P${p.days.trim()}D`,
  });
  const form = useFormDialog<Proposal, DelegatedAdminAmendment>({
    restart: 'onOpen',
    initial: () => ({ roles: [...r.roles], days: daysOf(r.duration), autoExtend: false }),
    schema: ProposeAmendmentBody,
    body,
    validate: (p): Record<string, string> => {
      const b = body(p);
      return b.roles === undefined && b.duration === undefined ? { roles: t('dar.amend.nothing') } : {};
    },
    action: (p) => api.proposeDelegatedAdminAmendment({ id: r.id, body: body(p) }),
    notice: () => t('dar.amend.done', { customer: r.customer.name }),
    invalidates: () => [queryKeys.delegatedAdmin.all],
  });
  return (
    <FormDialog {...form.dialog} wide trigger={<Button icon={<EditRegular />}>{t('dar.amend')}</Button>} title={t('dar.amend.title')} submitLabel={t('dar.amend.submit')}>
      <Body1 as="p">{t('dar.amend.text')}</Body1>
      <ProblemBar error={form.error} fields={['roles', 'duration']} />
      <RelationshipTermsFields form={form} autoExtend={false} />
    </FormDialog>
  );
}
