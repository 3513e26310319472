import { Badge, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { useCity, useCreateUser, useDepartments, useResetPassword, useRoles, useUpdateUser, useUsers } from '../api/queries';
import type { AdminUser, Role } from '../api/types';
import { useUser } from '../auth/session';
import { DataTable } from '../components/DataTable';
import { formatDateTime } from '../lib/dates';
import { showApiError } from '../lib/formErrors';
import { usePageTitle } from '../lib/usePageTitle';

/** The department choices (work queues), keeping a code the City does not list. */
function useDepartmentOptions() {
  const { options } = useDepartments();
  return (current: string) => [{ value: '', label: 'None' }, ...options(current)];
}

const col = createColumnHelper<AdminUser>();

export function UsersPage() {
  usePageTitle('Users');
  const me = useUser();
  const users = useUsers();
  const roles = useRoles();
  const tz = useCity().data?.time_zone;
  const update = useUpdateUser();
  const departmentOptions = useDepartmentOptions();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const roleList: Role[] = roles.data?.items ?? [];
  const roleTitle = (name: string) => roleList.find((r) => r.name === name)?.title ?? name;

  const patchUser = async (u: AdminUser, body: { role?: string; disabled?: boolean; department?: string }, done: string) => {
    try {
      await update.mutateAsync({ id: u.id, version: u.version, ...body });
      notifications.show({ color: 'green', title: 'Saved', message: done });
    } catch (err) {
      if (isApiError(err) && err.status === 409) {
        notifications.show({ color: 'orange', title: 'Not saved', message: `${u.username} was changed by someone else — the list has been reloaded; check and try again.` });
      } else {
        showApiError(err, undefined, undefined, `Could not change ${u.username}`);
      }
    }
  };

  const columns = [
    col.accessor('username', { header: 'User name', cell: (c) => <Text size="sm" fw={600} ff="monospace">{c.getValue()}</Text> }),
    col.accessor('display_name', { header: 'Name' }),
    col.accessor('role', {
      header: 'Role',
      cell: (c) => {
        const u = c.row.original;
        const data = roleList.length ? roleList.map((r) => ({ value: r.name, label: r.title })) : [{ value: u.role, label: u.role }];
        return (
          <NativeSelect
            size="xs"
            aria-label={`Role for ${u.username}`}
            value={u.role}
            data={data}
            disabled={update.isPending}
            onChange={(e) => {
              const role = e.currentTarget.value;
              void patchUser(u, { role }, `${u.username} is now ${roleTitle(role)}`);
            }}
          />
        );
      },
    }),
    col.accessor('department', {
      header: 'Department',
      cell: (c) => {
        const u = c.row.original;
        const dept = u.department ?? '';
        return (
          <NativeSelect
            size="xs"
            aria-label={`Department for ${u.username}`}
            value={dept}
            data={departmentOptions(dept)}
            disabled={update.isPending}
            onChange={(e) => {
              const department = e.currentTarget.value;
              const name = departmentOptions(department).find((d) => d.value === department)?.label ?? department;
              void patchUser(u, { department }, department ? `${u.username} now works the ${name} queue` : `${u.username} has no department now`);
            }}
          />
        );
      },
    }),
    col.display({
      id: 'status',
      header: 'Status',
      cell: (c) => {
        const u = c.row.original;
        return (
          <Group gap={4} wrap="nowrap">
            {u.disabled ? <Badge color="gray" variant="light">Disabled</Badge> : <Badge color="green" variant="light">Active</Badge>}
            {u.locked && <Badge color="red" variant="light">Locked</Badge>}
          </Group>
        );
      },
    }),
    col.accessor('last_login_at', { header: 'Last sign-in', cell: (c) => <span className="nowrap">{c.getValue() ? formatDateTime(c.getValue(), tz) : 'Never'}</span> }),
    col.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => {
        const u = c.row.original;
        const self = u.id === me.id;
        return (
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-xs"
              variant="default"
              disabled={self && !u.disabled}
              title={self && !u.disabled ? 'You cannot disable yourself' : undefined}
              aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}
              onClick={() => void patchUser(u, { disabled: !u.disabled }, `${u.username} ${u.disabled ? 'enabled' : 'disabled'}`)}
            >
              {u.disabled ? 'Enable' : 'Disable'}
            </Button>
            <Button size="compact-xs" variant="default" aria-label={`Reset password for ${u.username}`} onClick={() => setResetting(u)}>
              Reset password{u.locked ? ' / unlock' : ''}
            </Button>
          </Group>
        );
      },
    }),
  ];

  return (
    <div>
      <Group justify="space-between" mb="sm">
        <Title order={1} size="h2">Users</Title>
        <Button onClick={() => setCreating(true)}>New user</Button>
      </Group>
      <DataTable
        caption="Staff who can sign in to civicdesk"
        columns={columns}
        data={users.data?.items ?? []}
        getRowId={(u) => String(u.id)}
        loading={users.isFetching}
        error={users.error}
        empty="No users."
      />
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} roles={roleList} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}

