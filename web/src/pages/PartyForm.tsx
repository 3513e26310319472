import {
  ActionIcon, Alert, Anchor, Button, Fieldset, Grid, Group, List, Loader, NativeSelect, SegmentedControl, Stack, Text, TextInput, Title,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, isApiError } from '../api/client';
import { useCreateParty, useParty, useUpdateParty } from '../api/queries';
import type { Address, ContactPreference, DuplicateCandidate, Email, Party, PartyInput, PartyKind, Phone } from '../api/types';
import { useUser } from '../auth/session';
import { refusalText } from '../components/RequirePermission';
import { normalizeField, showApiError } from '../lib/formErrors';
import { CONTACT_PREFS, LANGUAGES } from '../lib/party';
import { usePageTitle } from '../lib/usePageTitle';

export interface PartyFormValues {
  kind: PartyKind;
  first_name: string;
  last_name: string;
  business_name: string;
  preferred_language: string;
  contact_preference: ContactPreference;
  addresses: Address[];
  phones: Phone[];
  emails: Email[];
}

const EMPTY_ADDRESS: Address = { kind: 'mailing', line1: '', line2: '', city: '', state: '', postal_code: '' };
const EMPTY_PHONE: Phone = { kind: 'mobile', number: '' };
const EMPTY_EMAIL: Email = { address: '' };

export const emptyParty = (): PartyFormValues => ({
  kind: 'person', first_name: '', last_name: '', business_name: '', preferred_language: 'en',
  contact_preference: 'phone', addresses: [{ ...EMPTY_ADDRESS }], phones: [{ ...EMPTY_PHONE }], emails: [],
});

export function partyToValues(p: Party): PartyFormValues {
  return {
    kind: p.kind,
    first_name: p.first_name ?? '',
    last_name: p.last_name ?? '',
    business_name: p.business_name ?? '',
    preferred_language: p.preferred_language || 'en',
    contact_preference: (CONTACT_PREFS.some((c) => c.value === p.contact_preference) ? p.contact_preference : 'mail') as ContactPreference,
    addresses: p.addresses.map((a) => ({ ...EMPTY_ADDRESS, ...a, line2: a.line2 ?? '' })),
    phones: p.phones.map((x) => ({ ...x })),
    emails: p.emails.map((x) => ({ ...x })),
  };
}

