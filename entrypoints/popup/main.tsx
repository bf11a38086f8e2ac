import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')!).render(<p>Backlink Lens</p>);
