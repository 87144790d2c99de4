/**
 * The timeline's geometry, as pure functions: month sections of tiles laid out in rows of `columns`, with a
 * known height for every row, so that a list of 50,000 files can be scrolled with only the visible rows in
 * the DOM (see VirtualRows.tsx).
 * The files arrive page by page, newest first, and the month counts (`/api/v2/timeline/months`) arrive at
 * once: rows for files not loaded yet are laid out from those counts, so the scroll height is right from the
 * start and the scrollbar can be dragged anywhere.
 */

export interface MonthCount {
  readonly month: string;
  readonly count: number;
}

interface RowBase {
  readonly key: string;
  readonly month: string;
  readonly top: number;
  readonly height: number;
}

export type LayoutRow =
  | (RowBase & { readonly kind: 'header'; readonly count: number })
  | (RowBase & {
      readonly kind: 'tiles';
      /** Position in the timeline of the row's first tile (loaded files first, then files still to load). */
      readonly first: number;
      readonly count: number;
    });

export interface Layout {
  readonly rows: readonly LayoutRow[];
  readonly height: number;
  /** Tiles in the layout, loaded or not. */
  readonly total: number;
}

export interface Geometry {
  readonly columns: number;
  readonly tileSize: number;
  readonly gap: number;
  readonly headerHeight: number;
}

/** The month (YYYY-MM) of a capture time as the camera recorded it. */
export function monthOf(capturedAt: string): string {
  return capturedAt.slice(0, 7);
}

/** Month sections in display order: runs of loaded files, then what the month counts say is still to come. */
export function sections(
  loaded: readonly { readonly capturedAt: string }[],
  months: readonly MonthCount[],
  complete: boolean,
): MonthCount[] {
  const result: { month: string; count: number }[] = [];
  const loadedPerMonth = new Map<string, number>();
  const add = (month: string, count: number) => {
    const last = result.at(-1);
    if (last?.month === month) last.count += count;
    else result.push({ month, count });
  };
  for (const item of loaded) {
    const month = monthOf(item.capturedAt);
    add(month, 1);
    loadedPerMonth.set(month, (loadedPerMonth.get(month) ?? 0) + 1);
  }
  if (!complete) {
    for (const { month, count } of months) {
      const rest = count - (loadedPerMonth.get(month) ?? 0);
      if (rest > 0) add(month, rest);
    }
  }
  return result;
}

export function buildLayout(monthSections: readonly MonthCount[], geometry: Geometry): Layout {
  const columns = Math.max(1, geometry.columns);
  const rowHeight = geometry.tileSize + geometry.gap;
  const rows: LayoutRow[] = [];
  let top = 0;
  let index = 0;
  for (const { month, count } of monthSections) {
    rows.push({ kind: 'header', key: `h${index}`, month, count, top, height: geometry.headerHeight });
    top += geometry.headerHeight;
    for (let offset = 0; offset < count; offset += columns) {
      const first = index + offset;
      rows.push({
        kind: 'tiles',
        key: `r${first}`,
        month,
        first,
        count: Math.min(columns, count - offset),
        top,
        height: rowHeight,
      });
      top += rowHeight;
    }
    index += count;
  }
  return { rows, height: top, total: index };
}

/** The rows that intersect [from, to) (pixels from the top of the layout), by binary search. */
export function rowsBetween(layout: Layout, from: number, to: number): readonly LayoutRow[] {
  const { rows } = layout;
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const row = rows[middle];
    if (row && row.top + row.height <= from) low = middle + 1;
    else high = middle;
  }
  const visible: LayoutRow[] = [];
  for (let i = low; i < rows.length; i += 1) {
    const row = rows[i];
    if (!row || row.top >= to) break;
    visible.push(row);
  }
  return visible;
}

/** Columns for a width: tiles of about `target` pixels, at least 3 (a phone shows 3 across). */
export function columnsFor(width: number, target: number): number {
  return Math.max(3, Math.floor(width / target));
}
