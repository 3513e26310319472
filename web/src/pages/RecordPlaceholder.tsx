import { Stack, Title, Alert } from '@mantine/core';
import { useParams } from 'react-router-dom';
import { NotFoundPage } from './NotFound';
import { usePageTitle } from '../lib/usePageTitle';

// Search may return kinds whose pages are not built yet (accounts, citations, licenses, permits).
const KINDS: Record<string, { label: string; feature: string }> = {
  accounts: { label: 'Account', feature: 'accounts and the ledger' },
  citations: { label: 'Citation', feature: 'citations' },
  licenses: { label: 'License', feature: 'licensing' },
  permits: { label: 'Permit', feature: 'permits' },
};

export function RecordPlaceholder() {
  const { kind = '', id = '' } = useParams();
  const k = KINDS[kind];
  usePageTitle(k ? `${k.label} ${id}` : undefined);
  if (!k) return <NotFoundPage />;
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">{k.label} {id}</Title>
      <Alert color="blue" variant="light" title={`Coming with ${k.feature}`}>
        The {k.label.toLowerCase()} page is not built yet; it will open here when {k.feature} is delivered.
      </Alert>
    </Stack>
  );
}
