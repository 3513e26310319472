import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { usePageTitle } from '../lib/usePageTitle';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">Page not found</Title>
      <Text>There is no page at this address. Use the search box above or <Anchor component={Link} to="/">go to the start page</Anchor>.</Text>
    </Stack>
  );
}