function CreateUserModal({ opened, onClose, roles }: { opened: boolean; onClose: () => void; roles: Role[] }) {
  const create = useCreateUser();
  const departmentOptions = useDepartmentOptions();
  const form = useForm({
    initialValues: { username: '', display_name: '', role: '', department: '', password: '' },
    validate: {
      username: (v) => (!/^[a-z0-9][a-z0-9._-]{1,31}$/.test(v) ? '2–32 lower-case letters, digits, dot, dash or underscore' : null),
      display_name: (v) => (!v.trim() ? 'Enter the person’s name' : null),
      role: (v) => (!v ? 'Choose a role' : null),
      password: (v) => (v.length < 12 ? 'At least 12 characters' : v.length > 256 ? 'At most 256 characters' : null),
    },
  });
  const close = () => { form.reset(); onClose(); };
  return (
    <Modal opened={opened} onClose={close} title="New user">
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          try {
            const u = await create.mutateAsync({ ...v, display_name: v.display_name.trim(), department: v.department || undefined });
            notifications.show({ color: 'green', title: 'User created', message: `${u.username} can now sign in` });
            close();
          } catch (err) {
            showApiError(err, (p, m) => form.setFieldError(p, m), (p) => p in form.values, 'User not created');
          }
        })}
      >
        <Stack gap="sm">
          <TextInput label="User name" withAsterisk autoComplete="off" data-autofocus {...form.getInputProps('username')} />
          <TextInput label="Name" withAsterisk autoComplete="off" {...form.getInputProps('display_name')} />
          <NativeSelect label="Role" withAsterisk data={[{ value: '', label: 'Choose…' }, ...roles.map((r) => ({ value: r.name, label: r.title }))]} {...form.getInputProps('role')} />
          <NativeSelect label="Department" description="Whose work queue the user sees" data={departmentOptions('')} {...form.getInputProps('department')} />
          <PasswordInput label="Initial password" withAsterisk autoComplete="new-password" {...form.getInputProps('password')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={create.isPending}>Create user</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const reset = useResetPassword();
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (v) => (v.length < 12 ? 'At least 12 characters' : v.length > 256 ? 'At most 256 characters' : null),
      confirm: (v, all) => (v !== all.password ? 'The two passwords differ' : null),
    },
  });
  const close = () => { form.reset(); onClose(); };
  return (
    <Modal opened={!!user} onClose={close} title={user ? `Reset password for ${user.username}` : ''}>
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          if (!user) return;
          try {
            await reset.mutateAsync({ id: user.id, password: v.password });
            notifications.show({ color: 'green', title: 'Password reset', message: `${user.username} can sign in with the new password${user.locked ? ' (unlocked)' : ''}` });
            close();
          } catch (err) {
            showApiError(err, (p, m) => form.setFieldError(p, m), (p) => p === 'password', 'Password not reset');
          }
        })}
      >
        <Stack gap="sm">
          {user?.locked && <Text size="sm">Resetting the password also unlocks the account.</Text>}
          <PasswordInput label="New password" withAsterisk autoComplete="new-password" data-autofocus {...form.getInputProps('password')} />
          <PasswordInput label="New password again" withAsterisk autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={reset.isPending}>Reset password</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
