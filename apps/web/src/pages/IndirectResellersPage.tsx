import { Body1, Button, Field, Input, Textarea } from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons';
import { CreateResellerInvitationBody } from '@tierlink/contract';
import { api } from '../api.ts';
import { SetCreditLimit } from '../components/credit.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { IndirectPartnerList } from '../components/IndirectPartnerList.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useFormDialog } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { can, useMe } from '../session.ts';

/** Provider: the resellers it works with (seed: "Indirect resellers"). */
export function IndirectResellersPage() {
  const me = useMe();
  return (
    <IndirectPartnerList
      side="reseller"
      action={can(me, 'partnerships.invite') ? <InviteReseller /> : undefined}
      rowActions={(item) => (can(me, 'credit.manage') ? <SetCreditLimit reseller={item.organization} /> : null)}
    />
  );
}

/** "Invite reseller": Tierlink emails the reseller's admin a single-use link. */
function InviteReseller() {
  const { t, dateTime } = useI18n();
  const invite = useFormDialog({
    initial: () => ({ email: '', message: '' }),
    // A cancelled draft is kept; a sent one is not.
    restart: 'onDone',
    schema: CreateResellerInvitationBody,
    body: ({ email, message }) => ({ email, ...(message.trim() === '' ? {} : { message }) }),
    action: ({ email, message }) => api.createResellerInvitation({ body: { email, ...(message.trim() === '' ? {} : { message }) } }),
    notice: (created) => t('resellers.invite.done', { email: created.invitation.email, date: dateTime(created.invitation.expiresAt) }),
    invalidates: () => [queryKeys.invitations.all],
  });
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<PersonAddRegular />}>
          {t('resellers.invite')}
        </Button>
      }
      {...invite.dialog}
      title={t('resellers.invite')}
      submitLabel={t('resellers.invite.send')}
    >
      <Body1 as="p">{t('resellers.invite.text')}</Body1>
      <Field label={t('resellers.invite.email')} required {...invite.field('email')}>
        <Input type="email" value={invite.values.email} onChange={(_e, d) => invite.set('email', d.value)} />
      </Field>
      <Field label={t('resellers.invite.message')} hint={t('resellers.invite.message.hint')} {...invite.field('message')}>
        <Textarea value={invite.values.message} onChange={(_e, d) => invite.set('message', d.value)} />
      </Field>
      <ProblemBar error={invite.error} fields={['email', 'message']} />
    </FormDialog>
  );
}
