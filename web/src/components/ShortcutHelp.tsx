import { Kbd, Modal, Table } from '@mantine/core';
import { COUNTER_SHORTCUTS } from './counter/shortcuts';

const SHORTCUTS: [string[], string][] = [
  [['/'], 'Focus the search box'],
  [['↑', '↓'], 'Move through search results'],
  [['Enter'], 'Open the highlighted search result / submit the form you are in'],
  [['Esc'], 'Close the search results or a dialog'],
  [['?'], 'Show this list'],
  [['Tab'], 'Move to the next field, link or button (Shift+Tab goes back)'],
  ...COUNTER_SHORTCUTS,
];

export function ShortcutHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <Table className="kbd-list" withRowBorders={false}>
        <Table.Thead>
          <Table.Tr><Table.Th>Keys</Table.Th><Table.Th>Does</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <Table.Tr key={what}>
              <Table.Td className="nowrap">{keys.map((k, i) => <span key={k}>{i > 0 && ' '}<Kbd>{k}</Kbd></span>)}</Table.Td>
              <Table.Td>{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
