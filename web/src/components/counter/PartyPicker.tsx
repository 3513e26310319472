import { Combobox, Group, Loader, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState, type ReactNode, type Ref } from 'react';
import { isApiError } from '../../api/client';
import { useParty, useSearch } from '../../api/queries';

interface Hit { id: number; title: string; subtitle: string }

/**
 * The counter's customer search: name, address, phone (GET /search) or the customer number
 * ("115" or "#115", looked up directly). ↑/↓ move, Enter takes the highlighted customer.
 */
export function PartyPicker({ onPick, inputRef }: { onPick: (partyId: number, name: string) => void; inputRef?: Ref<HTMLInputElement> }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 150);
  const trimmed = debounced.trim();
  const numberMatch = /^#?(\d{1,12})$/.exec(trimmed);
  const byNumber = useParty(numberMatch ? Number(numberMatch[1]) : 0);
  const search = useSearch(numberMatch ? '' : trimmed);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const pendingEnter = useRef(false);

  const hits: Hit[] = [];
  if (numberMatch && byNumber.data) hits.push({ id: byNumber.data.id, title: byNumber.data.display_name, subtitle: `Customer no. ${byNumber.data.id}` });
  if (!numberMatch) for (const r of search.data?.results ?? []) if (r.kind === 'party') hits.push({ id: r.id, title: r.title, subtitle: r.subtitle });
  const loading = numberMatch ? byNumber.isFetching : search.isFetching || search.isPlaceholderData;
  const fresh = q.trim() === trimmed && !loading;

  const pick = (value: string) => {
    const h = hits[Number(value)];
    if (!h) return;
    combobox.closeDropdown();
    setQ('');
    onPick(h.id, h.title);
  };

  useEffect(() => {
    if (!fresh) return;
    if (pendingEnter.current) {
      pendingEnter.current = false;
      if (hits.length > 0) { pick('0'); return; }
    }
    if (hits.length > 0) combobox.selectFirstOption();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fresh, search.data, byNumber.data, trimmed]);

  let body: ReactNode;
  const err = numberMatch ? byNumber.error : search.error;
  if (err && !(numberMatch && isApiError(err) && err.status === 404)) {
    body = <Combobox.Empty>{err.message}</Combobox.Empty>;
  } else if (hits.length === 0) {
    body = <Combobox.Empty>{!fresh ? 'Searching…' : numberMatch ? `No customer no. ${numberMatch[1]}` : `Nothing found for “${trimmed}”`}</Combobox.Empty>;
  } else {
    body = hits.map((h, i) => (
      <Combobox.Option value={String(i)} key={h.id} disabled={!fresh} aria-label={`${h.title}, customer no. ${h.id}`}>
        <Group gap="sm" wrap="nowrap" justify="space-between">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} truncate>{h.title}</Text>
            {h.subtitle && <Text size="xs" c="dimmed" truncate>{h.subtitle}</Text>}
          </Stack>
          <Text size="xs" c="dimmed" className="nowrap">no. {h.id}</Text>
        </Group>
      </Combobox.Option>
    ));
  }

  return (
    <Combobox store={combobox} onOptionSubmit={pick} withinPortal>
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          type="search"
          label="Find customer (F2)"
          description="Name, address, phone or customer number"
          placeholder="e.g. Smith, 2297 Juniper, 115"
          value={q}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            if (e.currentTarget.value.trim()) combobox.openDropdown(); else combobox.closeDropdown();
          }}
          onFocus={() => { if (q.trim()) combobox.openDropdown(); }}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === 'Escape') { pendingEnter.current = false; combobox.closeDropdown(); }
            else if (e.key === 'Enter' && q.trim() && !fresh) { e.preventDefault(); pendingEnter.current = true; }
            else if (e.key !== 'Enter') pendingEnter.current = false;
          }}
          rightSection={!fresh && q.trim() ? <Loader size={14} aria-hidden /> : null}
          data-testid="counter-search"
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!q.trim()}>
        <Combobox.Options mah={360} style={{ overflowY: 'auto' }} aria-label="Customers found">
          {body}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
