import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useCity, useParty } from '../api/queries';
import { useUser } from '../auth/session';
import { formatDateTime } from '../lib/dates';
import { contactPrefLabel, flagLabel, formatAddress, languageLabel } from '../lib/party';
import { can } from '../lib/permissions';
import { PartyMoney } from '../components/ledger/PartyMoney';
import { usePageTitle } from '../lib/usePageTitle';

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const id = `sec-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={id} data-testid={testId}>
      <Title order={2} size="h5" id={id} mb="xs">{title}</Title>
      {children}
    </Paper>
  );
}

const KIND_LABEL: Record<string, string> = { mailing: 'Mailing', service: 'Service', other: 'Other', mobile: 'Mobile', home: 'Home', work: 'Work' };

export function PartyPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const user = useUser();
  const q = useParty(id);
  const tz = useCity().data?.time_zone;
  const p = q.data;
  usePageTitle(p?.display_name ?? 'Customer');

  if (!Number.isInteger(id) || id <= 0) {
    return <Alert color="red" role="alert" title="Not a customer number">“{idParam}” is not a customer number.</Alert>;
  }
  if (q.isLoading) return <Loader aria-label="Loading customer" />;
  if (q.isError || !p) {
    const nf = isApiError(q.error) && q.error.status === 404;
    return (
      <Alert color="red" role="alert" title={nf ? 'No such customer' : 'Could not load the customer'}>
        {nf ? `There is no customer number ${id}.` : q.error instanceof Error ? q.error.message : 'Unknown error'}
      </Alert>
    );
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <Title order={1} size="h2" data-testid="party-name">{p.display_name}</Title>
            <Badge variant="light" color="gray">{p.kind === 'business' ? 'Business' : 'Person'}</Badge>
            {p.flags.map((f, i) => <Badge key={i} color="orange" variant="light">{flagLabel(f)}</Badge>)}
          </Group>
          <Text size="sm" c="dimmed">Customer no. {p.id}</Text>
        </div>
        {can(user, 'party.write') && (
          <Button component={Link} to={`/parties/${p.id}/edit`} variant="default">Edit</Button>
        )}
      </Group>

      {can(user, 'ledger.read') && <PartyMoney party={p} />}

      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
        <Section title="Who they are">
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {p.kind === 'business' ? (
                <Row k="Business name" v={p.business_name} />
              ) : (
                <>
                  <Row k="First name" v={p.first_name} />
                  <Row k="Last name" v={p.last_name} />
                </>
              )}
              <Row k="Language" v={languageLabel(p.preferred_language)} />
              <Row k="Contact by" v={contactPrefLabel(p.contact_preference)} />
              <Row k="Created" v={formatDateTime(p.created_at, tz)} />
              <Row k="Updated" v={formatDateTime(p.updated_at, tz)} />
            </Table.Tbody>
          </Table>
        </Section>

        <Section title="Addresses">
          {p.addresses.length === 0 ? <Text size="sm">No address recorded.</Text> : (
            <Stack gap={4}>
              {p.addresses.map((a, i) => (
                <Text size="sm" key={i}><Text span fw={600}>{KIND_LABEL[a.kind] ?? a.kind}:</Text> {formatAddress(a)}</Text>
              ))}
            </Stack>
          )}
        </Section>

        <Section title="Phones and email">
          {p.phones.length === 0 && p.emails.length === 0 ? <Text size="sm">No phone or email recorded.</Text> : (
            <Stack gap={4}>
              {p.phones.map((ph, i) => (
                <Text size="sm" key={`p${i}`}><Text span fw={600}>{KIND_LABEL[ph.kind] ?? ph.kind}:</Text> <Anchor href={`tel:${ph.number.replace(/[^\d+]/g, '')}`}>{ph.number}</Anchor></Text>
              ))}
              {p.emails.map((e, i) => (
                <Text size="sm" key={`e${i}`}><Text span fw={600}>Email:</Text> <Anchor href={`mailto:${e.address}`}>{e.address}</Anchor></Text>
              ))}
            </Stack>
          )}
        </Section>

        <Section title="Flags">
          {p.flags.length === 0 ? <Text size="sm">No flags (such as cash-only or no-shutoff) on this customer.</Text> : (
            <Group gap="xs">{p.flags.map((f, i) => <Badge key={i} color="orange" variant="light">{flagLabel(f)}</Badge>)}</Group>
          )}
        </Section>

        <Section title="Contacts" testId="contacts">
          <Text size="sm">Nothing recorded yet. Calls, visits, letters and notes with this customer will be listed here
            once the contact log is in use.</Text>
        </Section>
      </SimpleGrid>
    </Stack>
  );
}

function Row({ k, v }: { k: string; v: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={130} fw={600} style={{ fontSize: 'var(--mantine-font-size-sm)' }}>{k}</Table.Th>
      <Table.Td>{v ?? '—'}</Table.Td>
    </Table.Tr>
  );
}
