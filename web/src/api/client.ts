import type { ErrorBody, DuplicateCandidate } from './types';

/** A non-2xx answer from the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string;
  readonly details: ErrorBody['error']['details'];

  constructor(status: number, code: string, message: string, field = '', details?: ErrorBody['error']['details']) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }

  get duplicates(): DuplicateCandidate[] | undefined {
    const d = this.details?.duplicates;
    return Array.isArray(d) ? d : undefined;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

let csrfToken: string | null = null;
/** Called by the session layer when signing in or restoring a session. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type UnauthenticatedListener = () => void;
let onUnauthenticated: UnauthenticatedListener | null = null;
/** The session layer registers this: any 401 (outside the session endpoint itself) sends the user to sign-in. */
export function setUnauthenticatedHandler(fn: UnauthenticatedListener | null): void {
  onUnauthenticated = fn;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  /** For money-moving requests: one crypto.randomUUID() per intended action, reused on retry. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Do not trigger the global 401 → sign-in redirect (used by the session endpoints). */
  allow401?: boolean;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const url = path.startsWith('/api/') ? path : `/api/v1${path.startsWith('/') ? '' : '/'}${path}`;
  if (!query) return url;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${url}?${s}` : url;
}

export async function api<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  }

  if (res.status === 204) return undefined as T;

  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const err = (data as ErrorBody | undefined)?.error;
    const apiErr = new ApiError(
      res.status,
      err?.code ?? statusCode(res.status),
      err?.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
      err?.field ?? '',
      err?.details,
    );
    if (res.status === 401 && !opts.allow401 && onUnauthenticated) onUnauthenticated();
    throw apiErr;
  }
  return data as T;
}

function statusCode(status: number): string {
  switch (status) {
    case 400: return 'invalid_input';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'too_large';
    case 422: return 'unprocessable';
    case 423: return 'locked';
    default: return 'server_error';
  }
}

export const get = <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
  api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
  api<T>('POST', path, { ...opts, body });
export const patch = <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
  api<T>('PATCH', path, { ...opts, body });
export const del = <T>(path: string, opts: RequestOptions = {}) => api<T>('DELETE', path, opts);
