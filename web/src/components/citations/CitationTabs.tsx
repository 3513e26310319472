import { Anchor, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { useUser } from '../../auth/session';
import { can } from '../../lib/permissions';

/** The citations pages' own links: lookup, import and the nightly run, the scofflaw list. */
export function CitationTabs() {
  const user = useUser();
  const { pathname } = useLocation();
  const links = [
    { to: '/citations', label: 'Lookup', show: true },
    { to: '/citations/import', label: 'Entry, imports and nightly run', show: can(user, 'citation.write', 'citation.escalate') },
    { to: '/citations/scofflaws', label: 'Scofflaw list', show: true },
    { to: '/citations/reviews', label: 'Contest reviews', show: can(user, 'citation.decide') },
    { to: '/citations/hearings', label: 'Hearing calendar', show: can(user, 'citation.decide') },
    { to: '/citations/dmv', label: 'DMV exchange', show: can(user, 'citation.dmv') },
    { to: '/citations/notices', label: 'Notices', show: can(user, 'citation.read') },
    { to: '/citations/plans', label: 'Payment plans', show: can(user, 'citation.read') },
  ].filter((l) => l.show);
  return (
    <Group gap="md" component="nav" aria-label="Citations pages">
      {links.map((l) => (
        <Anchor key={l.to} component={Link} to={l.to} size="sm" underline="always" aria-current={pathname === l.to ? 'page' : undefined} fw={pathname === l.to ? 700 : undefined}>
          {l.label}
        </Anchor>
      ))}
    </Group>
  );
}
