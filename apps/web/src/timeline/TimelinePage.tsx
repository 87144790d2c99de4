/** The library as a grid by month, newest first, virtualized; a tile opens the viewer. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { navigate } from '../app/router.ts';
import { useMediaTicket } from '../app/media-ticket.ts';
import { formatMonth } from '../ui/format.ts';
import { Viewer } from '../viewer/Viewer.tsx';
import { LoadingTile, Tile } from './Tile.tsx';
import { buildLayout, columnsFor, sections, type LayoutRow } from './timeline-layout.ts';
import { useTimeline } from './use-timeline.ts';
import { VirtualRows } from './VirtualRows.tsx';

const GAP = 4;
const HEADER = 48;

/** `libraryVersion` changes when uploads stored files: the timeline then reloads in place, keeping its scroll. */
export function TimelinePage({ libraryVersion }: { readonly libraryVersion: number }) {
  const timeline = useTimeline();
  const shownVersion = useRef(libraryVersion);
  const { reload } = timeline;
  useEffect(() => {
    if (shownVersion.current === libraryVersion) return;
    shownVersion.current = libraryVersion;
    reload();
  }, [libraryVersion, reload]);
  const ticket = useMediaTicket();
  const [width, setWidth] = useState(0);
  const [open, setOpen] = useState<number>();
  const onWidth = useCallback((value: number) => setWidth(value), []);

  const columns = columnsFor(width, width < 600 ? 110 : 170);
  const tileSize = Math.max(40, Math.floor((width - GAP * (columns - 1)) / columns));
  const layout = useMemo(
    () =>
      buildLayout(sections(timeline.items, timeline.months, timeline.complete), {
        columns,
        tileSize,
        gap: GAP,
        headerHeight: HEADER,
      }),
    [timeline.items, timeline.months, timeline.complete, columns, tileSize],
  );

  const renderRow = (row: LayoutRow) => {
    if (row.kind === 'header') {
      return (
        <h2 className="month-header">
          {formatMonth(row.month)} <span className="count">{row.count}</span>
        </h2>
      );
    }
    const tiles = [];
    for (let index = row.first; index < row.first + row.count; index += 1) {
      const item = timeline.items[index];
      tiles.push(
        item ? (
          <Tile key={item.filename} item={item} ticket={ticket} onOpen={() => setOpen(index)} />
        ) : (
          <LoadingTile key={`loading-${index}`} />
        ),
      );
    }
    return (
      <div className="tile-row" style={{ gridTemplateColumns: `repeat(${columns}, ${tileSize}px)`, gap: GAP }}>
        {tiles}
      </div>
    );
  };

  const openItem = open === undefined ? undefined : timeline.items[open];
  const empty = timeline.loaded && timeline.items.length === 0 && timeline.complete;
  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h1 id="timeline-title" className="visually-hidden">
        Timeline
      </h1>
      {timeline.error && (
        <p role="alert" className="error">
          {timeline.error}
        </p>
      )}
      {empty ? (
        <div className="empty">
          <p>No photos or videos yet.</p>
          <button type="button" onClick={() => navigate('upload')}>
            Upload from this device
          </button>
        </div>
      ) : (
        <VirtualRows
          layout={layout}
          renderRow={renderRow}
          onVisibleUpTo={timeline.showUpTo}
          onWidth={onWidth}
          label="Photos and videos by month"
        />
      )}
      {openItem && open !== undefined && (
        <Viewer
          item={openItem}
          ticket={ticket}
          onClose={() => setOpen(undefined)}
          onPrevious={open > 0 ? () => setOpen(open - 1) : undefined}
          onNext={open + 1 < timeline.items.length ? () => setOpen(open + 1) : undefined}
          onDeleted={() => {
            timeline.remove(openItem.filename);
            setOpen(undefined);
          }}
        />
      )}
    </section>
  );
}
