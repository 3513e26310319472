import { Alert, Stack, Title } from '@mantine/core';
import { usePageTitle } from '../lib/usePageTitle';

export function ComingSoon({ title, feature }: { title: string; feature: string }) {
  usePageTitle(title);
  return (
    <Stack gap="md" maw={720}>
      <Title order={1} size="h2">{title}</Title>
      <Alert color="blue" variant="light" title={`Coming with ${feature}`}>
        This page is not built yet. Your role is allowed to use it; it will appear here when {feature} is
        delivered. Nothing is hidden from you in the meantime.
      </Alert>
    </Stack>
  );
}
