// The day's issuance files from the handheld devices (accepted and refused counts, one line per
// refusal and warning, naming the line and the column), the supervisor's nightly escalation run,
// and the scofflaw list for boot and tow crews.
import { Alert, Anchor, Badge, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useCreateCitation, useEscalate, useImportCitations, useScofflaws, type CitationImport, type EscalationResult } from '../api/citations';
import { useCity } from '../api/queries';
import { useUser } from '../auth/session';
import { CitationTabs } from '../components/citations/CitationTabs';
import { BootPanel } from '../components/citations/BootPanel';
import { RefusalAlert } from '../components/ledger/common';
import { Money } from '../components/Money';
import { isIsoDate, todayIn, formatDate } from '../lib/dates';
import { useIdempotencyKey } from '../lib/ledger';
import { formatMoney } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';

/** The API's request body limit is 1 MiB; the JSON wrapping adds a little. */
const MAX_UPLOAD_BYTES = 1024 * 1024 - 4096;

export function CitationImportPage() {
  usePageTitle('Citation entry and imports');
  const user = useUser();
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Citation entry, imports and the nightly run</Title>
      <CitationTabs />
      {can(user, 'citation.write') && <ManualEntryPanel />}
      {can(user, 'citation.write') && <ImportPanel />}
      {can(user, 'citation.escalate') && <EscalationPanel />}
    </Stack>
  );
}

const ENTRY_FIELDS = ['number', 'issued_at', 'location', 'violation_code', 'fine', 'plate', 'plate_state', 'make', 'color', 'vin', 'officer_id', 'notes'] as const;
type EntryField = typeof ENTRY_FIELDS[number];
const ENTRY_LABELS: Record<EntryField, string> = {
  number: 'Citation number', issued_at: 'Issued at', location: 'Location', violation_code: 'Violation code', fine: 'Fine as printed',
  plate: 'Plate', plate_state: 'Plate state', make: 'Make', color: 'Color', vin: 'VIN', officer_id: 'Officer', notes: 'Notes',
};

/** A citation entered by hand (a handheld down, a paper citation): the fine comes from the schedule on the issue date. */
function ManualEntryPanel() {
  const create = useCreateCitation();
  const idem = useIdempotencyKey();
  const navigate = useNavigate();
  const empty = Object.fromEntries(ENTRY_FIELDS.map((f) => [f, ''])) as Record<EntryField, string>;
  const [v, setV] = useState(empty);
  const [errors, setErrors] = useState<Partial<Record<EntryField, string>>>({});
  const [refusal, setRefusal] = useState<unknown>(null);

  const submit = async () => {
    setRefusal(null);
    const e: Partial<Record<EntryField, string>> = {};
    if (!v.number.trim()) e.number = 'Enter the citation number as printed';
    if (!/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/.test(v.issued_at.trim())) e.issued_at = 'YYYY-MM-DD or YYYY-MM-DD HH:MM (City time)';
    if (!v.violation_code.trim()) e.violation_code = 'Enter the violation code, e.g. V5204A';
    setErrors(e);
    if (Object.keys(e).length) return;
    const body = Object.fromEntries(ENTRY_FIELDS.map((f) => [f, v[f].trim()]).filter(([, x]) => x !== ''));
    try {
      const c = await create.mutateAsync({ key: idem.key(), body });
      idem.reset();
      navigate(`/citations/${encodeURIComponent(c.number!)}`);
    } catch (err) {
      idem.settle(err);
      if (isApiError(err) && (ENTRY_FIELDS as readonly string[]).includes(err.field)) setErrors({ [err.field]: err.message });
      else setRefusal(err);
    }
  };

  const input = (f: EntryField, w = 180, description?: string) => (
    <TextInput key={f} label={ENTRY_LABELS[f]} description={description} value={v[f]} onChange={(e) => { const x = e.currentTarget.value; setV((o) => ({ ...o, [f]: x })); }} error={errors[f]} w={w} autoComplete="off" />
  );

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="cit-entry">
      <form aria-labelledby="cit-entry" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Stack gap="xs">
          <Title order={2} size="h4" id="cit-entry">Enter a citation by hand</Title>
          <Group align="flex-start" gap="xs" wrap="wrap">
            {input('number')}
            {input('issued_at', 200, 'YYYY-MM-DD HH:MM')}
            {input('violation_code', 150)}
            {input('fine', 130, 'Optional')}
            {input('location', 260)}
            {input('officer_id', 140)}
          </Group>
          <Group align="flex-start" gap="xs" wrap="wrap">
            {input('plate', 130)}
            {input('plate_state', 110)}
            {input('make', 120)}
            {input('color', 120)}
            {input('vin', 220)}
            {input('notes', 260)}
          </Group>
          <RefusalAlert error={refusal} />
          <Group><Button type="submit" loading={create.isPending}>Enter the citation</Button></Group>
        </Stack>
      </form>
    </Paper>
  );
}

