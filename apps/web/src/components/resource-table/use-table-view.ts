import { useDeferredValue, useMemo, useState } from 'react';

export type SortDirection = 'asc' | 'desc';
export interface SortState<K extends string> {
  key: K;
  direction: SortDirection;
}

export interface TableViewOptions<T, K extends string> {
  /** Lower-cased text the search box matches against. */
  searchText: (row: T) => string;
  comparators: Record<K, (a: T, b: T) => number>;
  initialSort: SortState<K>;
  pageSize?: number;
}

/**
 * Search, sort and client-side pagination of a list. Filtering runs on a deferred query, so
 * typing stays responsive with thousands of rows; only one page is ever rendered.
 */
export function useTableView<T, K extends string>(rows: readonly T[] | undefined, options: TableViewOptions<T, K>) {
  const [query, setQuery] = useState('');
  const [sort, setSortState] = useState<SortState<K>>(options.initialSort);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(options.pageSize ?? 25);
  const deferredQuery = useDeferredValue(query);
  const { searchText, comparators } = options;
  // Search text is computed once per row list, not per keystroke.
  const indexed = useMemo(() => (rows ?? []).map((row) => ({ row, text: searchText(row) })), [rows, searchText]);
  const visible = useMemo(() => {
    const q = deferredQuery.trim().toLowerCase();
    const rowsFound = (q === '' ? indexed : indexed.filter((r) => r.text.includes(q))).map((r) => r.row);
    const compare = comparators[sort.key];
    return rowsFound.sort((a, b) => (sort.direction === 'asc' ? compare(a, b) : -compare(a, b)));
  }, [indexed, deferredQuery, sort, comparators]);
  const pageCount = Math.max(1, Math.ceil(visible.length / pageSize));
  const currentPage = Math.min(page, pageCount);
  const pageRows = useMemo(() => visible.slice((currentPage - 1) * pageSize, currentPage * pageSize), [visible, currentPage, pageSize]);

  return {
    query,
    setQuery: (q: string) => {
      setQuery(q);
      setPage(1);
    },
    sort,
    toggleSort: (key: K) => setSortState((s) => (s.key === key ? { key, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: 'asc' })),
    page: currentPage,
    setPage,
    pageSize,
    setPageSize: (n: number) => {
      setPageSize(n);
      setPage(1);
    },
    pageCount,
    pageRows,
    total: rows?.length ?? 0,
    matching: visible.length,
    searching: query !== deferredQuery,
  };
}

// One collator for every comparison: localeCompare with options builds a new one per call.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
export const byText = <T,>(get: (row: T) => string | null | undefined) => (a: T, b: T) => collator.compare(get(a) ?? '', get(b) ?? '');
export const byNumber = <T,>(get: (row: T) => number | null | undefined) => (a: T, b: T) => (get(a) ?? 0) - (get(b) ?? 0);
