import { Combobox, Group, Loader, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useNavigate } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useSearch } from '../api/queries';
import type { SearchResult } from '../api/types';

const PLURAL: Record<string, string> = {
  party: 'parties', account: 'accounts', citation: 'citations', license: 'licenses', permit: 'permits',
};

const KIND_LABEL: Record<string, string> = {
  party: 'Customer', account: 'Account', citation: 'Citation', license: 'License', permit: 'Permit',
};

export function hrefFor(r: Pick<SearchResult, 'kind' | 'id'>): string {
  return `/${PLURAL[r.kind] ?? `${r.kind}s`}/${encodeURIComponent(String(r.id))}`;
}

export function GlobalSearch({ inputRef }: { inputRef: RefObject<HTMLInputElement> }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 150);
  const search = useSearch(debounced);
  const navigate = useNavigate();
  const combobox = useCombobox({
    onDropdownClose: () => combobox.resetSelectedOption(),
  });

  const results = debounced.trim() ? search.data?.results ?? [] : [];
  // Results on screen belong to what is typed now (not an older query kept while the next loads).
  const fresh = q.trim() === debounced.trim() && !search.isPlaceholderData && !search.isFetching;
  const stale = !fresh;
  // Enter pressed before the results for the typed text arrived: open the top hit when they do.
  const pendingEnter = useRef(false);

  const open = (value: string) => {
    const r = results[Number(value)];
    if (!r) return;
    combobox.closeDropdown();
    setQ('');
    inputRef.current?.blur();
    navigate(hrefFor(r));
  };

  // Highlight the top hit so Enter opens it straight away.
  useEffect(() => {
    if (!fresh) return;
    if (pendingEnter.current) {
      pendingEnter.current = false;
      if (results.length > 0) { open('0'); return; }
    }
    if (results.length > 0) combobox.selectFirstOption();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fresh, search.data, debounced]);

  let body: ReactNode;
  if (search.isError) {
    body = <Combobox.Empty>{isApiError(search.error) ? search.error.message : 'Search failed'}</Combobox.Empty>;
  } else if (results.length === 0) {
    body = <Combobox.Empty>{stale || search.isLoading ? 'Searching…' : `Nothing found for “${debounced.trim()}”`}</Combobox.Empty>;
  } else {
    body = results.map((r, i) => (
      <Combobox.Option value={String(i)} disabled={!fresh} key={`${r.kind}-${r.id}`} aria-label={`${KIND_LABEL[r.kind] ?? r.kind}: ${r.title}`}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Text size="xs" fw={600} c="dimmed" w={80} className="search-option-kind" style={{ flexShrink: 0, paddingTop: 2 }}>
            {KIND_LABEL[r.kind] ?? r.kind}
          </Text>
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} truncate>{r.title}</Text>
            {r.subtitle && <Text size="xs" c="dimmed" truncate>{r.subtitle}</Text>}
          </Stack>
        </Group>
      </Combobox.Option>
    ));
  }

  return (
    <Combobox store={combobox} onOptionSubmit={open} withinPortal>
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          type="search"
          aria-label="Search customers, addresses, phones, account and citation numbers"
          placeholder="Search  (press / )"
          value={q}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            if (e.currentTarget.value.trim()) combobox.openDropdown();
            else combobox.closeDropdown();
          }}
          onFocus={() => { if (q.trim()) combobox.openDropdown(); }}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === 'Escape') { pendingEnter.current = false; combobox.closeDropdown(); }
            else if (e.key === 'Enter' && q.trim() && !fresh) { e.preventDefault(); pendingEnter.current = true; }
            else if (e.key !== 'Enter') { pendingEnter.current = false; }
          }}
          rightSection={stale && q.trim() ? <Loader size={14} aria-hidden /> : null}
          data-testid="global-search"
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!q.trim()}>
        <Combobox.Options mah={420} style={{ overflowY: 'auto' }} aria-label="Search results">
          {body}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
