import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { t, type PlainKey } from '@/lib/i18n';
import { InstallHelp } from './events/InstallHelp';
import { useDraftsStore } from './events/useDraftsStore';
import { usePageStore } from './events/usePageStore';
import { ErrorMessage } from '../common/ErrorMessage';
import { AnalyzeView } from './analytics/AnalyzeView';
import { ContactView } from './analytics/ContactView';
import { ArchivedToast } from './ArchivedToast';
import { EventList } from './EventList';
import { ImportView } from './imports/ImportView';
import { PanelTabs } from './PanelTabs';
import { useEventsStore } from './useEventsStore';
import { TestModeView } from './test-mode/TestModeView';
import { WorkflowsView } from './workflows/WorkflowsView';

const TAB_IDS = ['events', 'analyze', 'contact', 'workflows', 'import', 'test', 'install'] as const;
type Tab = (typeof TAB_IDS)[number];
const TAB_LABELS: Record<Tab, PlainKey> = {
  events: 'sidepanel.tab.events',
  analyze: 'sidepanel.tab.analyze',
  contact: 'sidepanel.tab.contact',
  workflows: 'sidepanel.tab.workflows',
  import: 'sidepanel.tab.import',
  test: 'sidepanel.tab.test',
  install: 'sidepanel.tab.install',
};

export function SidePanelApp() {
  const [tab, setTab] = useState<Tab>('events');
  const { status, definitions, loading, error, refresh, archived, activityError } = useEventsStore();
  const loadDrafts = useDraftsStore((state) => state.load);
  const loadTab = usePageStore((state) => state.loadTab);
  const tabs = TAB_IDS.map((id) => ({ id, label: t(TAB_LABELS[id]) }));
  useEffect(() => {
    void loadDrafts().finally(() => void refresh());
  }, [refresh, loadDrafts]);
  // The page in front: what "targets this page", the highlights and Install help relate to.
  useEffect(() => {
    void loadTab();
    const reload = () => void loadTab();
    const onUpdated = (_tabId: number, change: { status?: string; url?: string }) => {
      if (change.status === 'complete' || change.url) reload();
    };
    browser.tabs.onActivated.addListener(reload);
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.windows.onFocusChanged.addListener(reload);
    return () => {
      browser.tabs.onActivated.removeListener(reload);
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.windows.onFocusChanged.removeListener(reload);
    };
  }, [loadTab]);

  return (
    <main className="page">
      <header className="brand">
        <span className="logo" aria-hidden="true">
          ◎
        </span>
        {t('sidepanel.title')}
        <button
          type="button"
          className="link"
          style={{ marginLeft: 'auto' }}
          onClick={() => void refresh()}
          disabled={loading}
        >
          {loading ? t('sidepanel.loading') : t('sidepanel.refresh')}
        </button>
      </header>
      <ErrorMessage error={error} />
      {archived && <ArchivedToast definition={archived} />}
      {activityError && (
        <p className="muted" role="status" data-testid="activity-error">
          {t('sidepanel.activityError', { message: activityError.message })}
        </p>
      )}
      {status && !status.connected && <p className="muted">{t('sidepanel.notConnected')}</p>}
      {status?.connected && definitions && (
        <>
          <PanelTabs tabs={tabs} selected={tab} onSelect={setTab} />
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'events' && <EventList definitions={definitions} />}
            {tab === 'analyze' && <AnalyzeView definitions={definitions} />}
            {tab === 'contact' && <ContactView definitions={definitions} />}
            {tab === 'workflows' && <WorkflowsView />}
            {tab === 'test' && <TestModeView />}
            {tab === 'import' && <ImportView definitions={definitions} />}
            {tab === 'install' && <InstallHelp status={status} />}
          </div>
        </>
      )}
      {!status && loading && (
        <p className="muted" role="status">
          {t('sidepanel.loadingEvents')}
        </p>
      )}
    </main>
  );
}
