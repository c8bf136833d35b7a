import { Body1Strong, Caption1, Card, CardHeader, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { Linkify } from '../components/Linkify.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { useMailbox } from '../queries/organization.ts';
import { can, useMe } from '../session.ts';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '900px', padding: 0, margin: 0, listStyle: 'none' },
  body: { whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: 0 },
  filter: { maxWidth: '360px', marginBottom: '12px' },
});

/**
 * The embedded mailbox (no SMTP server configured): operators see every message, others the ones
 * addressed to them. Links in the messages are clickable, so invitations work without mail setup.
 */
export function MailboxPage() {
  const styles = useStyles();
  const { t, dateTime } = useI18n();
  const me = useMe();
  const operator = can(me, 'operator.partners');
  const [to, setTo] = useState('');
  const filter = useDebounced(to.trim().toLowerCase(), 300);
  const { query, items, pager } = useMailbox(filter);
  return (
    <>
      <PageHeader title={t('nav.mailbox')} description={t(operator ? 'mailbox.description.operator' : 'mailbox.description')} />
      {operator ? (
        <Field label={t('mailbox.filter')} className={styles.filter}>
          <Input type="email" value={to} onChange={(_e, d) => setTo(d.value)} />
        </Field>
      ) : null}
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('mailbox.empty.title')}>{t('mailbox.empty.text')}</EmptyState>
      ) : (
        <ul className={styles.list} aria-label={t('nav.mailbox')}>
          {items.map((m) => (
            <li key={m.id}>
              <Card>
                <CardHeader
                  header={<Body1Strong>{m.subject}</Body1Strong>}
                  description={<Caption1>{t('mailbox.meta', { to: m.to, date: dateTime(m.createdAt) })}</Caption1>}
                />
                <p className={styles.body}>
                  <Linkify text={m.text} />
                </p>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Pager {...pager} />
    </>
  );
}
