import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useImportLockbox, useLockboxImport, useLockboxImports, type LockboxImport } from '../api/mail';
import { RefusalAlert } from '../components/ledger/common';
import { MailRoomTabs } from '../components/mail/MailRoomTabs';
import { Money } from '../components/Money';
import { formatDate } from '../lib/dates';
import { useIdempotencyKey } from '../lib/ledger';
import { formatMoney } from '../lib/money';
import { can } from '../lib/permissions';
import { useUser } from '../auth/session';
import { usePageTitle } from '../lib/usePageTitle';

/** The API's request body limit is 1 MiB; the JSON wrapping adds a little. */
const MAX_UPLOAD_BYTES = 1024 * 1024 - 1024;
/** How many past imports the page lists (the API allows up to 200). */
const SHOWN_IMPORTS = 50;

export function LockboxPage() {
  usePageTitle('Lockbox imports');
  const imports = useLockboxImports(SHOWN_IMPORTS);
  const items = imports.data?.items ?? [];
  return (
    <Stack gap="sm">
      <MailRoomTabs />
      <Title order={1} size="h2">Lockbox imports</Title>
      <Text size="sm" c="dimmed">
        The bank’s lockbox file (one per deposit): the whole file is checked first, then every check that matches a bill posts and the
        rest go to the exception queue. The same file twice posts nothing the second time; a file that stopped part-way continues
        where it stopped when imported again.
      </Text>
      <UploadPanel />
      <Title order={2} size="h4" mt="md">Past imports</Title>
      {imports.error && <Alert color="red" variant="light" role="alert" title="Could not load the imports">{imports.error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped highlightOnHover aria-busy={imports.isFetching || undefined} data-testid="lockbox-imports">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
            {imports.isLoading ? 'Loading…' : `${items.length} import${items.length === 1 ? '' : 's'}, newest first`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Import</Table.Th>
              <Table.Th scope="col">File</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Checks</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Total</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Posted</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Queued</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!imports.isLoading && items.length === 0 && (
              <Table.Tr><Table.Td colSpan={7}><Text size="sm" py="sm">No lockbox file has been imported yet.</Text></Table.Td></Table.Tr>
            )}
            {items.map((i) => (
              <Table.Tr key={i.id} data-testid={`lockbox-import-${i.id}`}>
                <Table.Td><Anchor underline="always" component={Link} to={`/lockbox/${i.id}`} size="sm">No. {i.id}</Anchor></Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">{i.file_id}</Text>
                  <Text size="xs">{i.origin} · {formatDate(i.file_date)}</Text>
                </Table.Td>
                <Table.Td><ImportStatus i={i} /></Table.Td>
                <Table.Td className="num">{i.item_count}</Table.Td>
                <Table.Td><Money value={i.total ?? '0'} /></Table.Td>
                <Table.Td>
                  <Money value={i.posted_total ?? '0'} />
                  <Text size="xs" ta="right">{i.posted_count} payment{i.posted_count === 1 ? '' : 's'}</Text>
                </Table.Td>
                <Table.Td>
                  <Money value={i.exception_total ?? '0'} />
                  <Text size="xs" ta="right">
                    {i.exception_count ? <ExceptionsLink i={i}>{i.exception_count} exception{i.exception_count === 1 ? '' : 's'}</ExceptionsLink> : 'none'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {items.length >= SHOWN_IMPORTS && (
        <Text size="xs" c="dimmed">The newest {SHOWN_IMPORTS} imports are shown; older imports open from their batch.</Text>
      )}
    </Stack>
  );
}

function ImportStatus({ i }: { i: LockboxImport }) {
  if (i.status === 'complete') return <Badge variant="light" color="green">Complete</Badge>;
  return <Badge variant="light" color="yellow">Importing — {i.processed_count} of {i.item_count}</Badge>;
}

function ExceptionsLink({ i, children }: { i: LockboxImport; children: React.ReactNode }) {
  const user = useUser();
  if (!can(user, 'payment.transfer')) return <>{children}</>;
  return <Anchor underline="always" component={Link} to={`/remittance/exceptions?status=all&batches=${(i.batch_ids ?? []).join(',')}`} size="xs">{children}</Anchor>;
}

function UploadPanel() {
  const importFile = useImportLockbox();
  const idem = useIdempotencyKey();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [result, setResult] = useState<LockboxImport | null>(null);

  const choose = (f: File | null) => {
    // A new file is a new intended action: a new key.
    idem.reset();
    setFile(f);
    setResult(null);
    setRefusal(null);
    setFileError(f && f.size > MAX_UPLOAD_BYTES
      ? `${f.name} is ${(f.size / 1048576).toFixed(1)} MiB; the web upload takes up to 1 MiB (about 13,000 checks). Import it with “civicdesk lockbox import FILE” on the server.`
      : null);
  };

  const upload = async () => {
    if (!file || fileError) return;
    setRefusal(null);
    try {
      const content = await file.text();
      setResult(await importFile.mutateAsync({ key: idem.key(), content }));
    } catch (err) {
      idem.settle(err);
      setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="sm">
      <form aria-label="Import a lockbox file" noValidate onSubmit={(e) => { e.preventDefault(); void upload(); }}>
        <Stack gap="xs">
          <Text fw={600}>Import a lockbox file</Text>
          <Group align="flex-end">
            <div>
              <label htmlFor="lockbox-file" style={{ display: 'block', fontSize: 'var(--mantine-font-size-sm)', fontWeight: 500 }}>Lockbox file</label>
              <input
                id="lockbox-file"
                ref={inputRef}
                type="file"
                accept=".txt,.dat,.lbx,text/plain"
                aria-describedby="lockbox-file-help"
                onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
              />
              <Text id="lockbox-file-help" size="xs" c="dimmed">The bank’s 80-column file (docs/formats/lockbox.md), up to 1 MiB.</Text>
            </div>
            <Button type="submit" disabled={!file || !!fileError} loading={importFile.isPending}>Import file</Button>
          </Group>
          {fileError && <Alert color="red" variant="light" role="alert" title="Too large for the web">{fileError}</Alert>}
          {importFile.isPending && (
            <Stack gap={2}>
              <Text size="sm">Checking and posting {file?.name}… You may leave this page: the import continues on the server, and importing the same file again later resumes it.</Text>
              <Progress value={100} animated aria-label="Importing" />
            </Stack>
          )}
          {refusal ? <LockboxRefusal error={refusal} /> : null}
          {result && <ImportSummary i={result} fresh />}
        </Stack>
      </form>
    </Paper>
  );
}

function LockboxRefusal({ error }: { error: unknown }) {
  if (isApiError(error) && error.field.startsWith('line ')) {
    return (
      <Alert color="red" variant="light" role="alert" title={`The file was refused at ${error.field} — nothing was posted`} data-testid="refusal">
        {error.message}
      </Alert>
    );
  }
  if (isApiError(error) && error.status === 409 && error.code === 'conflict') {
    return <RefusalAlert error={error} title="Refused: another file with this file id — nothing was posted" />;
  }
  return <RefusalAlert error={error} />;
}

/** What an import did: counts and totals, posted and queued, and where the exceptions are. */
export function ImportSummary({ i, fresh }: { i: LockboxImport; fresh?: boolean }) {
  const done = i.status === 'complete';
  const pct = i.item_count ? ((i.processed_count ?? 0) / i.item_count) * 100 : 100;
  return (
    <Stack gap="xs" data-testid="import-summary">
      <Text role="status" fw={600}>
        {fresh && i.already_imported
          ? `This file was already imported (import no. ${i.id}): nothing was posted again.`
          : `Import no. ${i.id}: file ${i.file_id} from ${i.origin} dated ${formatDate(i.file_date)} — ${i.batch_count} batch${i.batch_count === 1 ? '' : 'es'}, ${i.item_count} checks, ${formatMoney(i.total ?? '0')}.`}
        {fresh && !i.already_imported ? ` ${i.posted_now} payment${i.posted_now === 1 ? '' : 's'} posted by this import.` : ''}
      </Text>
      {!done && (
        <Stack gap={2}>
          <Text size="sm">Importing: {i.processed_count} of {i.item_count} checks done.</Text>
          <Progress value={pct} aria-label="Checks done" />
        </Stack>
      )}
      <SimpleGrid cols={2}>
        <Paper withBorder p="xs">
          <Text size="sm" fw={600}>Posted</Text>
          <Text size="xl" fw={700} data-testid="posted-count">{i.posted_count} payment{i.posted_count === 1 ? '' : 's'}</Text>
          <Text size="lg" className="num" style={{ textAlign: 'left' }} data-testid="posted-total">{formatMoney(i.posted_total ?? '0')}</Text>
        </Paper>
        <Paper withBorder p="xs">
          <Text size="sm" fw={600}>Queued as exceptions</Text>
          <Text size="xl" fw={700} data-testid="exception-count">{i.exception_count} check{i.exception_count === 1 ? '' : 's'}</Text>
          <Text size="lg" className="num" style={{ textAlign: 'left' }} data-testid="exception-total">{formatMoney(i.exception_total ?? '0')}</Text>
          {(i.exception_count ?? 0) > 0 && <ExceptionsLink i={i}>See the queued exceptions</ExceptionsLink>}
        </Paper>
      </SimpleGrid>
      <Text size="sm">
        Batches:{' '}
        {(i.batch_ids ?? []).map((b, n) => (
          <span key={b}>{n ? ', ' : ''}<Anchor underline="always" component={Link} to={`/batches/${b}`} size="sm">no. {b}</Anchor></span>
        ))}
      </Text>
    </Stack>
  );
}

export function LockboxImportPage() {
  const id = Number(useParams().id);
  usePageTitle(`Lockbox import no. ${id}`);
  const q = useLockboxImport(id);
  return (
    <Stack gap="sm">
      <MailRoomTabs />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">Lockbox import no. {id}</Title>
        <Anchor underline="always" component={Link} to="/lockbox" size="sm">All imports</Anchor>
      </Group>
      {q.isLoading && <Loader aria-label="Loading the import" />}
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the import">{q.error.message}</Alert>}
      {q.data && <Paper withBorder p="sm"><ImportSummary i={q.data} /></Paper>}
      {q.data && q.data.status !== 'complete' && (
        <Text size="sm">This import stopped or is still running; the page follows it. To resume a stopped import, import the same file again.</Text>
      )}
    </Stack>
  );
}
