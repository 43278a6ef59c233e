/**
 * @module select/filter — filters that keep a record or name why they drop it, and a stream runner
 * that counts every drop by reason (datatrove's `dropped_<reason>` habit). Reusable by any stage.
 */

/** Why a filter dropped a record: a short stable code (see `DROP_REASONS`) and optional detail. */
export interface FilterDrop {
  keep: false;
  reason: string;
  detail?: string;
}

/**
 * `true` keeps the record; otherwise the drop. The one filter contract of the toolkit: `filter`, `mix`
 * (recipe filters and `mixDatasets({ filter })`) and a caller's own code all use it.
 */
export type FilterResult = true | FilterDrop;
export type Filter<T> = (record: T) => FilterResult;

/** Drop counts by reason, plus totals. */
export interface FilterCounts {
  read: number;
  kept: number;
  dropped: Record<string, number>;
}

/** Runs filters in order; the first that drops decides the reason. */
export function combineFilters<T>(filters: ReadonlyArray<Filter<T>>): Filter<T> {
  return (record) => {
    for (const filter of filters) {
      const result = filter(record);
      if (result !== true) return result;
    }
    return true;
  };
}

/**
 * Streams `records` through `filter`, yielding kept records and calling `onDrop` for the others.
 * `counts` is updated as it goes (pass your own object to read it afterwards).
 * @example
 * const counts = newFilterCounts();
 * for await (const r of applyFilters({ records, filter, counts })) out.push(r);
 */
export async function* applyFilters<T>({
  records,
  filter,
  counts = newFilterCounts(),
  onDrop,
}: {
  records: Iterable<T> | AsyncIterable<T>;
  filter: Filter<T>;
  counts?: FilterCounts;
  onDrop?: (record: T, reason: string, detail: string | undefined) => void | Promise<void>;
}): AsyncGenerator<T> {
  for await (const record of records as AsyncIterable<T>) {
    counts.read += 1;
    const result = filter(record);
    if (result === true) {
      counts.kept += 1;
      yield record;
    } else {
      counts.dropped[result.reason] = (counts.dropped[result.reason] ?? 0) + 1;
      await onDrop?.(record, result.reason, result.detail);
    }
  }
}

export function newFilterCounts(): FilterCounts {
  return { read: 0, kept: 0, dropped: {} };
}

/** Shorthand for a drop result. */
export function filterDrop(reason: string, detail?: string): FilterDrop {
  return detail === undefined ? { keep: false, reason } : { keep: false, reason, detail };
}
