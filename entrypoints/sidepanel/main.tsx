import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/assets/tailwind.css';
import { AppProviders } from '@/components/AppProviders';
import { localizeDocument, t } from '@/lib/shared/i18n';
import { SidePanelApp } from '@/components/sidepanel/SidePanelApp';

localizeDocument(t('extension_name'));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <SidePanelApp initialTarget={new URLSearchParams(location.search).get('target')} />
    </AppProviders>
  </StrictMode>,
);
