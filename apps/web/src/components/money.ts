import { minorDigits } from '../i18n/index.tsx';

/**
 * An amount as typed ("12.50", "12,50", "1 200") in minor units of the currency; undefined for
 * an empty input, NaN for text that is no amount (the API then names the field).
 */
export function toMinor(text: string, currency: string): number | undefined {
  const plain = text.replace(/[\s\u00a0']/g, '').replace(',', '.');
  if (plain === '') return undefined;
  if (!/^\d+(\.\d+)?$/.test(plain)) return Number.NaN;
  return Math.round(Number(plain) * 10 ** minorDigits(currency));
}

/** Minor units as an editable amount: 1250 USD → "12.50". */
export function fromMinor(minor: number | null, currency: string): string {
  if (minor === null) return '';
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}