function ImportPanel() {
  const importFile = useImportCitations();
  const idem = useIdempotencyKey();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('civicdesk');
  const [fileError, setFileError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [result, setResult] = useState<{ name: string; r: CitationImport } | null>(null);

  const choose = (f: File | null) => {
    idem.reset();
    setFile(f);
    setResult(null);
    setRefusal(null);
    setFileError(f && f.size > MAX_UPLOAD_BYTES
      ? `${f.name} is ${(f.size / 1048576).toFixed(1)} MiB; the web upload takes up to 1 MiB. Import it with “civicdesk citations import FILE” on the server.`
      : null);
  };

  const upload = async () => {
    if (!file) { setFileError('Choose the issuance file first'); return; }
    if (fileError) return;
    setRefusal(null);
    try {
      const content = await file.text();
      setResult({ name: file.name, r: await importFile.mutateAsync({ key: idem.key(), content, format }) });
    } catch (err) {
      idem.settle(err);
      setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="cit-import">
      <form aria-labelledby="cit-import" noValidate onSubmit={(e) => { e.preventDefault(); void upload(); }}>
        <Stack gap="xs">
          <Title order={2} size="h4" id="cit-import">Import an issuance file</Title>
          <Text size="sm" c="dimmed">
            The handheld devices’ CSV (docs/formats/citation-issuance.md). Good lines become citations; refused lines are listed with their
            line and column. The same file again posts nothing.
          </Text>
          <Group align="flex-end">
            <div>
              <label htmlFor="citation-file" style={{ display: 'block', fontSize: 'var(--mantine-font-size-sm)', fontWeight: 500 }}>Issuance file</label>
              <input id="citation-file" type="file" accept=".csv,text/csv,text/plain" aria-describedby="citation-file-help" onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)} />
              <Text id="citation-file-help" size="xs" c="dimmed">CSV, up to 1 MiB.</Text>
            </div>
            <NativeSelect label="Format" value={format} onChange={(e) => { idem.reset(); setFormat(e.currentTarget.value); }} data={[
              { value: 'civicdesk', label: 'Handheld devices (civicdesk)' },
              { value: 'sf', label: 'SFMTA open data' },
              { value: 'nyc', label: 'NYC DOF open data' },
            ]} w={240} />
            <Button type="submit" loading={importFile.isPending}>Import file</Button>
          </Group>
          {fileError && <Text size="sm" c="red.9" role="alert">{fileError}</Text>}
          <RefusalAlert error={refusal} title="The file was refused; nothing was imported" />
          {result && <ImportResult name={result.name} r={result.r} />}
        </Stack>
      </form>
    </Paper>
  );
}

function ImportResult({ name, r }: { name: string; r: CitationImport }) {
  const refused = r.refused ?? [];
  const warnings = (r.warnings ?? []) as { line?: number; field?: string; message?: string; citation_number?: string | null }[];
  return (
    <Stack gap="xs" data-testid="import-result" aria-live="polite">
      <Alert color={refused.length ? 'orange' : 'green'} variant="light" title={r.already_imported ? `${name} was imported before: nothing posted now` : `${name} imported`}>
        <Group gap="lg">
          <Text size="sm">Lines: <strong className="num">{r.rows}</strong></Text>
          <Text size="sm" data-testid="import-accepted">Accepted: <strong className="num">{r.accepted}</strong></Text>
          <Text size="sm">New citations: <strong className="num">{r.created}</strong> ({formatMoney(r.created_total ?? '0')})</Text>
          <Text size="sm">Already stored: <strong className="num">{r.skipped}</strong></Text>
          <Text size="sm" data-testid="import-refused">Refused: <strong className="num">{r.refused_count}</strong></Text>
          <Text size="sm">Warnings: <strong className="num">{warnings.length}</strong></Text>
        </Group>
      </Alert>
      {refused.length > 0 && <ProblemTable label="Refused lines" rows={refused} />}
      {warnings.length > 0 && <ProblemTable label="Warnings (imported)" rows={warnings} />}
    </Stack>
  );
}

