import '@/lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SidePanelApp } from '@/components/sidepanel/SidePanelApp';
import { t, uiLocale } from '@/lib/i18n';
import '@/components/common/extension-page.css';

// Screen readers read the page in the language its texts are in; the title names the panel in it too.
document.documentElement.lang = uiLocale();
document.title = t('sidepanel.title');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SidePanelApp />
  </StrictMode>,
);