export function valuesToInput(v: PartyFormValues): PartyInput {
  const person = v.kind === 'person';
  return {
    kind: v.kind,
    first_name: person ? v.first_name.trim() : '',
    last_name: person ? v.last_name.trim() : '',
    business_name: person ? '' : v.business_name.trim(),
    preferred_language: v.preferred_language,
    contact_preference: v.contact_preference,
    addresses: v.addresses.map((a) => ({
      kind: a.kind, line1: a.line1.trim(), line2: (a.line2 ?? '').trim(), city: a.city.trim(),
      state: a.state.trim().toUpperCase(), postal_code: a.postal_code.trim(),
    })),
    phones: v.phones.map((p) => ({ kind: p.kind, number: p.number.trim() })),
    emails: v.emails.map((e) => ({ address: e.address.trim() })),
  };
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ZIP_RE = /^\d{5}(-\d{4})?$/;

function usePartyForm(initial: PartyFormValues) {
  return useForm<PartyFormValues>({
    mode: 'controlled',
    initialValues: initial,
    validateInputOnBlur: true,
    validate: {
      first_name: (v, all) => (all.kind === 'person' && !v.trim() ? 'Enter the first name' : v.length > 100 ? 'At most 100 characters' : null),
      last_name: (v, all) => (all.kind === 'person' && !v.trim() ? 'Enter the last name' : v.length > 100 ? 'At most 100 characters' : null),
      business_name: (v, all) => (all.kind === 'business' && !v.trim() ? 'Enter the business name' : v.length > 200 ? 'At most 200 characters' : null),
      addresses: {
        line1: (v) => (!v.trim() ? 'Enter the street address' : null),
        city: (v) => (!v.trim() ? 'Enter the city' : null),
        state: (v) => (!/^[A-Za-z]{2}$/.test(v.trim()) ? 'Two-letter state, e.g. CA' : null),
        postal_code: (v) => (!ZIP_RE.test(v.trim()) ? 'ZIP as 12345 or 12345-6789' : null),
      },
      phones: {
        number: (v) => {
          const d = v.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
          return d.length !== 10 ? 'Enter a 10-digit phone number, e.g. (555) 201-3344' : null;
        },
      },
      emails: { address: (v) => (!EMAIL_RE.test(v.trim()) ? 'Enter an email address like name@example.org' : null) },
      contact_preference: (v, all) => {
        if (v === 'email' && all.emails.length === 0) return 'Add an email address to contact by email';
        if ((v === 'phone' || v === 'sms') && all.phones.length === 0) return 'Add a phone number to contact by phone or text';
        if (v === 'mail' && all.addresses.length === 0) return 'Add an address to contact by mail';
        return null;
      },
    },
  });
}

type Form = UseFormReturnType<PartyFormValues>;

function knownField(form: Form) {
  return (path: string) => {
    const m = /^(addresses|phones|emails)\.(\d+)\.(\w+)$/.exec(path);
    if (m) return Number(m[2]) < (form.values[m[1] as 'addresses'] as unknown[]).length;
    return path in form.values;
  };
}

function PartyFields({ form }: { form: Form }) {
  const v = form.values;
  return (
    <Stack gap="md">
      <Fieldset legend="Who">
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={500} id="kind-label" mb={4}>Kind</Text>
            <SegmentedControl
              aria-labelledby="kind-label"
              data={[{ value: 'person', label: 'Person' }, { value: 'business', label: 'Business' }]}
              {...form.getInputProps('kind')}
            />
          </div>
          {v.kind === 'person' ? (
            <Grid gutter="sm">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="First name" withAsterisk autoComplete="off" {...form.getInputProps('first_name')} data-autofocus />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Last name" withAsterisk autoComplete="off" {...form.getInputProps('last_name')} />
              </Grid.Col>
            </Grid>
          ) : (
            <TextInput label="Business name" withAsterisk autoComplete="off" {...form.getInputProps('business_name')} />
          )}
          <Grid gutter="sm">
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <NativeSelect label="Preferred language" data={LANGUAGES} {...form.getInputProps('preferred_language')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <NativeSelect label="Contact by" data={CONTACT_PREFS} {...form.getInputProps('contact_preference')} />
            </Grid.Col>
          </Grid>
        </Stack>
      </Fieldset>

      <Fieldset legend="Addresses">
        <Stack gap="sm">
          {v.addresses.length === 0 && <Text size="sm">No address.</Text>}
          {v.addresses.map((_, i) => (
            <Grid gutter="xs" key={i} align="flex-end" aria-label={`Address ${i + 1}`} role="group">
              <Grid.Col span={{ base: 12, sm: 2 }}>
                <NativeSelect label="Kind" data={[{ value: 'mailing', label: 'Mailing' }, { value: 'service', label: 'Service' }, { value: 'other', label: 'Other' }]}
                  {...form.getInputProps(`addresses.${i}.kind`)} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput label="Street address" withAsterisk {...form.getInputProps(`addresses.${i}.line1`)} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 2 }}>
                <TextInput label="Unit / line 2" {...form.getInputProps(`addresses.${i}.line2`)} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 2 }}>
                <TextInput label="City" withAsterisk {...form.getInputProps(`addresses.${i}.city`)} />
              </Grid.Col>
              <Grid.Col span={{ base: 3, sm: 1 }}>
                <TextInput label="State" withAsterisk maxLength={2} {...form.getInputProps(`addresses.${i}.state`)} />
              </Grid.Col>
              <Grid.Col span={{ base: 3, sm: 1 }}>
                <Group gap={4} wrap="nowrap" align="flex-end">
                  <TextInput label="ZIP" withAsterisk style={{ flex: 1, minWidth: 70 }} {...form.getInputProps(`addresses.${i}.postal_code`)} />
                </Group>
              </Grid.Col>
              <Grid.Col span={12} pt={0}>
                <Button variant="subtle" color="red" size="compact-xs" onClick={() => form.removeListItem('addresses', i)} aria-label={`Remove address ${i + 1}`}>
                  Remove address
                </Button>
              </Grid.Col>
            </Grid>
          ))}
          <Group><Button variant="light" size="xs" onClick={() => form.insertListItem('addresses', { ...EMPTY_ADDRESS, city: v.addresses[0]?.city ?? '', state: v.addresses[0]?.state ?? '' })}>Add address</Button></Group>
        </Stack>
      </Fieldset>

      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Fieldset legend="Phones">
            <Stack gap="xs">
              {v.phones.length === 0 && <Text size="sm">No phone.</Text>}
              {v.phones.map((_, i) => (
                <Group key={i} gap="xs" align="flex-start" wrap="nowrap" role="group" aria-label={`Phone ${i + 1}`}>
                  <NativeSelect label="Kind" w={110} data={[{ value: 'mobile', label: 'Mobile' }, { value: 'home', label: 'Home' }, { value: 'work', label: 'Work' }]}
                    {...form.getInputProps(`phones.${i}.kind`)} />
                  <TextInput label="Number" type="tel" withAsterisk style={{ flex: 1 }} {...form.getInputProps(`phones.${i}.number`)} />
                  <ActionIcon variant="subtle" color="red" mt={26} size="lg" onClick={() => form.removeListItem('phones', i)} aria-label={`Remove phone ${i + 1}`}>×</ActionIcon>
                </Group>
              ))}
              <Group><Button variant="light" size="xs" onClick={() => form.insertListItem('phones', { ...EMPTY_PHONE })}>Add phone</Button></Group>
            </Stack>
          </Fieldset>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Fieldset legend="Email">
            <Stack gap="xs">
              {v.emails.length === 0 && <Text size="sm">No email.</Text>}
              {v.emails.map((_, i) => (
                <Group key={i} gap="xs" align="flex-start" wrap="nowrap" role="group" aria-label={`Email ${i + 1}`}>
                  <TextInput label="Email address" type="email" withAsterisk style={{ flex: 1 }} {...form.getInputProps(`emails.${i}.address`)} />
                  <ActionIcon variant="subtle" color="red" mt={26} size="lg" onClick={() => form.removeListItem('emails', i)} aria-label={`Remove email ${i + 1}`}>×</ActionIcon>
                </Group>
              ))}
              <Group><Button variant="light" size="xs" onClick={() => form.insertListItem('emails', { ...EMPTY_EMAIL })}>Add email</Button></Group>
            </Stack>
          </Fieldset>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Forbidden({ err, what }: { err: ApiError; what: string }) {
  const user = useUser();
  return (
    <Alert color="red" variant="light" role="alert" title="Not allowed for your role">
      {refusalText(user.role_title, what)}.{err.message ? ` ${err.message}` : ''}
    </Alert>
  );
}

