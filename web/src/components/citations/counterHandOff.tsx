// "Pay at the counter" from the citations pages: /counter?citations=N1,N2 puts what each citation
// owes (its fine's obligation and every posted penalty's, each with its open balance) in the cart.
// The counter reads the parameter once its drawer is open, then drops it from the address.
import { Alert, Loader } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { get } from '../../api/client';
import type { Obligation, Party } from '../../api/types';
import { toCents } from '../../lib/money';
import { citationObligationIds, type Citation } from '../../api/citations';
import { newKey, type CartLine } from '../counter/cart';

export function counterLinkFor(numbers: string[]): string {
  return `/counter?citations=${numbers.map(encodeURIComponent).join(',')}`;
}

async function linesFor(numbers: string[]): Promise<CartLine[]> {
  const names = new Map<number, string>();
  const lines: CartLine[] = [];
  for (const n of numbers) {
    const c = await get<Citation>(`/citations/${encodeURIComponent(n)}`);
    for (const id of citationObligationIds(c)) {
      const o = await get<Obligation>(`/obligations/${id}`);
      if (o.status !== 'open' || toCents(o.balance) <= 0n) continue;
      if (!names.has(o.party_id)) {
        const p = await get<Party>(`/parties/${o.party_id}`).catch(() => null);
        names.set(o.party_id, p?.display_name ?? `Customer no. ${o.party_id}`);
      }
      lines.push({ key: newKey('l'), partyId: o.party_id, partyName: names.get(o.party_id)!, obligationId: o.id, description: o.description, owes: o.balance, amount: o.balance });
    }
  }
  return lines;
}

/** Reads ?citations= once; calls `onLines` with the cart lines. Returns the hand-off's progress. */
export function useCitationHandOff(onLines: (lines: CartLine[]) => void) {
  const [params, setParams] = useSearchParams();
  const raw = params.get('citations');
  const done = useRef<string | null>(null);
  const [state, setState] = useState<{ loading: boolean; error: unknown; numbers: string[] }>({ loading: false, error: null, numbers: [] });
  const cb = useRef(onLines);
  cb.current = onLines;
  useEffect(() => {
    if (!raw) { done.current = null; return; }
    if (done.current === raw) return;
    done.current = raw;
    const numbers = raw.split(',').map((s) => s.trim()).filter(Boolean);
    setState({ loading: true, error: null, numbers });
    linesFor(numbers)
      .then((lines) => { cb.current(lines); setState({ loading: false, error: null, numbers }); })
      .catch((err) => setState({ loading: false, error: err, numbers }))
      .finally(() => {
        const next = new URLSearchParams(params);
        next.delete('citations');
        setParams(next, { replace: true });
      });
  }, [raw, params, setParams]);
  return state;
}

/** What the counter shows while (or if not) the citations go into the cart. */
export function CitationHandOffNote({ state }: { state: ReturnType<typeof useCitationHandOff> }) {
  if (state.loading) return <Loader size="sm" aria-label={`Putting citation${state.numbers.length === 1 ? '' : 's'} ${state.numbers.join(', ')} in the cart`} />;
  if (state.error) {
    return (
      <Alert color="red" variant="light" role="alert" title="The citations could not be put in the cart">
        {state.error instanceof Error ? state.error.message : String(state.error)}
      </Alert>
    );
  }
  return null;
}
