import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/assets/tailwind.css';
import { AppProviders } from '@/components/AppProviders';
import { localizeDocument, t } from '@/lib/shared/i18n';
import { PopupApp } from '@/components/popup/PopupApp';

localizeDocument(t('extension_name'));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <PopupApp />
    </AppProviders>
  </StrictMode>,
);
