import { useEffect, useState } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { ArchivedToast } from './ArchivedToast';
import { EventList } from './EventList';
import { useEventsStore } from './useEventsStore';
import { WorkflowsView } from './workflows/WorkflowsView';

export function SidePanelApp() {
  const { status, definitions, loading, error, refresh, archived, activityError } = useEventsStore();
  const [tab, setTab] = useState<'events' | 'workflows'>('events');
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
      <nav className="row" role="tablist" aria-label="Views">
        <button type="button" role="tab" aria-selected={tab === 'events'} onClick={() => setTab('events')}>
          Events
        </button>
        <button type="button" role="tab" aria-selected={tab === 'workflows'} onClick={() => setTab('workflows')}>
          Workflows
        </button>
      </nav>
      {tab === 'workflows' && <WorkflowsView />}
      {tab === 'events' && (
        <>
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
          {status?.connected && definitions && <EventList definitions={definitions} />}
          {!status && loading && (
            <p className="muted" role="status">
              Loading events…
            </p>
          )}
        </>
      )}
    </main>
  );
}
