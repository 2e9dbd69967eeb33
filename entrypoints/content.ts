import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startPageWatch } from '../utils/page/watch';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  main() {
    startPageWatch(window, (message) => {
      browser.runtime.sendMessage(message).catch(() => {
        // the worker is waking up or the extension was reloaded: the next scan sends again
      });
    });
  },
});
