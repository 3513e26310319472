import { useSearchParams } from 'react-router-dom';

/** Page and page size kept in the URL (?page=2&size=50), so Back and reload keep the place. */
export function usePaging(defaultSize = 50) {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const size = [25, 50, 100].includes(Number(params.get('size'))) ? Number(params.get('size')) : defaultSize;
  const set = (p: number, s: number) => {
    const next = new URLSearchParams(params);
    if (p > 1) next.set('page', String(p)); else next.delete('page');
    if (s !== defaultSize) next.set('size', String(s)); else next.delete('size');
    setParams(next, { replace: false });
  };
  return {
    page,
    pageSize: size,
    params,
    setParams,
    onPage: (p: number) => set(p, size),
    onPageSize: (s: number) => set(1, s),
  };
}
