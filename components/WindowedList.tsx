import type { ComponentChild } from 'preact';
import { useState } from 'preact/hooks';

export interface WindowedListProps {
  count: number;
  /** Every row has this height in px: that is what makes the window arithmetic exact and cheap. */
  rowHeight: number;
  /** Height of the visible area in px. */
  height: number;
  /** Rows rendered above and below the visible ones, so fast scrolling does not show gaps. */
  overscan?: number;
  renderRow: (index: number) => ComponentChild;
  rowKey?: (index: number) => string | number;
  label?: string;
}

/** Which rows to render for a scroll position. Pure, so it is tested without a DOM. */
export function visibleRange(
  count: number,
  rowHeight: number,
  height: number,
  scrollTop: number,
  overscan: number,
): { start: number; end: number } {
  if (count === 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(height / rowHeight) + 1;
  const start = Math.max(0, Math.min(first, count - 1) - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end };
}

/**
 * A list that renders only the rows in view. 10,000 captured requests become ~30 DOM rows; the
 * full height is kept by a spacer so the scrollbar tells the truth.
 */
export function WindowedList({
  count,
  rowHeight,
  height,
  overscan = 6,
  renderRow,
  rowKey,
  label,
}: WindowedListProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const { start, end } = visibleRange(count, rowHeight, height, scrollTop, overscan);
  const rows: ComponentChild[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <li
        key={rowKey ? rowKey(i) : i}
        class="wl-row"
        style={{
          position: 'absolute',
          top: `${i * rowHeight}px`,
          height: `${rowHeight}px`,
          left: 0,
          right: 0,
        }}
      >
        {renderRow(i)}
      </li>,
    );
  }
  return (
    <div
      class="wl"
      style={{
        height: `${Math.min(height, count * rowHeight || rowHeight)}px`,
        overflowY: 'auto',
        position: 'relative',
      }}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLElement).scrollTop)}
    >
      <ul
        aria-label={label}
        class="wl-rows"
        style={{ height: `${count * rowHeight}px`, position: 'relative' }}
      >
        {rows}
      </ul>
    </div>
  );
}
