import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/assets/tailwind.css';
import { AppProviders } from '@/components/AppProviders';
import { localizeDocument, t } from '@/lib/shared/i18n';
import { OptionsApp } from '@/components/options/OptionsApp';

localizeDocument(t('options_documentTitle'));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <OptionsApp />
    </AppProviders>
  </StrictMode>,
);
