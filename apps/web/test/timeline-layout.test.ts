/**
 * The timeline's geometry (pure functions behind the windowing): month sections from loaded files and month
 * counts, row positions, and the rows a viewport needs — a handful, even for 50,000 files.
 */
import { describe, expect, it } from 'vitest';
import { buildLayout, columnsFor, rowsBetween, sections, type LayoutRow } from '../src/timeline/timeline-layout.ts';

const item = (capturedAt: string) => ({ capturedAt });
const geometry = { columns: 4, tileSize: 100, gap: 4, headerHeight: 40 };

describe('sections', () => {
  it('groups loaded files by capture month and adds what the month counts say is still to load', () => {
    const loaded = [item('2024-03-09T10:00:00+01:00'), item('2024-03-01T08:00:00Z'), item('2024-02-28T23:00:00')];
    const months = [
      { month: '2024-03', count: 2 },
      { month: '2024-02', count: 5 },
      { month: '2023-12', count: 3 },
    ];
    expect(sections(loaded, months, false)).toEqual([
      { month: '2024-03', count: 2 },
      { month: '2024-02', count: 5 },
      { month: '2023-12', count: 3 },
    ]);
  });

  it('shows only the loaded files once the last page arrived', () => {
    const loaded = [item('2024-03-09T10:00:00Z'), item('2024-02-01T10:00:00Z')];
    const stale = [{ month: '2024-03', count: 4 }];
    expect(sections(loaded, stale, true)).toEqual([
      { month: '2024-03', count: 1 },
      { month: '2024-02', count: 1 },
    ]);
  });
});

describe('buildLayout', () => {
  it('gives each month a header and rows of `columns` tiles with their positions', () => {
    const layout = buildLayout(
      [
        { month: '2024-03', count: 5 },
        { month: '2024-02', count: 4 },
      ],
      geometry,
    );
    const shape = layout.rows.map((row: LayoutRow) =>
      row.kind === 'header' ? `h ${row.month} @${row.top}` : `t ${row.first}+${row.count} @${row.top}`,
    );
    expect(shape).toEqual(['h 2024-03 @0', 't 0+4 @40', 't 4+1 @144', 'h 2024-02 @248', 't 5+4 @288']);
    expect(layout.height).toBe(392);
    expect(layout.total).toBe(9);
  });
});

describe('windowing 50,000 files', () => {
  const months = Array.from({ length: 50 }, (_, i) => ({
    month: `20${20 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    count: 1000,
  }));
  const layout = buildLayout(months, { columns: 7, tileSize: 170, gap: 4, headerHeight: 48 });

  it('lays out every file', () => {
    expect(layout.total).toBe(50_000);
    expect(
      layout.rows
        .filter((row) => row.kind === 'tiles')
        .reduce((sum, row) => sum + (row.kind === 'tiles' ? row.count : 0), 0),
    ).toBe(50_000);
  });

  it('needs only the rows of one screen (plus overscan) anywhere in the list', () => {
    for (const top of [0, layout.height / 2, layout.height - 900]) {
      const visible = rowsBetween(layout, top - 600, top + 900 + 600);
      expect(visible.length).toBeGreaterThan(0);
      expect(visible.length).toBeLessThanOrEqual(16);
      for (const row of visible) {
        expect(row.top + row.height).toBeGreaterThan(top - 600);
        expect(row.top).toBeLessThan(top + 1500);
      }
    }
  });

  it('returns the rows in order and without gaps', () => {
    const visible = rowsBetween(layout, 100_000, 102_000);
    for (let i = 1; i < visible.length; i += 1) {
      const previous = visible[i - 1];
      expect(visible[i]?.top).toBe((previous?.top ?? 0) + (previous?.height ?? 0));
    }
  });
});

describe('columnsFor', () => {
  it('shows at least 3 tiles across a phone and more on a desktop', () => {
    expect(columnsFor(375, 110)).toBe(3);
    expect(columnsFor(320, 110)).toBe(3);
    expect(columnsFor(1280, 170)).toBe(7);
  });
});
