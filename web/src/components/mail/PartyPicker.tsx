import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useSearch } from '../../api/queries';

export interface PickedParty { id: number; name: string }

/** Find a customer by name, address, phone or email (the one search box), optional. */
export function PartyPicker({ label, description, value, onChange, error }: {
  label: string;
  description?: string;
  value: PickedParty | null;
  onChange: (p: PickedParty | null) => void;
  error?: string;
}) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const typed = debounced.trim();
  const search = useSearch(value && q === value.name ? '' : typed);
  const hits = (typed ? search.data?.results ?? [] : []).filter((r) => r.kind === 'party');
  const data = hits.map((h) => ({ value: String(h.id), label: h.subtitle ? `${h.title} — ${h.subtitle}` : h.title }));
  if (value && !data.some((d) => d.value === String(value.id))) data.unshift({ value: String(value.id), label: value.name });
  return (
    <Select
      label={label}
      description={description}
      placeholder="Search by name, address, phone…"
      searchable
      clearable
      value={value ? String(value.id) : null}
      searchValue={q}
      onSearchChange={setQ}
      filter={({ options }) => options}
      data={data}
      nothingFoundMessage={typed ? (search.isFetching ? 'Searching…' : 'No customer found') : 'Type to search'}
      rightSection={search.isFetching ? <Loader size="xs" aria-label="Searching" /> : undefined}
      onChange={(v) => {
        if (!v) { onChange(null); return; }
        const d = data.find((x) => x.value === v);
        onChange({ id: Number(v), name: d?.label.split(' — ')[0] ?? `Customer no. ${v}` });
      }}
      error={error}
    />
  );
}