function DuplicateWarning({ dups, onCreateAnyway, busy }: { dups: DuplicateCandidate[]; onCreateAnyway: () => void; busy: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return (
    <Alert ref={ref} tabIndex={-1} color="yellow" variant="light" role="alert" title="This customer may already exist" data-testid="duplicate-warning">
      <Text size="sm" mb="xs">Check these before creating a new record — opening the existing one avoids a split history:</Text>
      <List size="sm" spacing={4} mb="sm">
        {dups.map((d) => (
          <List.Item key={d.id}>
            <Anchor component={Link} to={`/parties/${d.id}`} fw={600}>{d.title}</Anchor>
            {d.subtitle ? ` — ${d.subtitle}` : ''} <Text span size="xs" c="dimmed">({d.reason})</Text>
          </List.Item>
        ))}
      </List>
      <Group gap="sm">
        {dups[0] && <Button component={Link} to={`/parties/${dups[0].id}`}>Open {dups[0].title}</Button>}
        <Button variant="default" onClick={onCreateAnyway} loading={busy}>Create anyway</Button>
      </Group>
    </Alert>
  );
}

export function PartyCreatePage() {
  usePageTitle('New customer');
  const navigate = useNavigate();
  const create = useCreateParty();
  const form = usePartyForm(emptyParty());
  const [dups, setDups] = useState<DuplicateCandidate[] | null>(null);
  const [forbidden, setForbidden] = useState<ApiError | null>(null);

  // Editing after the warning means the duplicate check must run again.
  const lastSent = useRef<string>('');
  useEffect(() => {
    if (dups && JSON.stringify(valuesToInput(form.values)) !== lastSent.current) setDups(null);
  }, [form.values, dups]);

  const send = async (input: PartyInput) => {
    lastSent.current = JSON.stringify({ ...input, confirm_duplicates: undefined });
    try {
      const p = await create.mutateAsync(input);
      notifications.show({ color: 'green', title: 'Customer created', message: `${p.display_name} (no. ${p.id})` });
      navigate(`/parties/${p.id}`);
    } catch (err) {
      if (isApiError(err) && err.status === 409 && err.duplicates?.length) {
        lastSent.current = JSON.stringify(valuesToInput(form.values));
        setDups(err.duplicates);
      } else if (isApiError(err) && err.status === 403) {
        setForbidden(err);
      } else {
        showApiError(err, (p, m) => form.setFieldError(p, m), knownField(form), 'Customer not created');
      }
    }
  };

  return (
    <Stack maw={1100} gap="sm">
      <Title order={1} size="h2">New customer</Title>
      {forbidden && <Forbidden err={forbidden} what="create customers" />}
      <form onSubmit={form.onSubmit((v) => { setDups(null); void send(valuesToInput(v)); }, () => focusFirstError())} noValidate>
        <Stack gap="md">
          <PartyFields form={form} />
          {dups && <DuplicateWarning dups={dups} busy={create.isPending} onCreateAnyway={() => void send({ ...valuesToInput(form.values), confirm_duplicates: true })} />}
          <Group>
            <Button type="submit" loading={create.isPending && !dups}>Create customer</Button>
            <Button variant="default" component={Link} to="/parties">Cancel</Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function focusFirstError() {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  });
}

export function PartyEditPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const q = useParty(id);
  usePageTitle(q.data ? `Edit ${q.data.display_name}` : 'Edit customer');
  if (q.isLoading) return <Loader aria-label="Loading customer" />;
  if (q.isError || !q.data) {
    return <Alert color="red" role="alert" title="Could not load the customer">{q.error instanceof Error ? q.error.message : 'Not found'}</Alert>;
  }
  return <PartyEditForm party={q.data} refetch={() => q.refetch()} />;
}

