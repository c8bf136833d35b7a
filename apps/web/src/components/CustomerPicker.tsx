import { Combobox, Field, Option } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { useDebounced } from './useDebounced.ts';

export interface CustomerPickerProps {
  label: string;
  hint: string;
  className?: string;
  /** The chosen customer's id, or '' for none. */
  value: string;
  onChange(id: string): void;
  /** The field's problem (from a form's check or the API), if any. */
  validation?: { validationMessage?: string; validationState?: 'error' };
}

/**
 * One of the caller's customers, found by the start of its name or domain: the list can hold tens
 * of thousands, so the server searches (ten at a time) instead of the page holding them all.
 */
export function CustomerPicker({ label, hint, className, value, onChange, validation }: CustomerPickerProps) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 250);
  const found = useQuery({
    queryKey: [...queryKeys.customers.all, 'picker', search],
    queryFn: ({ signal }) => api.listCustomers({ query: { search: search === '' ? undefined : search, limit: 10 }, signal }),
  });
  const options = found.data?.items ?? [];
  return (
    <Field label={label} hint={hint} className={className} {...validation}>
      <Combobox
        freeform
        clearable
        value={text}
        selectedOptions={value === '' ? [] : [value]}
        onInput={(e) => {
          setText((e.target as HTMLInputElement).value);
          if (value !== '') onChange('');
        }}
        onOptionSelect={(_e, d) => {
          setText(d.optionText ?? '');
          onChange(d.optionValue ?? '');
        }}
      >
        {options.map((c) => (
          <Option key={c.id} value={c.id} text={c.name}>
            {`${c.name} · ${c.domain}`}
          </Option>
        ))}
        {options.length === 0 && found.isSuccess ? (
          <Option key="none" value="" text="" disabled>
            {t('audit.noCustomerMatch')}
          </Option>
        ) : null}
      </Combobox>
    </Field>
  );
}
