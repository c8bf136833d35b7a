import { Field, Select } from '@fluentui/react-components';
import { useI18n } from '../i18n/index.tsx';
import { fieldProps } from './problems.tsx';

export interface PartnerSelectProps {
  label: string;
  hint: string;
  /** The body field the API names when it refuses the choice (`providerId`). */
  field: string;
  error: unknown;
  value: string;
  onChange(id: string): void;
  partners: readonly { organization: { id: string; name: string } }[];
  /** The label of the empty choice; without it a partner must be chosen. */
  none?: string;
}

/** One of the caller's providers or resellers, by name; the API's refusal sits under it. */
export function PartnerSelect({ label, hint, field, error, value, onChange, partners, none }: PartnerSelectProps) {
  const { t } = useI18n();
  return (
    <Field label={label} hint={hint} required={none === undefined} {...fieldProps(t, error, field)}>
      <Select value={value} onChange={(_e, d) => onChange(d.value)}>
        {none === undefined ? null : <option value="">{none}</option>}
        {partners.map((p) => (
          <option key={p.organization.id} value={p.organization.id}>
            {p.organization.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
