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
