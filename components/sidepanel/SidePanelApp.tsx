import { useEffect, useState } from 'react';
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

const TABS = [
  { id: 'events', label: 'Events' },
  { id: 'analyze', label: 'Analyze' },
  { id: 'contact', label: 'Contact' },
  { id: 'workflows', label: 'Workflows' },
  { id: 'import', label: 'Import' },
  { id: 'test', label: 'Test' },
] as const;
type Tab = (typeof TABS)[number]['id'];

export function SidePanelApp() {
  const [tab, setTab] = useState<Tab>('events');
  const { status, definitions, loading, error, refresh, archived, activityError } = useEventsStore();
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <main className="page">
      <header className="brand">
        <span className="logo" aria-hidden="true">
          ◎
        </span>
        Clicktrail events
        <button
          type="button"
          className="link"
          style={{ marginLeft: 'auto' }}
          onClick={() => void refresh()}
          disabled={loading}
        >
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </header>
      <ErrorMessage error={error} />
      {archived && <ArchivedToast definition={archived} />}
      {activityError && (
        <p className="muted" role="status" data-testid="activity-error">
          Could not check when the events last fired: {activityError.message}
        </p>
      )}
      {status && !status.connected && (
        <p className="muted">Not connected. Open the Clicktrail popup and connect to your server.</p>
      )}
      {status?.connected && definitions && (
        <>
          <PanelTabs tabs={TABS} selected={tab} onSelect={setTab} />
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'events' && <EventList definitions={definitions} />}
            {tab === 'analyze' && <AnalyzeView definitions={definitions} />}
            {tab === 'contact' && <ContactView definitions={definitions} />}
            {tab === 'workflows' && <WorkflowsView />}
            {tab === 'test' && <TestModeView />}
            {tab === 'import' && <ImportView definitions={definitions} />}
          </div>
        </>
      )}
      {!status && loading && (
        <p className="muted" role="status">
          Loading events…
        </p>
      )}
    </main>
  );
}
