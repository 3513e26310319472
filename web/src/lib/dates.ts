// Dates and times shown in the City's format (US) and time zone (from GET /api/v1/city).

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(tz: string | undefined, withTime: boolean): Intl.DateTimeFormat {
  const key = `${tz ?? ''}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

export function formatDateTime(iso: string | null | undefined, tz?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt(tz, true).format(d);
}

export function formatDate(iso: string | null | undefined, tz?: string): string {
  if (!iso) return '—';
  // A bare date (YYYY-MM-DD) is a calendar date, not an instant: don't shift it by time zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-');
    return `${m}/${d}/${y}`;
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt(tz, false).format(d);
}

/** Today's calendar date (YYYY-MM-DD) in the City's time zone. */
export function todayIn(tz?: string, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A calendar date moved by whole months, day clamped: ("2025-03-31", -1) → "2025-02-28"; day 1 when firstOfMonth. */
export function shiftMonths(isoDate: string, months: number, firstOfMonth = false): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  const nd = firstOfMonth ? 1 : Math.min(d, last);
  return `${ny}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

export function isIsoDate(s: string | null | undefined): s is string {
  return !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}
