// Utility account lookup: one box for the account number, the customer's name or the start of the
// service address (what a caller is likely to say first). Digits try the number, then the
// address; text starting with a digit is an address; other text is a name (every word starting a
// word of the customer's name, GET /billing/accounts?name=), then an address. Results open the
// account page.
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useAccountLookup } from '../../api/billingQueue';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

export function BillingAccountsPage() {
  usePageTitle('Utility accounts');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const search = useAccountLookup(q);
  const items = search.data ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(params);
    if (text.trim()) next.set('q', text.trim()); else next.delete('q');
    setParams(next);
  };

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Utility accounts</Title>
      <BillingTabs />
      <Paper withBorder p="sm" component="form" onSubmit={submit} role="search" aria-label="Find a utility account">
        <Group align="flex-end">
          <TextInput
            label="Account number, customer name or service address"
            description="e.g. 1001, Gutierrez, or 6805 Valley"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            w={420}
            autoFocus
          />
          <Button type="submit">Find</Button>
        </Group>
      </Paper>
      {search.isFetching && <Center p="md"><Loader aria-label="Searching accounts" /></Center>}
      {search.error && <Alert color="red" variant="light" role="alert" title="Could not search accounts">{search.error.message}</Alert>}
      {q && search.data && (
        <Paper withBorder p="sm" component="section" aria-labelledby="account-results">
          <Title order={2} size="h4" id="account-results" mb="xs">Accounts matching “{q}”</Title>
          {items.length === 0 ? (
            <Text size="sm" data-testid="account-results-empty">No utility account matches. Try the number on the bill stub or the street number and name.</Text>
          ) : (
            <Table withTableBorder striped highlightOnHover aria-label="Matching utility accounts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Account</Table.Th>
                  <Table.Th scope="col">Customer</Table.Th>
                  <Table.Th scope="col">Service address</Table.Th>
                  <Table.Th scope="col">Cycle</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((a) => (
                  <Table.Tr key={a.number}>
                    <Table.Td>
                      <Anchor component={Link} to={`/billing/accounts/${a.number}`} size="sm" underline="always" aria-label={`Open account ${a.number}`}>{a.number}</Anchor>
                    </Table.Td>
                    <Table.Td>{a.party_name}</Table.Td>
                    <Table.Td>{a.service_address}</Table.Td>
                    <Table.Td>{a.cycle}</Table.Td>
                    <Table.Td><Badge variant="outline" color="dark">{a.status}</Badge></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}
    </Stack>
  );
}
