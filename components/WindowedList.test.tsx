// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { visibleRange, WindowedList } from './WindowedList';

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clamped to the list', () => {
    expect(visibleRange(10_000, 28, 280, 0, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(10_000, 28, 280, 28 * 5000, 5)).toEqual({ start: 4995, end: 5016 });
    expect(visibleRange(10_000, 28, 280, 28 * 20_000, 5)).toEqual({ start: 9994, end: 10_000 });
    expect(visibleRange(3, 28, 280, 0, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 28, 280, 0, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe('WindowedList', () => {
  it('renders only the visible rows of 10,000 and keeps the full scroll height', () => {
    const { container } = render(
      <WindowedList
        count={10_000}
        rowHeight={28}
        height={280}
        overscan={4}
        renderRow={(i) => <span>row {i}</span>}
      />,
    );
    const rows = container.querySelectorAll('.wl-row');
    expect(rows.length).toBeLessThanOrEqual(20);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(container.textContent).toContain('row 0');
    expect(container.textContent).not.toContain('row 9999');
    const spacer = container.querySelector('.wl > ul') as HTMLElement;
    expect(spacer.style.height).toBe(`${10_000 * 28}px`);
  });

  it('moves the window when scrolled', () => {
    const { container } = render(
      <WindowedList
        count={10_000}
        rowHeight={28}
        height={280}
        overscan={2}
        renderRow={(i) => <span>row {i}</span>}
      />,
    );
    const list = container.querySelector('.wl') as HTMLElement;
    list.scrollTop = 28 * 9990;
    fireEvent.scroll(list);
    expect(container.textContent).toContain('row 9999');
    const texts = [...container.querySelectorAll('.wl-row')].map((r) => r.textContent);
    expect(texts).not.toContain('row 0');
    expect(container.querySelectorAll('.wl-row').length).toBeLessThanOrEqual(20);
  });
});
