/**
 * The panel says when its first render with data is on screen, so a benchmark page can measure
 * "panel open → rendered": `document.body.dataset.ready` becomes '1' (or 'empty' when there is no
 * session), and `performance.getEntriesByName('panel-rendered')[0].startTime` is the time since the
 * panel page started loading.
 */
export function markRendered(
  hasData: boolean,
  doc: Document = document,
  perf: Performance = performance,
): void {
  // The mark comes after the browser had a chance to paint what the render produced.
  const done = () => {
    doc.body.dataset.ready = hasData ? '1' : 'empty';
    perf.mark('panel-rendered', { detail: { hasData } });
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(done, 0));
  else done();
}
