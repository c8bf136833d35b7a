import {
  Body1,
  Button,
  Checkbox,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Tab,
  TabList,
  tokens,
} from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { isApiError, type InvitationPreview } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { DelegatedRoles } from '../components/grants.tsx';
import { RouterButton } from '../components/links.tsx';
import { Loading, PageHeader } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { PublicLayout } from '../components/PublicLayout.tsx';
import { SignInForm } from '../components/SignInForm.tsx';
import { SignUpForm } from '../components/SignUpForm.tsx';
import { countryName, useI18n } from '../i18n/index.tsx';
import { useInvalidateAfterAccept, useInvitationOutcome, useInvitationPreview, type InvitationOutcome as Outcome } from '../queries/invitations.ts';
import { meQuery, sessionHint, useOptionalMe } from '../session.ts';

const route = getRouteApi('/invitations/$id');

const useStyles = makeStyles({
  details: {
    display: 'grid',
    gridTemplateColumns: 'minmax(140px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: `${tokens.spacingVerticalM} 0`,
  },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0 },
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalL },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});


/**
 * The page behind an invitation link. Opening it only reads the preview; accepting or declining
 * is a POST from here. Afterwards the token leaves the address bar (history, screenshots).
 */
export function InvitationPage() {
  const { t } = useI18n();
  const { id } = route.useParams();
  const { token } = route.useSearch();
  const [outcome, setOutcome] = useInvitationOutcome(id);
  const preview = useInvitationPreview(id, token, outcome === null);

  let content;
  if (outcome !== null) content = <OutcomeView outcome={outcome} />;
  else if (token === undefined) content = <Body1 as="p">{t('invitation.noToken')}</Body1>;
  else if (preview.isPending) content = <Loading />;
  else if (preview.isError) {
    const invalid = isApiError(preview.error) && preview.error.code === 'invitation_not_found';
    content = invalid ? <Body1 as="p">{t('invitation.invalid')}</Body1> : <ProblemBar error={preview.error} />;
  } else {
    content = (
      <Decision
        preview={preview.data}
        token={token}
        onDone={setOutcome}
      />
    );
  }
  return (
    <PublicLayout wide>
      <PageHeader title={t('invitation.title')} />
      {content}
    </PublicLayout>
  );
}

function titleOf(t: ReturnType<typeof useI18n>['t'], p: InvitationPreview): string {
  if (p.kind === 'partnership') return t('invitation.partnership.heading', { inviter: p.inviter.name });
  if (p.provider !== null) return t('invitation.joint.heading', { inviter: p.inviter.name, provider: p.provider.name });
  return t('invitation.customer.heading', { inviter: p.inviter.name });
}

