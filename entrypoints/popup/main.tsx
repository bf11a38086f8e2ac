import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/assets/tailwind.css';
import { AppProviders } from '@/components/AppProviders';
import { PopupApp } from './PopupApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <PopupApp />
    </AppProviders>
  </StrictMode>,
);
