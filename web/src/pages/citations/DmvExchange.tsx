// The DMV exchange (supervisors): the state DMV is a file drop. Write the day's registered-owner
// request file and download it for the drop; read the DMV's response file (owners matched or
// created, each refused line named); write the nightly registration-hold file; the history of
// every file exchanged, each downloadable again.
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { dmvFileName, downloadText, fetchDmvFile, useDmvFiles, useReadDmvResponse, useWriteDmvFile, type DmvFile, type DmvResponseRead } from '../../api/dmv';
import { useCity } from '../../api/queries';
import { CitationTabs } from '../../components/citations/CitationTabs';
import { RefusalAlert } from '../../components/ledger/common';
import { formatDate, formatDateTime, isIsoDate, todayIn } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/ledger';
import { usePageTitle } from '../../lib/usePageTitle';

const KIND_WORDS: Record<string, string> = { request: 'Owner request', response: 'DMV response', holds: 'Registration holds' };
const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

export function DmvExchangePage() {
  usePageTitle('DMV exchange');
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">DMV exchange</Title>
      <CitationTabs />
      <Text size="sm">
        The state DMV answers by file: write the request file of plates without a known owner, drop it for the DMV, then read the
        DMV&rsquo;s response here. Every night, write the file of registration holds to place and to release.
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <WriteFilePanel kind="requests" title="Registered-owner request file" button="Write the request file" />
        <WriteFilePanel kind="holds" title="Registration-hold file" button="Write the hold file" />
      </SimpleGrid>
      <ResponsePanel />
      <FilesPanel />
    </Stack>
  );
}