function Decision({ preview, token, onDone }: { preview: InvitationPreview; token: string; onDone(outcome: Outcome): void }) {
  const styles = useStyles();
  const { t, locale, dateTime } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidateAll = useInvalidateAfterAccept();
  const me = useOptionalMe();
  const [consent, setConsent] = useState(false);
  const [tab, setTab] = useState<'sign-in' | 'sign-up'>('sign-in');
  const forgetToken = () => navigate({ to: '/invitations/$id', params: { id: preview.id }, search: {}, replace: true });

  const accept = useMutation({
    mutationFn: () => api.acceptInvitation({ id: preview.id, body: { token, consent } }),
    onSuccess: async (result) => {
      onDone({ kind: 'accepted', preview, result });
      await forgetToken();
      await invalidateAll();
    },
  });
  const decline = useMutation({
    mutationFn: () => api.declineInvitation({ id: preview.id, body: { token } }),
    onSuccess: async () => {
      onDone({ kind: 'declined', preview });
      await forgetToken();
    },
  });
  const signOut = useMutation({
    mutationFn: () => api.signOut(),
    onSettled: () => {
      sessionHint.clear();
      queryClient.removeQueries({ queryKey: meQuery.queryKey });
    },
  });

  if (preview.state !== 'pending') {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>{t(`invitation.state.${preview.state}`)}</MessageBarBody>
      </MessageBar>
    );
  }

  const partnership = preview.kind === 'partnership';
  const otherEmail = me?.user != null && me.user.email.toLowerCase() !== preview.email.toLowerCase();
  const org = (o: { name: string; domain: string; country: string }) => `${o.name} (${o.domain}, ${countryName(locale, o.country)})`;

  return (
    <>
      <Subtitle2 as="h2">{titleOf(t, preview)}</Subtitle2>
      <dl className={styles.details}>
        <dt className={styles.term}>{t('invitation.from')}</dt>
        <dd className={styles.value}>{org(preview.inviter)}</dd>
        {preview.provider === null ? null : (
          <>
            <dt className={styles.term}>{t('invitation.jointProvider')}</dt>
            <dd className={styles.value}>{org(preview.provider)}</dd>
          </>
        )}
        <dt className={styles.term}>{t('invitation.kind')}</dt>
        <dd className={styles.value}>{t(partnership ? 'invitationKind.partnership' : preview.provider === null ? 'invitationKind.customer' : 'invitationKind.joint')}</dd>
        <dt className={styles.term}>{t('invitation.for')}</dt>
        <dd className={styles.value}>{preview.email}</dd>
        <dt className={styles.term}>{t('invitation.expires')}</dt>
        <dd className={styles.value}>{dateTime(preview.expiresAt)}</dd>
        <dt className={styles.term}>{t('invitation.theyCan')}</dt>
        <dd className={styles.value}>
          {partnership ? (
            <ul className={styles.list}>
              <li>{t('invitation.partnership.orders')}</li>
              <li>{t('invitation.partnership.admin')}</li>
            </ul>
          ) : (
            <ul className={styles.list}>
              <li>{t(preview.provider === null ? 'invitation.customer.orders' : 'invitation.joint.orders')}</li>
              <li>
                {t('invitation.customer.admin')} <DelegatedRoles roles={preview.delegatedRoles} />{' '}
                {preview.delegatedAdminDays === null ? t('invitation.untilRevoked') : t('invitation.forDays', { count: preview.delegatedAdminDays })}
              </li>
            </ul>
          )}
        </dd>
      </dl>

      {me === null ? (
        <div className={styles.block}>
          <Body1 as="p">{t(partnership ? 'invitation.signInAsPartner' : 'invitation.signInAsCustomer', { email: preview.email })}</Body1>
          {partnership ? null : (
            <TabList selectedValue={tab} onTabSelect={(_e, d) => setTab(d.value === 'sign-up' ? 'sign-up' : 'sign-in')}>
              <Tab value="sign-in">{t('invitation.haveAccount')}</Tab>
              <Tab value="sign-up">{t('invitation.createOrganization')}</Tab>
            </TabList>
          )}
          {tab === 'sign-in' || partnership ? (
            <SignInForm defaultEmail={preview.email} onSignedIn={() => undefined} />
          ) : (
            <SignUpForm invitation={{ id: preview.id, token, email: preview.email }} onSignedUp={() => undefined} />
          )}
        </div>
      ) : (
        <div className={styles.block}>
          <Body1 as="p">{t('invitation.signedInAs', { name: me.user?.displayName ?? '', email: me.user?.email ?? '', organization: me.organization.name })}</Body1>
          {otherEmail ? (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{t('invitation.otherUser.title')}</MessageBarTitle>
                {t('invitation.otherUser.text', { email: preview.email })}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          <Field {...fieldProps(t, accept.error, 'consent')}>
            <Checkbox
              checked={consent}
              onChange={(_e, d) => setConsent(d.checked === true)}
              label={
                partnership
                  ? t('invitation.partnership.consent', { inviter: preview.inviter.name })
                  : preview.provider === null
                    ? t('invitation.customer.consent', { inviter: preview.inviter.name })
                    : t('invitation.joint.consent', { inviter: preview.inviter.name, provider: preview.provider.name })
              }
            />
          </Field>
          <ProblemBar error={accept.error ?? decline.error} fields={['consent']} />
          <div className={styles.actions}>
            <Button appearance="primary" disabled={!consent || accept.isPending || decline.isPending} onClick={() => accept.mutate()}>
              {t(partnership ? 'invitation.authorize' : 'invitation.accept')}
            </Button>
            <Button disabled={accept.isPending || decline.isPending} onClick={() => decline.mutate()}>
              {t('invitation.decline')}
            </Button>
            {otherEmail ? (
              <Button appearance="subtle" onClick={() => signOut.mutate()}>
                {t('invitation.signOut')}
              </Button>
            ) : null}
          </div>
        </div>
      )}
    </>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  const styles = useStyles();
  const { t } = useI18n();
  const p = outcome.preview;
  if (outcome.kind === 'declined') {
    return (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>{t('invitation.declined', { inviter: p.inviter.name })}</MessageBarBody>
      </MessageBar>
    );
  }
  const partnership = p.kind === 'partnership';
  return (
    <div className={styles.block}>
      <MessageBar intent="success" layout="multiline" role="status">
        <MessageBarBody>
          <MessageBarTitle>
            {partnership
              ? t('invitation.done.partnership', { inviter: p.inviter.name })
              : p.provider === null
                ? t('invitation.done.customer', { inviter: p.inviter.name })
                : t('invitation.done.joint', { inviter: p.inviter.name, provider: p.provider.name })}
          </MessageBarTitle>
          {t(partnership ? 'invitation.done.partnershipNext' : 'invitation.done.customerNext')}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.actions}>
        <RouterButton appearance="primary" to={partnership ? '/indirect-providers' : '/partners'}>
          {t(partnership ? 'nav.indirectProviders' : 'nav.partners')}
        </RouterButton>
      </div>
    </div>
  );
}
