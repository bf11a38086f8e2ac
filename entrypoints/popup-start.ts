import { browser } from 'wxt/browser';
import { connectPopupPort, leavePopupPort } from '@/lib/ui/messaging/popup-start';

// Loaded by popup.html before the app: the popup's lookup is asked while React and zod load.
export default defineUnlistedScript(() => leavePopupPort(() => connectPopupPort(browser.runtime)));