function ProblemTable({ label, rows }: { label: string; rows: { line?: number; field?: string; message?: string; citation_number?: string | null }[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder striped aria-label={label}>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{label}: {rows.length}</Table.Caption>
        <Table.Thead><Table.Tr>
          <Table.Th scope="col" style={{ textAlign: 'right' }}>Line</Table.Th><Table.Th scope="col">Column</Table.Th>
          <Table.Th scope="col">Citation</Table.Th><Table.Th scope="col">Problem</Table.Th>
        </Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.slice(0, 500).map((p, i) => (
            <Table.Tr key={i}>
              <Table.Td className="num">{p.line}</Table.Td>
              <Table.Td><Text size="sm" ff="monospace">{p.field || '—'}</Text></Table.Td>
              <Table.Td>{p.citation_number ?? '—'}</Table.Td>
              <Table.Td><Text size="sm">{p.message}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length > 500 && <Text size="xs" c="dimmed">The first 500 are shown; the command line import prints them all.</Text>}
    </Table.ScrollContainer>
  );
}

function EscalationPanel() {
  const tz = useCity().data?.time_zone;
  const escalate = useEscalate();
  const idem = useIdempotencyKey();
  const [asOf, setAsOf] = useState(() => todayIn(tz));
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [result, setResult] = useState<EscalationResult | null>(null);

  const run = async () => {
    setRefusal(null);
    if (!isIsoDate(asOf)) { setError('Enter the date as YYYY-MM-DD'); return; }
    setError(null);
    try {
      setResult(await escalate.mutateAsync({ asOf, key: idem.key() }));
      idem.reset();
    } catch (err) {
      idem.settle(err);
      setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="cit-escalate">
      <form aria-labelledby="cit-escalate" noValidate onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <Stack gap="xs">
          <Title order={2} size="h4" id="cit-escalate">Nightly escalation</Title>
          <Text size="sm" c="dimmed">Posts every step due on the date (late penalties, notices, delinquency, DMV holds, collections), each once: running it again posts nothing twice.</Text>
          <Group align="flex-end">
            <TextInput label="Run for the date" description="YYYY-MM-DD; today or earlier" value={asOf} onChange={(e) => { setAsOf(e.currentTarget.value); setResult(null); }} error={error} w={220} autoComplete="off" />
            <Button type="submit" loading={escalate.isPending}>Run the escalation</Button>
          </Group>
          <RefusalAlert error={refusal} />
          {result && (
            <Alert color="green" variant="light" title={`Escalation for ${formatDate(result.as_of)} done`} data-testid="escalation-result">
              <Group gap="lg">
                <Text size="sm">Citations examined: <strong className="num">{result.citations_examined}</strong></Text>
                <Text size="sm">Steps posted: <strong className="num">{result.steps_posted}</strong></Text>
                <Text size="sm">Penalties: <strong className="num">{result.penalties_posted}</strong>, total <strong className="num">{formatMoney(result.penalty_total ?? '0')}</strong></Text>
                <Text size="sm">Marked paid: <strong className="num">{result.marked_paid}</strong></Text>
              </Group>
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

export function CitationScofflawsPage() {
  usePageTitle('Scofflaw list');
  const q = useScofflaws();
  const items = q.data?.items ?? [];
  const user = useUser();
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Scofflaw list</Title>
      <CitationTabs />
      <Text size="sm" c="dimmed">Plates with at least the City’s number of unpaid delinquent citations, for boot and tow crews. A boot or tow is released on payment or a payment plan.</Text>
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the list">{q.error.message}</Alert>}
      <Table.ScrollContainer minWidth={700}>
        <Table withTableBorder striped aria-busy={q.isFetching || undefined} data-testid="scofflaws">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{q.isLoading ? 'Loading…' : `${items.length} plate${items.length === 1 ? '' : 's'}`}</Table.Caption>
          <Table.Thead><Table.Tr>
            <Table.Th scope="col">Plate</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Delinquent citations</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>Total due</Table.Th><Table.Th scope="col">Citations</Table.Th>
          </Table.Tr></Table.Thead>
          <Table.Tbody>
            {!q.isLoading && items.length === 0 && <Table.Tr><Table.Td colSpan={4}><Text size="sm" py="sm">No plate is on the list.</Text></Table.Td></Table.Tr>}
            {items.map((s) => (
              <Table.Tr key={`${s.plate_state}-${s.plate}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/citations?plate=${encodeURIComponent(s.plate ?? '')}&state=${encodeURIComponent(s.plate_state ?? '')}`} size="sm" underline="always">{s.plate} {s.plate_state}</Anchor>
                </Table.Td>
                <Table.Td className="num">{s.delinquent_citations}</Table.Td>
                <Table.Td><Money value={s.total_due ?? '0'} /></Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {(s.citation_numbers ?? []).slice(0, 12).map((n) => (
                      <Badge key={n} variant="outline" component={Link} to={`/citations/${encodeURIComponent(n)}`} style={{ cursor: 'pointer' }}>{n}</Badge>
                    ))}
                    {(s.citation_numbers ?? []).length > 12 && <Text size="xs">and {(s.citation_numbers ?? []).length - 12} more</Text>}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <BootPanel canWrite={can(user, 'citation.write')} />
    </Stack>
  );
}
