import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { storage } from 'wxt/utils/storage';
import { registerCapture } from '../utils/capture/register';

export default defineBackground(() => {
  registerCapture(browser, storage);
});
