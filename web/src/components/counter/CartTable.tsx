import { CloseButton, Paper, Table, Text, Title } from '@mantine/core';
import { formatMoney } from '../../lib/money';
import { Money } from '../Money';
import { AmountInput } from '../ledger/common';
import type { CartLine, DraftErrors } from './cart';

const right = { textAlign: 'right' } as const;

/** What is being paid: one line per obligation (directed; amount editable) or per amount applied by the City's rules. */
export function CartTable({ lines, errors, onAmount, onRemove, due }: {
  lines: CartLine[];
  errors: DraftErrors;
  onAmount: (key: string, amount: string) => void;
  onRemove: (key: string) => void;
  due: bigint;
}) {
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="counter-cart" data-testid="cart">
      <Title order={2} size="h4" id="counter-cart" mb="xs">Cart</Title>
      {lines.length === 0 ? (
        <Text size="sm">Empty. Find the customer (F2) and tick what they are paying.</Text>
      ) : (
        <Table withTableBorder aria-label="Cart">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Customer</Table.Th>
              <Table.Th scope="col">Paying</Table.Th>
              <Table.Th scope="col" style={right}>Owes</Table.Th>
              <Table.Th scope="col" style={right} w={150}>Amount</Table.Th>
              <Table.Th scope="col" w={40}><span className="visually-hidden">Remove</span></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l, i) => (
              <Table.Tr key={l.key}>
                <Table.Td>{l.partyName}</Table.Td>
                <Table.Td>
                  {l.description}
                  {l.obligationId === null && <Text size="xs" c="dimmed">Applied by the City’s rules (by kind, oldest first); beyond what is owed, kept as credit</Text>}
                </Table.Td>
                <Table.Td><Money value={l.owes} /></Table.Td>
                <Table.Td>
                  <AmountInput
                    size="xs"
                    aria-label={`Amount for ${l.description}`}
                    value={l.amount}
                    onChange={(e) => onAmount(l.key, e.currentTarget.value)}
                    onFocus={(e) => e.currentTarget.select()}
                    error={errors[`items.${i}.amount`] ?? errors[`items.${i}.obligation_id`] ?? errors[`items.${i}`] ?? errors[`items.${i}.party_id`]}
                  />
                </Table.Td>
                <Table.Td><CloseButton size="sm" aria-label={`Remove ${l.description} from the cart`} onClick={() => onRemove(l.key)} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row" colSpan={3}>Total due</Table.Th>
              <Table.Td style={right}><strong className="num" data-testid="cart-total">{formatMoney(due)}</strong></Table.Td>
              <Table.Td />
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      )}
      {errors.cart && <Text size="sm" c="red.9" role="alert" mt="xs">{errors.cart}</Text>}
      {errors.items && <Text size="sm" c="red.9" role="alert" mt="xs">{errors.items}</Text>}
    </Paper>
  );
}