function WriteFilePanel({ kind, title, button }: { kind: 'requests' | 'holds'; title: string; button: string }) {
  const tz = useCity().data?.time_zone;
  const write = useWriteDmvFile(kind);
  const [date, setDate] = useState(() => todayIn(tz));
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [file, setFile] = useState<DmvFile | null>(null);
  const id = `dmv-${kind}`;

  const submit = async () => {
    setRefusal(null);
    if (!isIsoDate(date)) { setError('Enter the file date as YYYY-MM-DD'); return; }
    setError(null);
    try {
      setFile(await write.mutateAsync(date));
    } catch (err) {
      if (isApiError(err) && err.field === 'as_of') setError(err.message);
      else setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="xs">{title}</Title>
      <form aria-label={button} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Group align="flex-start" gap="xs">
          <TextInput type="date" label={kind === 'requests' ? 'Request file date' : 'Hold file date'} description="Today or earlier" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={error} w={190} />
          <Button type="submit" mt={44} loading={write.isPending}>{button}</Button>
        </Group>
      </form>
      <RefusalAlert error={refusal} />
      {file && (
        <Stack gap={4} mt="xs" data-testid={`${id}-result`}>
          <Text size="sm">
            File {file.id} for {formatDate(file.date)}: <strong>{file.records}</strong> {kind === 'requests' ? `plate${file.records === 1 ? '' : 's'} asked` : `hold${file.records === 1 ? '' : 's'} (${file.placed ?? 0} to place, ${file.released ?? 0} to release)`}.
            {file.already_written ? ' Written before for this date: the same file.' : ''}
          </Text>
          <Group>
            <Button size="xs" variant="default" onClick={() => downloadText(dmvFileName(file), file.content ?? '')}>
              Download {kind === 'requests' ? 'request' : 'hold'} file
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

function ResponsePanel() {
  const read = useReadDmvResponse();
  const idem = useIdempotencyKey();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [result, setResult] = useState<{ name: string; r: DmvResponseRead } | null>(null);

  const choose = (f: File | null) => {
    idem.reset(); // another file is another intent
    setFile(f);
    setResult(null);
    setRefusal(null);
    setFileError(f && f.size > MAX_UPLOAD_BYTES ? 'The file is over 8 MiB: read it with `civicdesk citations dmv-responses FILE`' : null);
  };
  const submit = async () => {
    setRefusal(null);
    if (!file) { setFileError('Choose the DMV response file first'); return; }
    if (fileError) return;
    try {
      const content = await file.text();
      setResult({ name: file.name, r: await read.mutateAsync({ content, key: idem.key() }) });
    } catch (err) {
      idem.settle(err);
      setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="dmv-response">
      <Title order={2} size="h4" id="dmv-response" mb="xs">The DMV&rsquo;s answer</Title>
      <form aria-label="Read a DMV response file" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Group align="flex-end" gap="sm">
          <div>
            <label htmlFor="dmv-response-file" style={{ display: 'block', fontSize: 'var(--mantine-font-size-sm)', fontWeight: 500 }}>DMV response file</label>
            <input id="dmv-response-file" type="file" accept=".txt,.csv,text/plain,text/csv" aria-describedby="dmv-response-help" aria-invalid={fileError ? true : undefined} onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)} />
            <Text id="dmv-response-help" size="xs" c="dimmed">The file as the DMV sent it. The same file again changes nothing.</Text>
            {fileError && <Text size="xs" c="red" role="alert">{fileError}</Text>}
          </div>
          <Button type="submit" loading={read.isPending}>Read the response file</Button>
        </Group>
      </form>
      <RefusalAlert error={refusal} title="The file was refused; nothing was read" />
      {result && <ResponseResult name={result.name} r={result.r} />}
    </Paper>
  );
}

function ResponseResult({ name, r }: { name: string; r: DmvResponseRead }) {
  const problems = r.problems ?? [];
  const counts: [string, number | undefined, string][] = [
    ['Found', r.found, 'dmv-found'],
    ['Owners matched to a customer', r.matched, 'dmv-matched'],
    ['Owners created as customers', r.created, 'dmv-created'],
    ['Not found', r.not_found, 'dmv-not-found'],
    ['Confidential', r.confidential, 'dmv-confidential'],
    ['Out of state', r.out_of_state, 'dmv-out-of-state'],
    ['Citations given their owner', r.citations, 'dmv-citations'],
    ['Lines refused', r.problem_count ?? problems.length, 'dmv-problems'],
  ];
  return (
    <Stack gap="xs" mt="sm" data-testid="dmv-response-result">
      {r.already_read && <Alert color="blue" variant="light" title="Read before">{name} was read before: nothing changed.</Alert>}
      <Text size="sm">{name}: {r.records} line{r.records === 1 ? '' : 's'} answered.</Text>
      <Table withTableBorder aria-label="What the response file did" w="auto">
        <Table.Tbody>
          {counts.map(([label, n, testId]) => (
            <Table.Tr key={label}><Table.Th scope="row">{label}</Table.Th><Table.Td className="num" data-testid={testId}>{n ?? 0}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {problems.length > 0 && (
        <Table withTableBorder striped aria-label="Refused lines of the response file">
          <Table.Thead><Table.Tr><Table.Th scope="col">Line</Table.Th><Table.Th scope="col">Field</Table.Th><Table.Th scope="col">Why</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {problems.map((p, i) => (
              <Table.Tr key={i}><Table.Td className="num">{p.line}</Table.Td><Table.Td>{p.field}</Table.Td><Table.Td>{p.message}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function FilesPanel() {
  const tz = useCity().data?.time_zone;
  const files = useDmvFiles();
  const [refusal, setRefusal] = useState<unknown>(null);
  const download = async (f: DmvFile) => {
    setRefusal(null);
    try {
      const full = await fetchDmvFile(f.id!);
      downloadText(dmvFileName(full), full.content ?? '');
    } catch (err) {
      setRefusal(err);
    }
  };
  const items = files.data?.items ?? [];
  const counts = (f: DmvFile) =>
    f.kind === 'response'
      ? `${f.found ?? 0} found (${f.matched ?? 0} matched, ${f.created ?? 0} created), ${f.not_found ?? 0} not found, ${f.confidential ?? 0} confidential, ${f.out_of_state ?? 0} out of state; ${f.problem_count ?? 0} refused`
      : f.kind === 'holds' ? `${f.placed ?? 0} to place, ${f.released ?? 0} to release` : '';
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="dmv-files">
      <Title order={2} size="h4" id="dmv-files" mb="xs">Files exchanged</Title>
      {files.error && <Alert color="red" variant="light" role="alert" title="Could not load the files">{files.error.message}</Alert>}
      <RefusalAlert error={refusal} />
      {files.data && (items.length === 0 ? <Text size="sm">No file exchanged yet.</Text> : (
        <Table.ScrollContainer minWidth={820}>
          <Table withTableBorder striped aria-label="Files exchanged with the DMV">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">File</Table.Th><Table.Th scope="col">Kind</Table.Th><Table.Th scope="col">Date</Table.Th>
                <Table.Th scope="col">Lines</Table.Th><Table.Th scope="col">Counts</Table.Th><Table.Th scope="col">By</Table.Th><Table.Th scope="col"><span className="visually-hidden">Download</span></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((f) => (
                <Table.Tr key={f.id} data-testid={`dmv-file-${f.id}`}>
                  <Table.Td className="num">{f.id}</Table.Td>
                  <Table.Td>{KIND_WORDS[f.kind ?? ''] ?? f.kind}</Table.Td>
                  <Table.Td className="nowrap">{formatDate(f.date)}</Table.Td>
                  <Table.Td className="num">{f.records}</Table.Td>
                  <Table.Td><Text size="sm">{counts(f)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{f.created_by}</Text><Text size="xs" c="dimmed">{f.created_us ? formatDateTime(new Date(f.created_us / 1000).toISOString(), tz) : ''}</Text></Table.Td>
                  <Table.Td><Button size="xs" variant="default" onClick={() => void download(f)} aria-label={`Download file ${f.id} (${KIND_WORDS[f.kind ?? ''] ?? f.kind}, ${formatDate(f.date)})`}>Download</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ))}
    </Paper>
  );
}
