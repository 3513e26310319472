import { AppShell, Box, Burger, Button, Group, NavLink, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink as RouterNavLink, useLocation, useNavigate } from 'react-router-dom';
import { useCity } from '../api/queries';
import { useSession, useUser } from '../auth/session';
import { navFor } from '../lib/permissions';
import { GlobalSearch } from './GlobalSearch';
import { ShortcutHelp } from './ShortcutHelp';

function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

export function AppFrame({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useSession();
  const city = useCity();
  const navigate = useNavigate();
  const location = useLocation();
  const [navOpen, nav] = useDisclosure(false);
  const [helpOpen, help] = useDisclosure(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isTypingTarget(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === '?') {
        e.preventDefault();
        help.open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [help]);

  useEffect(() => { nav.close(); }, [location.pathname, nav]);

  const items = navFor(user);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="md"
    >
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        Skip to content
      </a>
      <AppShell.Header px="md">
        <Group h="100%" gap="md" wrap="nowrap" justify="space-between">
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <UnstyledButton component={RouterNavLink} to="/" aria-label={`${city.data?.name ?? 'civicdesk'} — start page`}>
              <Text fw={700} size="md" data-testid="city-name">{city.data?.name ?? 'civicdesk'}</Text>
            </UnstyledButton>
          </Group>
          <Box style={{ flex: 1, maxWidth: 560 }}>
            <GlobalSearch inputRef={searchRef} />
          </Box>
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Stack gap={0} align="flex-end" visibleFrom="md" data-testid="signed-in-user">
              <Text size="sm" fw={600}>{user.display_name}</Text>
              <Text size="xs" c="dimmed">{user.role_title}</Text>
            </Stack>
            <Tooltip label="Keyboard shortcuts (?)">
              <Button variant="subtle" size="compact-sm" onClick={help.open} aria-label="Keyboard shortcuts">?</Button>
            </Tooltip>
            <Button
              variant="default"
              size="compact-sm"
              onClick={async () => { await signOut(); navigate('/sign-in', { replace: true }); }}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main navigation" component="nav">
        <NavLink component={RouterNavLink} to="/" end label="Start" />
        {items.map((n) => (
          <NavLink key={n.to} component={RouterNavLink} to={n.to} end={n.to === '/parties'} label={n.label} />
        ))}
        <Box mt="auto" pt="md">
          <Text size="xs" c="dimmed" hiddenFrom="md">{user.display_name} · {user.role_title}</Text>
          <Text size="xs" c="dimmed">Press <kbd>?</kbd> for shortcuts</Text>
        </Box>
      </AppShell.Navbar>

      <AppShell.Main id="main" ref={mainRef} tabIndex={-1} style={{ outline: 'none' }}>
        {children}
      </AppShell.Main>

      <ShortcutHelp opened={helpOpen} onClose={help.close} />
    </AppShell>
  );
}
