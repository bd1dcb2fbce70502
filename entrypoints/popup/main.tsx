import '@/lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PopupApp } from '@/components/popup/PopupApp';
import { uiLocale } from '@/lib/i18n';
import '@/components/common/extension-page.css';

// Screen readers read the page in the language its texts are in (the HTML says `en` until now).
document.documentElement.lang = uiLocale();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PopupApp />
  </StrictMode>,
);
