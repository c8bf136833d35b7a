import { Menu, MenuButton, MenuItemRadio, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { LocalLanguageRegular } from '@fluentui/react-icons';
import { locales, useI18n, type Locale } from '../i18n/index.tsx';

const names: Record<Locale, string> = { en: 'English', ru: 'Русский' };

export function LanguageSwitcher({ appearance = 'subtle', className }: { appearance?: 'subtle' | 'transparent' | 'secondary'; className?: string }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <Menu
      checkedValues={{ locale: [locale] }}
      onCheckedValueChange={(_e, data) => {
        const next = data.checkedItems[0];
        if (next === 'en' || next === 'ru') setLocale(next);
      }}
    >
      <MenuTrigger disableButtonEnhancement>
        <MenuButton className={className} appearance={appearance} icon={<LocalLanguageRegular />} aria-label={t('language.choose', { current: names[locale] })}>
          {names[locale]}
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {locales.map((l) => (
            <MenuItemRadio key={l} name="locale" value={l} lang={l}>
              {names[l]}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
