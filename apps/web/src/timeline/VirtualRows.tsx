/**
 * Windowing: a scroll container as tall as the whole layout, in which only the rows near the viewport exist
 * in the DOM, each absolutely placed at its `top`. Scrolling 50,000 tiles costs what scrolling one screen does.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { rowsBetween, type Layout, type LayoutRow } from './timeline-layout.ts';

export interface VirtualRowsProps {
  readonly layout: Layout;
  readonly renderRow: (row: LayoutRow) => ReactNode;
  /** Called with the last tile position that is (nearly) visible, to load more files in time. */
  readonly onVisibleUpTo?: (lastIndex: number) => void;
  /** Reports the inner width, from which the parent computes its columns. */
  readonly onWidth: (width: number) => void;
  readonly label: string;
}

/** Extra pixels rendered above and below the viewport, so fast scrolling does not show blanks. */
const OVERSCAN = 600;

export function VirtualRows({ layout, renderRow, onVisibleUpTo, onWidth, label }: VirtualRowsProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    let frame = 0;
    const measure = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setView({ top: element.scrollTop, height: element.clientHeight }));
    };
    const observer = new ResizeObserver(() => {
      onWidth(element.clientWidth);
      measure();
    });
    observer.observe(element);
    element.addEventListener('scroll', measure, { passive: true });
    onWidth(element.clientWidth);
    measure();
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, [onWidth]);

  const visible = rowsBetween(layout, Math.max(0, view.top - OVERSCAN), view.top + view.height + OVERSCAN);
  const lastTiles = [...visible].reverse().find((row) => row.kind === 'tiles');
  const lastIndex = lastTiles?.kind === 'tiles' ? lastTiles.first + lastTiles.count - 1 : -1;

  useEffect(() => {
    if (lastIndex >= 0) onVisibleUpTo?.(lastIndex);
  }, [lastIndex, onVisibleUpTo]);

  return (
    <div ref={scroller} className="virtual-scroller" role="region" aria-label={label} tabIndex={-1}>
      <div className="virtual-canvas" style={{ height: layout.height }}>
        {visible.map((row) => (
          <div
            key={row.key}
            className={`virtual-row row-${row.kind}`}
            style={{ transform: `translateY(${row.top}px)`, height: row.height }}
          >
            {renderRow(row)}
          </div>
        ))}
      </div>
    </div>
  );
}
