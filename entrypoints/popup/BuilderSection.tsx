import { useState } from 'preact/hooks';
import { Builder, type BuilderStart } from '../../components/Builder';
import { shortUrl } from '../../components/RequestList';
import type { BuilderKit } from '../../utils/panel/builder-kit';
import { capturedPostbacks } from '../../utils/panel/derive';
import type { PanelStore } from '../../utils/panel/store';
import { useStoreState } from '../../utils/panel/use-store';
import {
  type MoneyWarning,
  moneyWarnings,
  needsConfirm,
  type SafeVariant,
  safeVariants,
  sentPostbacks,
} from '../../utils/replay/money';
import type { Trail } from '../../utils/session/schema';

export interface BuilderSectionProps {
  store: PanelStore;
  kit: BuilderKit;
  /** The session's trails: a blank template takes the subid / transaction_id from the first one that has them. */
  trails: Trail[];
}

/**
 * Container of the builder: URL ↔ form through the kit, replay through the store, and the money
 * confirm step in between (a replay that changes money is never sent on the first click).
 */
export function BuilderSection({ store, kit, trails }: BuilderSectionProps) {
  const st = useStoreState(store);
  const [confirm, setConfirm] = useState<{ warnings: MoneyWarning[]; variants: SafeVariant[] } | null>(null);
  const b = st.builder ?? { url: '', method: 'GET' as const, origin: 'paste' as const };
  const view = kit.view(b.url);
  const setUrl = (url: string) => {
    setConfirm(null);
    store.getState().setBuilder({ url });
  };
  const starts: BuilderStart[] = st.session
    ? capturedPostbacks(st.session).map(({ request, hop }) => {
        const h = request.hops[hop];
        return {
          label:
            `${h?.recognition?.system ?? ''} ${h?.recognition?.kind ?? ''} · ${shortUrl(h?.url ?? '')}`.slice(
              0,
              120,
            ),
          url: h?.url ?? '',
          body: hop === 0 ? request.requestBody?.text : undefined,
        };
      })
    : [];
  const send = () => {
    setConfirm(null);
    void store.getState().replay();
  };
  const lastReplay =
    st.session && st.lastReplayId ? (st.session.replays.find((r) => r.id === st.lastReplayId) ?? null) : null;

  return (
    <Builder
      url={b.url}
      method={b.method}
      body={b.body}
      recognized={view.recognized}
      fields={view.fields}
      others={view.others}
      urlErrors={view.urlErrors}
      starts={starts}
      onUrl={setUrl}
      onMethod={(method) => store.getState().setBuilder({ method })}
      onBody={(body) => store.getState().setBuilder({ body })}
      onField={(name, value) => setUrl(kit.setField(b.url, name, value))}
      onOthers={(others) => setUrl(kit.setOthers(b.url, others))}
      onStart={(s) =>
        store
          .getState()
          .openBuilder({ url: s.url, body: s.body, method: s.body ? 'POST' : 'GET', origin: 'capture' })
      }
      onTemplate={(kind) =>
        store.getState().openBuilder({
          url: kit.template(
            kind,
            st.settings,
            trails.find((t) => t.ids.some((i) => !i.macro)),
          ),
          method: 'GET',
          origin: 'template',
        })
      }
      withCookies={st.withCookies}
      onWithCookies={(on) => store.getState().setWithCookies(on)}
      onReplay={() => {
        const warnings = view.postback
          ? moneyWarnings(view.postback, st.session ? sentPostbacks(st.session) : [])
          : [];
        if (needsConfirm(warnings) && view.postback)
          setConfirm({ warnings, variants: safeVariants(view.postback) });
        else send();
      }}
      busy={st.replayBusy}
      replayError={st.replayError}
      confirm={confirm}
      onConfirm={send}
      onCancelConfirm={() => setConfirm(null)}
      onUseVariant={(v) => setUrl(kit.withParams(b.url, v.params))}
      lastReplay={lastReplay}
    />
  );
}
