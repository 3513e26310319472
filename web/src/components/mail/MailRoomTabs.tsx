import { Button, Group } from '@mantine/core';
import { NavLink as RouterNavLink, useLocation } from 'react-router-dom';
import { useUser } from '../../auth/session';
import { can } from '../../lib/permissions';

/** The mail room's own pages, side by side: the log, the batches, the exceptions, the lockbox, the queues. */
export const MAIL_ROOM_PAGES = [
  { to: '/mail', label: 'Mail log', anyOf: ['mail.log'] },
  { to: '/batches', label: 'Remittance batches', anyOf: ['batch.post'] },
  { to: '/remittance/exceptions', label: 'Exception queue', anyOf: ['payment.transfer'] },
  { to: '/lockbox', label: 'Lockbox imports', anyOf: ['batch.post'] },
  { to: '/queues', label: 'Work queues', anyOf: [] as string[] },
];

export function MailRoomTabs() {
  const user = useUser();
  const { pathname } = useLocation();
  const pages = MAIL_ROOM_PAGES.filter((p) => p.anyOf.length === 0 || can(user, ...p.anyOf));
  if (pages.length < 2) return null;
  return (
    <nav aria-label="Mail room pages">
      <Group gap={4} mb="xs">
        {pages.map((p) => {
          const active = pathname === p.to || pathname.startsWith(`${p.to}/`);
          return (
            <Button
              key={p.to}
              component={RouterNavLink}
              to={p.to}
              size="compact-sm"
              variant={active ? 'light' : 'subtle'}
              aria-current={active ? 'page' : undefined}
            >
              {p.label}
            </Button>
          );
        })}
      </Group>
    </nav>
  );
}
