import { Body1, Body1Strong, Button, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { CopyRegular } from '@fluentui/react-icons';
import type { Role } from '@tierlink/contract';
import { useI18n } from '../i18n/index.tsx';
import { useNotify } from './notify.tsx';
import { RoleList } from './roles.tsx';

const useStyles = makeStyles({ secret: { fontFamily: tokens.fontFamilyMonospace } });

/**
 * A credential the server shows once (a temporary password, an API key): the warning, the values
 * read-only (secrets in monospace) and the roles it carries, if it carries any.
 */
export function ShownOnce({ text, fields, roles }: { text: string; fields: readonly { label: string; value: string; secret?: boolean }[]; roles?: readonly Role[] }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t('users.added.once')}</MessageBarTitle>
          {text}
        </MessageBarBody>
      </MessageBar>
      {fields.map((f) => (
        <Field key={f.label} label={f.label}>
          <Input readOnly className={f.secret === true ? styles.secret : undefined} value={f.value} />
        </Field>
      ))}
      {roles === undefined ? null : (
        <Body1 as="p">
          <Body1Strong>{t('column.roles')}:</Body1Strong> <RoleList roles={roles} />
        </Body1>
      )}
    </>
  );
}

/** Copies to the clipboard and says whether the browser allowed it. */
export function CopyButton({ label, text, copied, failed }: { label: string; text: string; copied: string; failed: string }) {
  const notify = useNotify();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      notify(copied);
    } catch {
      notify(failed);
    }
  };
  return (
    <Button icon={<CopyRegular />} onClick={() => void copy()}>
      {label}
    </Button>
  );
}
