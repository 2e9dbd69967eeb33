import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { MAIN_WORLD_BROWSERS, PULL_KEY, pullInPage } from '../utils/page/channel';

/**
 * Run in a page's MAIN world by the background (utils/capture/page-reports.ts): takes the reports
 * waiting in the page channel and the page's signal key, which are this script's result. A file, so
 * Chromium keeps its compiled code (utils/page/channel.ts).
 */
export default defineUnlistedScript({
  include: MAIN_WORLD_BROWSERS,
  main: () => pullInPage(PULL_KEY, false),
});
