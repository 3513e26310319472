// Flatten two JSON values into dotted paths and pair them up for a before/after table.

export interface DiffRow {
  path: string;
  before: unknown;
  after: unknown;
  /** 'added' | 'removed' | 'changed' | 'same' */
  change: 'added' | 'removed' | 'changed' | 'same';
}

const ABSENT = Symbol('absent');

function flatten(v: unknown, prefix: string, out: Map<string, unknown>) {
  if (v !== null && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) {
      out.set(prefix || '(value)', v);
      return;
    }
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix || '(value)', v);
}

export function diff(before: unknown, after: unknown): DiffRow[] {
  const b = new Map<string, unknown>();
  const a = new Map<string, unknown>();
  if (before !== null && before !== undefined) flatten(before, '', b);
  if (after !== null && after !== undefined) flatten(after, '', a);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  return keys.map((path) => {
    const bv = b.has(path) ? b.get(path) : ABSENT;
    const av = a.has(path) ? a.get(path) : ABSENT;
    const change: DiffRow['change'] = bv === ABSENT ? 'added' : av === ABSENT ? 'removed' : JSON.stringify(bv) === JSON.stringify(av) ? 'same' : 'changed';
    return { path, before: bv === ABSENT ? undefined : bv, after: av === ABSENT ? undefined : av, change };
  });
}

export function show(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}
