// Read routes for the handheld devices: download a route (CSV in walk order,
// docs/formats/meter-reads.md) and import the results file back — counts and, for each refused
// line, its line number, field and reason. The same file imported again stores nothing new.
import { Alert, Anchor, Button, FileInput, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useBillingRoutes, useImportReads } from '../../api/billing';
import { isApiError } from '../../api/client';
import { formatDate } from '../../lib/dates';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

export function BillingRoutesPage() {
  usePageTitle('Routes and read imports');
  const routes = useBillingRoutes();
  const imp = useImportReads();
  const [content, setContent] = useState('');
  const [file, setFile] = useState<File | null>(null);

  const onFile = async (f: File | null) => {
    setFile(f);
    if (f) setContent(await f.text());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    imp.mutate(content);
  };
  const cycles = new Map((routes.data?.cycles ?? []).map((c) => [c.code, c]));
  const r = imp.data;

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Routes and read imports</Title>
      <BillingTabs />
      <Paper withBorder p="sm" component="section" aria-labelledby="routes-h">
        <Title order={2} size="h4" id="routes-h" mb="xs">Routes</Title>
        {routes.error && <Alert color="red" variant="light" role="alert">{routes.error.message}</Alert>}
        <Table withTableBorder striped aria-label="Read routes">
          <Table.Thead>
            <Table.Tr><Table.Th scope="col">Route</Table.Th><Table.Th scope="col">Cycle</Table.Th><Table.Th scope="col">Next read</Table.Th><Table.Th scope="col">Download</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(routes.data?.routes ?? []).map((rt) => (
              <Table.Tr key={rt.code}>
                <Table.Td>{rt.code} · {rt.name}</Table.Td>
                <Table.Td>{cycles.get(rt.cycle)?.name ?? rt.cycle}</Table.Td>
                <Table.Td>{formatDate(cycles.get(rt.cycle)?.next_read_on)}</Table.Td>
                <Table.Td>
                  <Anchor href={`/api/v1/billing/routes/${encodeURIComponent(rt.code)}/export`} download={`route-${rt.code}.csv`} underline="always" size="sm">
                    Download route {rt.code} (CSV)
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="import-h">
        <Title order={2} size="h4" id="import-h" mb="xs">Import route results</Title>
        <form onSubmit={submit}>
          <Stack gap="xs">
            <FileInput label="Results file from the handheld" placeholder="Choose a file" value={file} onChange={(f) => void onFile(f)} accept=".csv,.txt,text/csv,text/plain" clearable w={360} />
            <Textarea label="Or paste the file" value={content} onChange={(e) => setContent(e.currentTarget.value)} autosize minRows={4} maxRows={14} styles={{ input: { fontFamily: 'monospace' } }} />
            <Group><Button type="submit" loading={imp.isPending} disabled={!content.trim()}>Import the reads</Button></Group>
          </Stack>
        </form>
        <div aria-live="polite">
          {imp.error && <Alert mt="sm" color="red" variant="light" role="alert" title="The file was not imported">{isApiError(imp.error) && imp.error.field ? `${imp.error.message} (field: ${imp.error.field})` : imp.error.message}</Alert>}
          {r && (
            <Stack gap={4} mt="sm" data-testid="import-result">
              <Text size="sm" fw={700}>
                {r.rows} rows: {r.accepted} accepted, {r.exceptions} sent to the exception queue, {r.skipped} already stored, {r.unread} not read, {r.refused_count} refused.
              </Text>
              {(r.refused ?? []).length > 0 && (
                <Table withTableBorder striped aria-label="Refused lines">
                  <Table.Thead><Table.Tr><Table.Th scope="col">Line</Table.Th><Table.Th scope="col">Field</Table.Th><Table.Th scope="col">Reason</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {(r.refused ?? []).map((x, i) => (
                      <Table.Tr key={i}><Table.Td>{x.line}</Table.Td><Table.Td>{x.field}</Table.Td><Table.Td>{x.message}</Table.Td></Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          )}
        </div>
      </Paper>
    </Stack>
  );
}
