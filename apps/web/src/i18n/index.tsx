import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey, type Messages, type Plural } from './en.ts';

export type { MessageKey } from './en.ts';
export type Locale = 'en' | 'ru';
export const locales: readonly Locale[] = ['en', 'ru'];
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

/**
 * English is in the first load; Russian is fetched when it is first chosen (or detected, before the
 * first render), so a first visit does not download both dictionaries.
 */
const dictionaries: Partial<Record<Locale, Messages>> = { en };
const loaders: Record<Locale, () => Promise<Messages>> = {
  en: () => Promise.resolve(en),
  ru: () => import('./ru.ts').then((m) => m.ru),
};

/** Makes `locale`'s dictionary available to `translate`; resolves at once when it already is. */
export async function loadDictionary(locale: Locale): Promise<void> {
  dictionaries[locale] ??= await loaders[locale]();
}
const storageKey = 'tierlink.locale';

export function detectLocale(): Locale {
  const stored = safeStorage()?.getItem(storageKey);
  if (stored === 'en' || stored === 'ru') return stored;
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages;
  for (const tag of preferred) {
    const lang = tag.slice(0, 2).toLowerCase();
    if (lang === 'ru' || lang === 'en') return lang;
  }
  return 'en';
}

/**
 * The BCP 47 tag for Intl: the browser's own tag when it is of the chosen language (en-GB keeps
 * day-month order), otherwise the language alone.
 */
function intlTag(locale: Locale): string {
  const own = typeof navigator === 'undefined' ? undefined : navigator.languages.find((t) => t.toLowerCase().startsWith(locale));
  return own ?? locale;
}

export function translate(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const message = (dictionaries[locale] ?? en)[key];
  const template = typeof message === 'string' ? message : pluralForm(locale, message, vars['count']);
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = vars[name];
    if (value === undefined) return match;
    return typeof value === 'number' ? new Intl.NumberFormat(intlTag(locale)).format(value) : value;
  });
}

function pluralForm(locale: Locale, message: Plural, count: string | number | undefined): string {
  const n = typeof count === 'number' ? count : Number(count ?? 0);
  const category = new Intl.PluralRules(intlTag(locale)).select(n);
  if (category === 'one') return message.one;
  if (category === 'few') return message.few ?? message.other;
  if (category === 'many') return message.many ?? message.other;
  return message.other;
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Translate;
  /** 12 Mar 2026 */
  date(iso: string): string;
  /** 12 Mar 2026, 14:05 */
  dateTime(iso: string): string;
  number(n: number): string;
  /** An amount in minor units (cents) of its currency: 1250 USD → $12.50. */
  money(minor: number, currency: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(detectLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    safeStorage()?.setItem(storageKey, next);
    // Switch once the dictionary is there: the page never shows keys or a half-translated view.
    void loadDictionary(next).then(() => setLocaleState(next));
  }, []);

  const value = useMemo<I18n>(() => {
    const tag = intlTag(locale);
    const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
    const dateTimeFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    const numberFormat = new Intl.NumberFormat(tag);
    return {
      locale,
      setLocale,
      t: (key, vars) => translate(locale, key, vars),
      date: (iso) => dateFormat.format(new Date(iso)),
      dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      number: (n) => numberFormat.format(n),
      money: (minor, currency) => formatMoney(tag, minor, currency),
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Digits after the decimal point of a currency (2 for USD, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

function formatMoney(tag: string, minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(tag, { style: 'currency', currency }).format(minor / 10 ** minorDigits(currency));
  } catch {
    return `${minor} ${currency}`;
  }
}

/** A month key (`YYYY-MM`, UTC) as the locale names it: 2026-12 → Dec 2026 / дек. 2026 г. */
export function monthName(locale: Locale, month: string): string {
  const [year, index] = month.split('-').map(Number);
  if (year === undefined || index === undefined) return month;
  return new Intl.DateTimeFormat(intlTag(locale), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, index - 1, 1)));
}

/** Localized name of a country code (US → United States / США). */
export function countryName(locale: Locale, code: string): string {
  try {
    return new Intl.DisplayNames([intlTag(locale)], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
