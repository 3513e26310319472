import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useCreateDrawer, useUpdateDrawer, type Drawer } from '../../api/counter';
import { DialogButtons, placeApiError, RefusalAlert } from '../ledger/common';

interface Form { code: string; name: string; office: string; bank_account: string; printer: string }
const FIELDS = ['code', 'name', 'office', 'bank_account', 'printer'] as const;

/** Add a drawer, or change one's name, office, bank account or receipt printer (drawer.supervise). */
export function DrawerDialog({ drawer, opened, onClose }: { drawer: Drawer | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={drawer ? `Edit drawer ${drawer.code}` : 'New drawer'}>
      <DrawerForm drawer={drawer} onClose={onClose} />
    </Modal>
  );
}

function DrawerForm({ drawer, onClose }: { drawer: Drawer | null; onClose: () => void }) {
  const create = useCreateDrawer();
  const update = useUpdateDrawer();
  const [refusal, setRefusal] = useState<unknown>(null);
  const form = useForm<Form>({
    initialValues: {
      code: drawer?.code ?? '', name: drawer?.name ?? '', office: drawer?.office ?? '',
      bank_account: drawer?.bank_account ?? '', printer: drawer?.printer ?? '',
    },
    validate: {
      code: (v) => (drawer ? null : /^[A-Z0-9-]{1,16}$/.test(v.trim()) ? null : 'Capital letters, digits and “-”, e.g. CH-3'),
      name: (v) => (v.trim() ? null : 'Name the drawer, e.g. City Hall window 3'),
      office: (v) => (v.trim() ? null : 'The office it belongs to (balancing adds up per office)'),
      bank_account: (v) => (v.trim() ? null : 'The bank account its receipts are deposited to'),
      printer: (v) => (!v.trim() || v.trim() === 'none' || /^[^\s:]+:\d{1,5}$/.test(v.trim()) ? null : 'host:port, e.g. 10.0.4.21:9100'),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      if (drawer) {
        await update.mutateAsync({
          code: drawer.code, name: v.name.trim(), office: v.office.trim(), bank_account: v.bank_account.trim(),
          // An emptied printer field clears the printer ("none" in the API).
          printer: v.printer.trim() || (drawer.printer ? 'none' : ''),
        });
      } else {
        await create.mutateAsync({ code: v.code.trim(), name: v.name.trim(), office: v.office.trim(), bank_account: v.bank_account.trim(), ...(v.printer.trim() ? { printer: v.printer.trim() } : {}) });
      }
      onClose();
    } catch (err) {
      setRefusal(placeApiError(err, form.setFieldError, FIELDS));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {!drawer && <TextInput label="Code" description="Printed on every receipt number (CH-3-000042)" required data-autofocus {...form.getInputProps('code')} />}
        <TextInput label="Name" required data-autofocus={drawer ? true : undefined} {...form.getInputProps('name')} />
        <TextInput label="Office" required {...form.getInputProps('office')} />
        <TextInput label="Bank account" required {...form.getInputProps('bank_account')} />
        <TextInput label="Receipt printer" description="host:port of the ESC/POS printer (port 9100 by convention); empty for none" {...form.getInputProps('printer')} />
        {drawer?.session && <Text size="xs">A session is open on this drawer; changes apply from now on.</Text>}
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit={drawer ? 'Save drawer' : 'Add drawer'} pending={create.isPending || update.isPending} />
      </Stack>
    </form>
  );
}
