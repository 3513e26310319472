import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { BatchItem } from '../../api/mail';
import { Money } from '../Money';

// What a remittance item shows wherever it is listed (the batch and the exception queue).

/** The account the stub names and, once matched, the customer. */
export function ItemAccount({ item: i }: { item: Partial<BatchItem> }) {
  return (
    <Text size="xs">
      {i.account_number ? `Account ${i.account_number}` : 'No account'}
      {i.party_id ? <> · <Anchor underline="always" component={Link} to={`/parties/${i.party_id}`} size="xs">customer no. {i.party_id}</Anchor></> : null}
    </Text>
  );
}

/** Three cells: the stub's amount due, the check's amount, and its number and payer. */
export function ItemPaymentCells({ item: i }: { item: Partial<BatchItem> }) {
  return (
    <>
      <Table.Td>{i.stub_amount ? <Money value={i.stub_amount} /> : <Text size="sm" ta="right">—</Text>}</Table.Td>
      <Table.Td><Money value={i.check_amount ?? '0'} /></Table.Td>
      <Table.Td>
        <Text size="sm">{i.check_number || '—'}</Text>
        {i.payer && <Text size="xs">{i.payer}</Text>}
      </Table.Td>
    </>
  );
}
