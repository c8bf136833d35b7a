import { Select } from '@fluentui/react-components';
import { useMemo } from 'react';
import { countryCodes } from '../i18n/countries.ts';
import { countryName, useI18n } from '../i18n/index.tsx';

/** Native select of every country, by localized name; the value is the two-letter code. */
export function CountrySelect({ value, onChange, id }: { value: string; onChange(code: string): void; id?: string }) {
  const { locale, t } = useI18n();
  const options = useMemo(() => {
    const collator = new Intl.Collator(locale);
    return countryCodes.map((code) => ({ code, name: countryName(locale, code) })).sort((a, b) => collator.compare(a.name, b.name));
  }, [locale]);
  return (
    <Select id={id} value={value} onChange={(_e, data) => onChange(data.value)}>
      <option value="">{t('field.country.choose')}</option>
      {options.map((o) => (
        <option key={o.code} value={o.code}>
          {o.name}
        </option>
      ))}
    </Select>
  );
}
