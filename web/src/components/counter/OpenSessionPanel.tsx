import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { useDrawers, useOpenSession } from '../../api/counter';
import { RefusalAlert } from '../ledger/common';
import { CashCountInput, denominationError } from './CashCountInput';
import { countCents, emptyDraft, toCashCount, type CountDraft } from './denominations';

/** No session yet: pick a free drawer and open it with the float counted by denomination. */
export function OpenSessionPanel() {
  const drawers = useDrawers();
  const open = useOpenSession();
  const [drawer, setDrawer] = useState('');
  const [draft, setDraft] = useState<CountDraft>(emptyDraft());
  const [errors, setErrors] = useState<{ drawer?: string; float?: string; count?: Record<string, string> }>({});
  const [refusal, setRefusal] = useState<unknown>(null);
  const selectRef = useRef<HTMLSelectElement>(null);

  const items = drawers.data?.items ?? [];
  const free = items.filter((d) => !d.session);
  useEffect(() => {
    if (!drawer && free.length > 0) setDrawer(free[0].code);
  }, [drawer, free]);
  useEffect(() => { selectRef.current?.focus(); }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    const count = toCashCount(draft);
    const errs: typeof errors = {};
    if (!drawer) errs.drawer = 'Choose the drawer you are taking';
    if (!count) errs.float = 'Fix the counts marked below';
    else if (countCents(count) <= 0n) errs.float = 'Count the float you were issued (at least one piece)';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      await open.mutateAsync({ drawer, float: count! });
    } catch (err) {
      if (isApiError(err) && err.field === 'drawer') setErrors({ drawer: err.message });
      else if (isApiError(err) && err.field.startsWith('float')) {
        setErrors({ float: err.message, count: denominationError(err.field, err.message, 'float') ?? undefined });
      } else setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="md" maw={900} component="section" aria-labelledby="open-drawer-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="open-drawer-title">Open a drawer</Title>
          <Text size="sm">You have no drawer open. Take a drawer and count the float you were issued, piece by piece.</Text>
          {drawers.error && <Alert color="red" variant="light" role="alert" title="Could not load the drawers">{drawers.error.message}</Alert>}
          <NativeSelect
            ref={selectRef}
            label="Drawer"
            w={360}
            value={drawer}
            onChange={(e) => setDrawer(e.currentTarget.value)}
            error={errors.drawer}
            data={[
              ...(free.length === 0 ? [{ value: '', label: drawers.isLoading ? 'Loading…' : 'No drawer is free' }] : []),
              ...items.map((d) => ({
                value: d.code,
                label: d.session ? `${d.code} — ${d.name} (in use by ${d.session.cashier})` : `${d.code} — ${d.name}, ${d.office}`,
                disabled: !!d.session,
              })),
            ]}
          />
          <CashCountInput legend="Opening float (pieces per denomination)" value={draft} onChange={setDraft} errors={errors.count} totalLabel="Float" testId="float-count" />
          {errors.float && <Text size="sm" c="red.9" role="alert">{errors.float}</Text>}
          <RefusalAlert error={refusal} />
          <Group justify="flex-end">
            <Button type="submit" loading={open.isPending}>Open drawer</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
