import { useEffect } from 'react';
import { t } from '@/lib/i18n';
import { ConnectForm } from './ConnectForm';
import { ConnectedView } from './ConnectedView';
import { usePopupStore } from './usePopupStore';

export function PopupApp() {
  const status = usePopupStore((state) => state.status);
  const load = usePopupStore((state) => state.load);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main className="page popup">
      <header className="brand">
        <span className="logo" aria-hidden="true">
          ◎
        </span>
        {t('extName')}
      </header>
      {status === null ? (
        <p className="muted" role="status">
          {t('popup.checking')}
        </p>
      ) : status.connected ? (
        <ConnectedView status={status} />
      ) : (
        <ConnectForm />
      )}
    </main>
  );
}
