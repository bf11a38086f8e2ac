import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/assets/tailwind.css';
import { localizeDocument, t } from '@/lib/shared/i18n';
import { startPopupSession } from '@/lib/ui/messaging/popup-client';
import { PopupApp } from '@/components/popup/PopupApp';

// Before the first render: takes over the port on which the start script (entrypoints/popup-start.ts) already asked for the tab's lookup.
const lookup = startPopupSession();
localizeDocument(t('extension_name'));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PopupApp lookup={lookup} />
  </StrictMode>,
);
