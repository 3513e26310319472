// Hand-written API types, matching the contract in the brief.
// Once docs/api/openapi.yaml exists, `npm run gen:api` writes src/api/schema.d.ts;
// these aliases should then be re-pointed at components["schemas"][...] so a renamed
// field breaks the build.

export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'locked'
  | 'too_large'
  | (string & {});

export interface DuplicateCandidate {
  id: number;
  title: string;
  subtitle: string;
  reason: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    field: string;
    details?: { duplicates?: DuplicateCandidate[]; [k: string]: unknown };
  };
}

export interface Health {
  status: string;
  database: string;
  version: string;
}

export interface City {
  name: string;
  time_zone: string;
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: string;
  role_title: string;
  permissions: string[];
}

export interface Session {
  csrf_token: string;
  user: User;
}

export type SearchKind = 'party' | 'account' | 'citation' | 'license' | 'permit' | (string & {});

export interface SearchResult {
  kind: SearchKind;
  id: number | string;
  title: string;
  subtitle: string;
  score: number;
}

export interface SearchResponse {
  results: SearchResult[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export type PartyKind = 'person' | 'business';
export type ContactPreference = 'email' | 'phone' | 'mail' | 'sms';
export type AddressKind = 'mailing' | 'service' | 'other';
export type PhoneKind = 'mobile' | 'home' | 'work';

export interface Address {
  kind: AddressKind;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postal_code: string;
}

export interface Phone {
  kind: PhoneKind;
  number: string;
}

export interface Email {
  address: string;
}

/** A flag on a party, e.g. cash-only or no-shutoff. Shape not fixed yet: a string or an object. */
export type PartyFlag = string | { code: string; label?: string; note?: string; [k: string]: unknown };

export interface Party {
  id: number;
  kind: PartyKind;
  display_name: string;
  first_name: string | null;
  last_name: string | null;
  business_name: string | null;
  preferred_language: string;
  contact_preference: ContactPreference;
  version: number;
  addresses: Address[];
  phones: Phone[];
  emails: Email[];
  flags: PartyFlag[];
  created_at: string;
  updated_at: string;
}

export interface PartyInput {
  kind: PartyKind;
  first_name: string | null;
  last_name: string | null;
  business_name: string | null;
  preferred_language: string;
  contact_preference: ContactPreference;
  addresses: Address[];
  phones: Phone[];
  emails: Email[];
  confirm_duplicates?: boolean;
}

export interface PartyPatch extends PartyInput {
  version: number;
}

export interface AdminUser {
  id: number;
  username: string;
  display_name: string;
  role: string;
  disabled: boolean;
  locked: boolean;
  last_login_at: string | null;
  version: number;
}

export interface UserCreate {
  username: string;
  display_name: string;
  role: string;
  password: string;
}

export interface UserPatch {
  display_name?: string;
  role?: string;
  disabled?: boolean;
  version: number;
}

export interface Role {
  name: string;
  title: string;
  permissions: string[];
}

export interface ListResponse<T> {
  items: T[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  username: string;
  role: string;
  action: string;
  entity: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string;
  client: string;
}

export interface AuditPage {
  items: AuditEntry[];
  total: number;
}

export interface AuditFilter {
  user?: string;
  entity?: string;
  entity_id?: string;
  from?: string;
  to?: string;
  page: number;
  page_size: number;
}
