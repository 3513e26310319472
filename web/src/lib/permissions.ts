import type { User } from '../api/types';

export function can(user: User | null | undefined, ...perms: string[]): boolean {
  if (!user) return false;
  // No permission named: any signed-in user (e.g. work queues, visible by department).
  if (perms.length === 0) return true;
  return perms.some((p) => user.permissions.includes(p));
}

export interface NavItem {
  label: string;
  to: string;
  /** Any one of these permissions shows the item; none = every signed-in user. */
  anyOf: string[];
  /** The feature that will bring this page, for the placeholder panel. Undefined = built. */
  comingWith?: string;
  /** What a refused user is told (completes "Your role (X) cannot …"). */
  refusal: string;
}

export const NAV: NavItem[] = [
  { label: 'Customers', to: '/parties', anyOf: ['party.read'], refusal: 'look up customers' },
  { label: 'New customer', to: '/parties/new', anyOf: ['party.write'], refusal: 'create customers' },
  { label: 'Counter', to: '/counter', anyOf: ['cashier.operate'], refusal: 'operate the counter' },
  { label: 'Drawers', to: '/drawers', anyOf: ['drawer.supervise'], refusal: 'supervise cash drawers' },
  { label: 'Deposits', to: '/deposits', anyOf: ['drawer.supervise', 'deposit.close'], refusal: 'prepare or close bank deposits' },
  { label: 'Revolving funds', to: '/revolving-funds', anyOf: ['cashier.operate', 'drawer.supervise', 'deposit.close'], refusal: 'see revolving funds' },
  { label: 'Mail room', to: '/mail', anyOf: ['mail.log'], refusal: 'log mail' },
  { label: 'Work queues', to: '/queues', anyOf: [], refusal: 'see work queues' },
  { label: 'Citations', to: '/citations', anyOf: ['citation.read'], refusal: 'see citations' },
  { label: 'Contest reviews', to: '/citations/reviews', anyOf: ['citation.decide'], refusal: 'decide contested citations' },
  { label: 'Hearing calendar', to: '/citations/hearings', anyOf: ['citation.decide'], refusal: 'see the hearing calendar' },
  { label: 'DMV exchange', to: '/citations/dmv', anyOf: ['citation.dmv'], refusal: 'exchange files with the DMV' },
  { label: 'Billing', to: '/billing', anyOf: ['billing.read'], refusal: 'see billing' },
  { label: 'Approvals', to: '/approvals', anyOf: ['adjustment.approve', 'refund.approve'], refusal: 'approve adjustments or refunds' },
  { label: 'Reports', to: '/reports', anyOf: ['report.read'], refusal: 'see reports' },
  { label: 'Audit', to: '/audit', anyOf: ['audit.read'], refusal: 'read the audit log' },
  { label: 'Users', to: '/users', anyOf: ['user.admin'], refusal: 'administer users' },
];

export function navFor(user: User | null | undefined): NavItem[] {
  return NAV.filter((n) => can(user, ...n.anyOf));
}
