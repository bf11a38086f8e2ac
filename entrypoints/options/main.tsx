import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/assets/tailwind.css';
import { AppProviders } from '@/components/AppProviders';
import { OptionsApp } from './OptionsApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <OptionsApp />
    </AppProviders>
  </StrictMode>,
);