function PartyEditForm({ party, refetch }: { party: Party; refetch: () => Promise<{ data?: Party }> }) {
  const navigate = useNavigate();
  const update = useUpdateParty(party.id);
  const form = usePartyForm(partyToValues(party));
  const [version, setVersion] = useState(party.version);
  const [stale, setStale] = useState(false);
  const [forbidden, setForbidden] = useState<ApiError | null>(null);
  const [reloading, setReloading] = useState(false);

  const submit = async (v: PartyFormValues) => {
    try {
      const p = await update.mutateAsync({ ...valuesToInput(v), version });
      notifications.show({ color: 'green', title: 'Saved', message: p.display_name });
      navigate(`/parties/${p.id}`);
    } catch (err) {
      if (isApiError(err) && err.status === 409) setStale(true);
      else if (isApiError(err) && err.status === 403) setForbidden(err);
      else showApiError(err, (p, m) => form.setFieldError(normalizeField(p), m), knownField(form), 'Not saved');
    }
  };

  const reload = async () => {
    setReloading(true);
    try {
      const r = await refetch();
      if (r.data) {
        form.setValues(partyToValues(r.data));
        form.resetDirty(partyToValues(r.data));
        form.clearErrors();
        setVersion(r.data.version);
        setStale(false);
      }
    } finally {
      setReloading(false);
    }
  };

  return (
    <Stack maw={1100} gap="sm">
      <Title order={1} size="h2">Edit {party.display_name}</Title>
      {forbidden && <Forbidden err={forbidden} what="edit customers" />}
      {stale && (
        <Alert color="orange" variant="light" role="alert" title="Not saved" data-testid="stale-warning">
          <Text size="sm" mb="xs">This record was changed by someone else — reload to see their change. Your edits on this page will be replaced.</Text>
          <Button onClick={() => void reload()} loading={reloading}>Reload</Button>
        </Alert>
      )}
      <form onSubmit={form.onSubmit((v) => void submit(v), () => focusFirstError())} noValidate>
        <Stack gap="md">
          <PartyFields form={form} />
          <Group>
            <Button type="submit" loading={update.isPending} disabled={stale}>Save changes</Button>
            <Button variant="default" component={Link} to={`/parties/${party.id}`}>Cancel</Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
