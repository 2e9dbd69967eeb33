import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { strings } from '../../components/strings';
import { markRendered } from '../../utils/panel/ready';
import { createStaticSource, type PanelSource } from '../../utils/panel/source';
import type { PanelStore } from '../../utils/panel/store';
import type { PanelTarget } from '../../utils/panel/target';
import type { Session, Trail } from '../../utils/session/schema';
import type { Settings } from '../../utils/settings';
import { PanelApp, type PanelAppProps, type PanelHost } from './App';

/**
 * The core's derivations (recogniser, trails, diagnostics) load behind the first paint: the panel
 * opens on the stored preview, which brings its trails and findings, and shows the whole session
 * once they are here.
 */
const loadDerive = () => import('./derive').then((m) => m.panelDerive);

// The builder (forms, money checks) loads when first used, so opening the panel does not wait for it.
const loadBuilder = () =>
  Promise.all([import('./BuilderSection'), import('../../utils/panel/builder')]).then(([view, kit]) => ({
    BuilderSection: view.BuilderSection,
    kit: kit.builderKit,
  }));

function LazyBuilder(props: { store: PanelStore; trails: Trail[] }) {
  const [mod, setMod] = useState<Awaited<ReturnType<typeof loadBuilder>> | null>(null);
  useEffect(() => {
    void loadBuilder().then(setMod);
  }, []);
  return mod ? (
    <mod.BuilderSection store={props.store} kit={mod.kit} trails={props.trails} />
  ) : (
    <p class="muted">{strings.loading}</p>
  );
}

export const panelBuilder: PanelAppProps['builder'] = {
  render: (store, trails) => <LazyBuilder store={store} trails={trails} />,
  prefill: async (trail, settings, session) =>
    (await loadBuilder()).kit.prefill(trail, settings, session ?? undefined),
};

/** Browser-free defaults for a host; the popup overrides them with the extension's APIs. */
export function pageHost(over: Partial<PanelHost> = {}): PanelHost {
  return {
    copy: (text) => navigator.clipboard.writeText(text),
    download(filename, text, mime) {
      const url = URL.createObjectURL(new Blob([text], { type: mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    confirm: (q) => window.confirm(q),
    onRendered: () => markRendered(true),
    ...over,
  };
}

export interface MountOptions {
  source: PanelSource;
  target: PanelTarget | null;
  host?: Partial<PanelHost>;
  listHeight?: number;
}

/** Render the panel into `el` from any source: the extension's storage, or plain values. */
export function mountPanel(el: HTMLElement, opts: MountOptions): void {
  render(
    <PanelApp
      source={opts.source}
      derive={loadDerive()}
      builder={panelBuilder}
      target={opts.target}
      host={pageHost(opts.host)}
      listHeight={opts.listHeight}
    />,
    el,
  );
}

/**
 * Render the panel for one given session, without extension storage: for benchmarks ("panel
 * open-to-rendered" with 10,000 requests) and for looking at fixtures in a plain page.
 */
export function mountPanelForSession(el: HTMLElement, session: Session, settings?: Settings): void {
  mountPanel(el, {
    source: createStaticSource({ sessions: [session], settings }),
    target: { sessionId: session.id },
  });
}
