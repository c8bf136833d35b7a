import {
  makeStyles,
  Menu,
  MenuButton,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  NavDrawer,
  NavDrawerBody,
  NavItem,
  NavSectionHeader,
  Text,
  tokens,
  type NavItemProps,
} from '@fluentui/react-components';
import { PersonCircleRegular, SignOutRegular, KeyRegular } from '@fluentui/react-icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createLink, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { isApiError, type Me } from '@tierlink/client';
import type { Ref } from 'react';
import { api } from '../api.ts';
import { Brand } from '../components/Brand.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { sessionHint, useMe } from '../session.ts';
import { visibleNavigation, type Capabilities } from './navigation.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', minHeight: '100vh' },
  skip: {
    position: 'absolute',
    left: '-10000px',
    top: 'auto',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 10, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground1 },
  },
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  org: { flexGrow: 1, color: tokens.colorNeutralForegroundOnBrand },
  barButton: {
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: tokens.colorBrandBackgroundHover },
    ':hover:active': { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: tokens.colorBrandBackgroundPressed },
  },
  // The navigation column's colour runs the page's whole height: the drawer itself is at most one
  // screen tall (Fluent caps inline drawers at 100vh), so it sticks to the top while the page
  // scrolls and the column behind it has the drawer's background.
  body: { display: 'flex', flexGrow: 1, minHeight: 0, backgroundColor: tokens.colorNeutralBackground4 },
  nav: { flexShrink: 0, position: 'sticky', top: 0, alignSelf: 'flex-start', height: '100vh', overflowY: 'auto' },
  main: { flexGrow: 1, minWidth: 0, padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`, backgroundColor: tokens.colorNeutralBackground1 },
});

function NavItemAnchor({ ref, ...props }: NavItemProps & { ref?: Ref<HTMLAnchorElement> }) {
  return <NavItem {...props} ref={ref} />;
}
const NavLink = createLink(NavItemAnchor);

const centerName: Record<Me['organization']['kind'], MessageKey> = {
  partner: 'center.partner',
  customer: 'center.customer',
  operator: 'center.operator',
};

/**
 * Whether the embedded mailbox exists; asked once per session (404 when SMTP is configured), and
 * only once the session may read it (not while it must change its password or set up MFA).
 */
export function useCapabilities(): Capabilities {
  const me = useMe();
  const mailbox = useQuery({
    enabled: me.user?.mustChangePassword !== true && !me.mfaEnrollmentRequired,
    queryKey: queryKeys.capabilities.mailbox,
    queryFn: async () => {
      try {
        await api.listMailbox({ query: { limit: 1 } });
        return true;
      } catch (error) {
        if (isApiError(error) && error.status === 404) return false;
        throw error;
      }
    },
    staleTime: Infinity,
  });
  return { mailbox: mailbox.data ?? false };
}

export function AppShell() {
  const styles = useStyles();
  const me = useMe();
  const { t } = useI18n();
  const caps = useCapabilities();
  const entries = visibleNavigation(me, caps);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const selected = entries
    .filter((e) => pathname === e.to || pathname.startsWith(`${e.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0]?.to;
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const signOut = async () => {
    try {
      await api.signOut();
    } finally {
      sessionHint.clear();
      queryClient.clear();
      await navigate({ to: '/sign-in' });
    }
  };

  const main = entries.filter((e) => e.section === 'main');
  const settings = entries.filter((e) => e.section === 'settings');

  return (
    <div className={styles.root}>
      <a className={styles.skip} href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className={styles.bar}>
        <Brand subtitle={t(centerName[me.organization.kind])} />
        <Text className={styles.org} truncate wrap={false}>
          {me.organization.name}
        </Text>
        <LanguageSwitcher className={styles.barButton} appearance="transparent" />
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <MenuButton className={styles.barButton} appearance="transparent" icon={<PersonCircleRegular />}>
              {me.user?.displayName ?? me.apiKey?.name ?? ''}
            </MenuButton>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuGroup>
                <MenuGroupHeader>{me.user?.email ?? ''}</MenuGroupHeader>
                <MenuItem icon={<KeyRegular />} onClick={() => void navigate({ to: '/settings/password' })}>
                  {t('nav.changePassword')}
                </MenuItem>
              </MenuGroup>
              <MenuDivider />
              <MenuItem icon={<SignOutRegular />} onClick={() => void signOut()}>
                {t('shell.signOut')}
              </MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </header>
      <div className={styles.body}>
        <NavDrawer className={styles.nav} open type="inline" selectedValue={selected ?? ''} aria-label={t('shell.navigation')}>
          <NavDrawerBody>
            {main.map((e) => (
              <NavLink key={e.to} to={e.to} value={e.to} icon={e.icon}>
                {t(e.label)}
              </NavLink>
            ))}
            {settings.length > 0 ? <NavSectionHeader>{t('nav.settings')}</NavSectionHeader> : null}
            {settings.map((e) => (
              <NavLink key={e.to} to={e.to} value={e.to} icon={e.icon}>
                {t(e.label)}
              </NavLink>
            ))}
          </NavDrawerBody>
        </NavDrawer>
        <main className={styles.main} id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
