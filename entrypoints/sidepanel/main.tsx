import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/assets/tailwind.css';
import { AppProviders } from '@/components/AppProviders';
import { SidePanelApp } from './SidePanelApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <SidePanelApp initialTarget={new URLSearchParams(location.search).get('target')} />
    </AppProviders>
  </StrictMode>,
);
