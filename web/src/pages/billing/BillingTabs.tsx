import { Anchor, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { useUser } from '../../auth/session';
import { can } from '../../lib/permissions';

/** The billing pages' own links: account lookup, the read exception queue, routes and imports. */
export function BillingTabs() {
  const user = useUser();
  const { pathname } = useLocation();
  const links = [
    { to: '/billing', label: 'Accounts', show: true },
    { to: '/billing/read-exceptions', label: 'Read exceptions', show: true },
    { to: '/billing/routes', label: 'Routes and read imports', show: can(user, 'billing.reads') },
    { to: '/billing/runs', label: 'Bill runs', show: true },
    { to: '/billing/penalties', label: 'Penalties', show: true },
    { to: '/billing/notices', label: 'Notices', show: true },
    { to: '/billing/what-if', label: 'Rate what-if', show: true },
  ].filter((l) => l.show);
  return (
    <Group gap="md" component="nav" aria-label="Billing pages">
      {links.map((l) => (
        <Anchor key={l.to} component={Link} to={l.to} size="sm" underline="always" aria-current={pathname === l.to ? 'page' : undefined} fw={pathname === l.to ? 700 : undefined}>
          {l.label}
        </Anchor>
      ))}
    </Group>
  );
}
