import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Paper, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { useOpenObligations } from '../../api/counter';
import { useLedgerSettings } from '../../api/ledger';
import { useParty } from '../../api/queries';
import type { Obligation } from '../../api/types';
import { formatDate } from '../../lib/dates';
import { kindName } from '../../lib/ledger';
import { centsToDecimal, formatMoney, sumCents, toCents } from '../../lib/money';
import { flagLabel } from '../../lib/party';
import { Money } from '../Money';
import { isCashOnly } from '../ledger/PaymentDialog';

const right = { textAlign: 'right' } as const;

/** The chosen customer's open obligations, each with a box to put it in the cart. */
export function ObligationPicker({ partyId, inCart, onToggle, onAddByRules, onClear }: {
  partyId: number;
  inCart: (obligationId: number) => boolean;
  onToggle: (o: Obligation, partyName: string, on: boolean) => void;
  onAddByRules: (partyName: string, owes: string) => void;
  onClear: () => void;
}) {
  const party = useParty(partyId);
  const obligations = useOpenObligations(partyId);
  const settings = useLedgerSettings();
  const open = (obligations.data?.items ?? []).filter((o) => o.status === 'open' && toCents(o.balance) > 0n);
  const name = party.data?.display_name ?? `Customer no. ${partyId}`;
  const totalOwed = sumCents(open.map((o) => o.balance));
  // Keyboard flow: once the customer is chosen, the focus goes to their first obligation.
  const firstRef = useRef<HTMLInputElement>(null);
  const rulesRef = useRef<HTMLButtonElement>(null);
  const loaded = !obligations.isLoading;
  useEffect(() => {
    if (loaded) (firstRef.current ?? rulesRef.current)?.focus();
  }, [partyId, loaded]);

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="counter-party" data-testid="counter-party">
      <Group justify="space-between" align="flex-start" wrap="wrap" mb="xs">
        <div>
          <Title order={2} size="h4" id="counter-party">{name}</Title>
          <Group gap={6}>
            <Text size="xs" c="dimmed">Customer no. {partyId}</Text>
            <Anchor component={Link} to={`/parties/${partyId}`} size="xs" target="_blank">Customer page (new tab)</Anchor>
          </Group>
        </div>
        <Group gap={4}>
          {party.data?.flags.map((f) => (
            <Badge key={String(f)} color={isCashOnlyFlag(f) ? 'orange' : 'gray'} variant="light">{flagLabel(f)}</Badge>
          ))}
          <Button size="compact-xs" variant="subtle" onClick={onClear}>Other customer</Button>
        </Group>
      </Group>
      {party.data && isCashOnly(party.data) && (
        <Alert color="orange" variant="light" mb="xs" title="Cash only">This customer pays in cash only after returned payments; the server will refuse a check.</Alert>
      )}
      {obligations.error && <Alert color="red" variant="light" role="alert">{obligations.error.message}</Alert>}
      {obligations.isLoading ? <Loader size="sm" aria-label="Loading what the customer owes" /> : open.length === 0 ? (
        <Text size="sm">Nothing open: this customer owes nothing. An amount taken now is kept as credit.</Text>
      ) : (
        <Table withTableBorder striped aria-label={`What ${name} owes`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={40}><span className="visually-hidden">In cart</span></Table.Th>
              <Table.Th scope="col">Obligation</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Due</Table.Th>
              <Table.Th scope="col" style={right}>Owes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {open.map((o, i) => (
              <Table.Tr key={o.id}>
                <Table.Td>
                  <Checkbox
                    ref={i === 0 ? firstRef : undefined}
                    aria-label={`Pay ${o.description} (${formatMoney(o.balance)})`}
                    checked={inCart(o.id)}
                    onChange={(e) => onToggle(o, name, e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>{o.description}<Text size="xs" c="dimmed" component="span"> · no. {o.id}</Text></Table.Td>
                <Table.Td>{kindName(settings.data, o.kind)}</Table.Td>
                <Table.Td className="nowrap">{formatDate(o.due_date)}</Table.Td>
                <Table.Td><Money value={o.balance} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="space-between" mt="xs">
        <Text size="sm">Owes in all: <strong className="num">{formatMoney(totalOwed)}</strong></Text>
        <Button ref={rulesRef} size="xs" variant="default" onClick={() => onAddByRules(name, centsToDecimal(totalOwed))}>
          Add an amount by the City’s rules
        </Button>
      </Group>
    </Paper>
  );
}

function isCashOnlyFlag(f: unknown): boolean {
  return String(f).toLowerCase().replace(/[_\s]/g, '-') === 'cash-only';
}

