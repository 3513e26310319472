import { Alert, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useUser } from '../auth/session';
import { can, type NavItem } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';

export function refusalText(roleTitle: string, what: string): string {
  return `Your role (${roleTitle}) cannot ${what}`;
}

export function Refusal({ what, title = 'Not allowed' }: { what: string; title?: string }) {
  const user = useUser();
  usePageTitle(title);
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">{title}</Title>
      <Alert color="red" variant="light" title="Not allowed for your role" role="alert">
        {refusalText(user.role_title, what)}. Ask a supervisor if you need this done.
      </Alert>
    </Stack>
  );
}

export function RequirePermission({ item, children }: { item: Pick<NavItem, 'anyOf' | 'refusal' | 'label'>; children: ReactNode }) {
  const user = useUser();
  if (!can(user, ...item.anyOf)) return <Refusal what={item.refusal} title={item.label} />;
  return <>{children}</>;
}
