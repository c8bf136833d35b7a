import { Caption1, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { isApiError, type ApiError, type ApiErrorCode } from '@tierlink/client';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';

/** The localized sentence for an error code (`error.invitation_expired`). */
export function errorText(t: Translate, error: unknown): string {
  if (!isApiError(error)) return t('error.unexpected_response');
  const key: `error.${ApiErrorCode}` = `error.${error.code}`;
  return t(key);
}

/** Hints for the inputs the API validates, by the last segment of the field path. */
const fieldHints: Partial<Record<string, MessageKey>> = {
  email: 'field.email.invalid',
  domain: 'field.domain.invalid',
  country: 'field.country.invalid',
  password: 'field.password.invalid',
  newPassword: 'field.password.invalid',
  displayName: 'field.required',
  name: 'field.required',
  url: 'field.url.invalid',
};

/** The localized hint for a field path, by its last segment (`primaryContact.email` → email). */
export function fieldHint(field: string): MessageKey | undefined {
  return fieldHints[field.split('.').pop() ?? field];
}

/**
 * What to show under one input: nothing unless the error names this field (or a field below it).
 * Validation failures get one message: the localized hint when the field has one (the server's
 * English words would repeat it), else the server's; other codes their sentence.
 */
export function fieldMessage(t: Translate, error: unknown, field: string): string | undefined {
  if (!isApiError(error)) return undefined;
  const message = error.messageFor(field);
  if (message === undefined && error.field !== field) return undefined;
  if (error.code !== 'validation_failed') return errorText(t, error);
  const hint = fieldHint(field);
  return hint === undefined ? (message ?? t('error.validation_failed')) : t(hint);
}

/** Props for a Fluent Field: the message and the error state, when this field is at fault. */
export function fieldProps(t: Translate, error: unknown, field: string): { validationMessage?: string; validationState?: 'error' } {
  const message = fieldMessage(t, error, field);
  return message === undefined ? {} : { validationMessage: message, validationState: 'error' };
}

/**
 * A failed call as a message bar: the localized sentence, the server's detail (unless the fields
 * already show it) and the request id to quote to support.
 */
export function ProblemBar({ error, fields = [] }: { error: unknown; fields?: readonly string[] }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  const api: ApiError | null = isApiError(error) ? error : null;
  const shownAtField = api !== null && fields.some((f) => api.messageFor(f) !== undefined || api.field === f);
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{shownAtField ? t('problem.checkFields') : errorText(t, error)}</MessageBarTitle>
        {!shownAtField && api?.detail !== undefined && api.code !== 'network_error' ? <span> {api.detail}</span> : null}
        {api?.requestId !== undefined ? <Caption1 block>{t('problem.requestId', { id: api.requestId })}</Caption1> : null}
      </MessageBarBody>
    </MessageBar>
  );
}
