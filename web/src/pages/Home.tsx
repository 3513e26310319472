import { Anchor, Kbd, List, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useUser } from '../auth/session';
import { navFor } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';

export function HomePage() {
  const user = useUser();
  usePageTitle('Start');
  const items = navFor(user);
  return (
    <Stack maw={720} gap="md">
      <Title order={1} size="h2">Good to see you, {user.display_name}</Title>
      <Text>
        Press <Kbd>/</Kbd> to search for a customer by name, address, phone or email, then <Kbd>Enter</Kbd> to open the
        top result. <Kbd>?</Kbd> lists every shortcut.
      </Text>
      {items.length > 0 ? (
        <div>
          <Title order={2} size="h4" mb="xs">What you can do</Title>
          <List spacing={4}>
            {items.map((n) => (
              <List.Item key={n.to}><Anchor component={Link} to={n.to}>{n.label}</Anchor></List.Item>
            ))}
          </List>
        </div>
      ) : (
        <Text>Your role ({user.role_title}) has no pages in civicdesk yet.</Text>
      )}
    </Stack>
  );
}
