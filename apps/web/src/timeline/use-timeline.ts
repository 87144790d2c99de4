/**
 * The timeline's data: month counts at once, files page by page (newest first) as the person scrolls, and
 * a refresh of the first files while their thumbnails are still being made.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { TimelineMonths, TimelinePage, type TimelineItem } from '@photosync/protocol';
import { explain, getJson } from '../app/api.ts';
import { monthOf, type MonthCount } from './timeline-layout.ts';

const PAGE_SIZE = 200;
/** The server's largest page: used when the person jumped far beyond what is loaded (a dragged scrollbar). */
const CATCH_UP_PAGE_SIZE = 500;
/** Ask for the next page when the visible tiles come this close to the end of what is loaded. */
const PREFETCH = 100;
/** Thumbnails being made are re-checked among the first files only, every few seconds. */
const PENDING_WINDOW = 500;
const PENDING_POLL_MS = 2500;

export interface TimelineState {
  readonly items: readonly TimelineItem[];
  readonly months: readonly MonthCount[];
  readonly complete: boolean;
  readonly loaded: boolean;
  readonly error: string | undefined;
  /** The tile at `index` is (nearly) visible: load further pages if needed. */
  readonly showUpTo: (index: number) => void;
  /** Start over from the newest file (after an upload or a deletion). */
  readonly reload: () => void;
  readonly remove: (filename: string) => void;
}

const timelineUrl = (cursor: string | null, limit: number) =>
  `/api/v2/timeline?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

export function useTimeline(): TimelineState {
  const [items, setItems] = useState<readonly TimelineItem[]>([]);
  const [months, setMonths] = useState<readonly MonthCount[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const busy = useRef(false);

  const fetchPage = useCallback(async (from: string | null, replace: boolean, limit = PAGE_SIZE) => {
    busy.current = true;
    try {
      const page = await getJson(TimelinePage, timelineUrl(from, limit));
      setItems((old) => (replace ? page.items : [...old, ...page.items]));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (failure) {
      setError(explain(failure));
    } finally {
      busy.current = false;
    }
  }, []);

  useEffect(() => {
    void getJson(TimelineMonths, '/api/v2/timeline/months').then(
      (answer) => setMonths(answer.months),
      (failure: unknown) => setError(explain(failure)),
    );
    void fetchPage(null, true);
  }, [fetchPage, generation]);

  const showUpTo = useCallback(
    (index: number) => {
      if (busy.current || !cursor || index < items.length - PREFETCH) return;
      void fetchPage(cursor, false, index - items.length > 2 * PAGE_SIZE ? CATCH_UP_PAGE_SIZE : PAGE_SIZE);
    },
    [cursor, fetchPage, items.length],
  );

  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  const lastPending = items.slice(0, PENDING_WINDOW).findLastIndex((item) => item.thumb === 'pending');
  useEffect(() => {
    if (lastPending < 0) return undefined;
    const timer = window.setTimeout(() => {
      void getJson(TimelinePage, timelineUrl(null, Math.min(PENDING_WINDOW, items.length))).then(
        (page) => {
          const same = page.items.every((item, i) => items[i]?.filename === item.filename);
          if (same) {
            setItems([...page.items, ...items.slice(page.items.length)]);
          } else {
            // Files arrived or left meanwhile: start over from this fresh first page.
            setItems(page.items);
            setCursor(page.nextCursor);
          }
        },
        () => undefined,
      );
    }, PENDING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [lastPending, items]);

  return {
    items,
    months,
    complete: cursor === null,
    loaded: cursor !== undefined,
    error,
    showUpTo,
    reload,
    remove: (filename) => {
      const gone = items.find((item) => item.filename === filename);
      if (!gone) return;
      const month = monthOf(gone.capturedAt);
      setItems(items.filter((item) => item !== gone));
      setMonths(months.map((entry) => (entry.month === month ? { ...entry, count: entry.count - 1 } : entry)));
    },
  };
}
