import { browser } from 'wxt/browser';
import { createExtensionSource } from '../../utils/panel/extension-source';
import { type PanelTarget, parseTarget, targetQuery } from '../../utils/panel/target';
import { mountPanel } from './mount';
import '../../components/panel.css';

// From the toolbar there is no query: show the active tab. Popped out, the URL names the tab or session.
async function start() {
  const given = parseTarget(location.search);
  document.body.classList.add(given ? 'full' : 'popup');
  const [tab] = given ? [] : await browser.tabs.query({ active: true, currentWindow: true });
  const target: PanelTarget | null = given ?? (tab?.id === undefined ? null : { tabId: tab.id });
  mountPanel(document.getElementById('app') as HTMLElement, {
    source: createExtensionSource(),
    target,
    listHeight: given ? Math.max(300, window.innerHeight - 260) : 300,
    host: {
      openSettings: () => void browser.runtime.openOptionsPage(),
      popOut: given
        ? undefined
        : (t) => {
            void browser.tabs.create({ url: browser.runtime.getURL(`/popup.html${targetQuery(t)}`) });
            window.close();
          },
    },
  });
}

void start();
