import { useEffect, useState } from 'react';
import type { Workflow } from '@/lib/shared';
import { ErrorMessage } from '../../common/ErrorMessage';
import { DeliveryLog } from './DeliveryLog';
import { WorkflowEditor } from './WorkflowEditor';
import { useWorkflowsStore } from './useWorkflowsStore';

/** The "Workflows" tab: the portal's workflows with on/off and counts, the editor and the delivery log. */
export function WorkflowsView() {
  const { workflows, loading, error, refresh, update, remove, test, testResult, openLog } = useWorkflowsStore();
  const [editing, setEditing] = useState<Workflow | 'new' | null>(null);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (editing) {
    return <WorkflowEditor workflow={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />;
  }
  const toggle = (workflow: Workflow) => {
    if (
      workflow.enabled &&
      workflow.counts.active > 0 &&
      !window.confirm(`Turn "${workflow.name}" off? Its ${workflow.counts.active} active contacts will be unenrolled.`)
    ) {
      return;
    }
    void update(workflow, { enabled: !workflow.enabled });
  };
  const confirmRemove = (workflow: Workflow) => {
    if (
      window.confirm(`Delete "${workflow.name}" with its enrolment history and delivery log? This cannot be undone.`)
    ) {
      void remove(workflow);
    }
  };
  return (
    <section className="stack" aria-label="Workflows">
      <span className="row">
        <button type="button" onClick={() => setEditing('new')} data-testid="workflow-new">
          New workflow
        </button>
        <button
          type="button"
          className="link"
          style={{ marginLeft: 'auto' }}
          onClick={() => void refresh()}
          disabled={loading}
        >
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </span>
      <ErrorMessage error={error} />
      <p className="muted">A workflow that is turned on enrols contacts only for events that arrive from then on.</p>
      {workflows?.length === 0 && <p className="muted">No workflows yet.</p>}
      {!workflows && loading && <p className="muted">Loading workflows…</p>}
      <ul className="stack">
        {workflows?.map((workflow) => (
          <li key={workflow.id} className="card stack" data-testid={`workflow-${workflow.id}`}>
            <span className="row">
              <strong>{workflow.name}</strong>
              <label className="row" style={{ marginLeft: 'auto' }}>
                <input
                  type="checkbox"
                  role="switch"
                  checked={workflow.enabled}
                  onChange={() => toggle(workflow)}
                  data-testid="workflow-enabled"
                  disabled={workflow.triggers.length === 0}
                />
                {workflow.enabled ? 'On' : 'Off'}
              </label>
            </span>
            <span className="muted" data-testid="workflow-counts">
              {workflow.counts.enrolled} enrolled · {workflow.counts.active} active · {workflow.counts.finished}{' '}
              finished · {workflow.counts.failedDeliveries} failed deliveries
            </span>
            <span className="row">
              <button type="button" className="link" onClick={() => setEditing(workflow)}>
                Edit
              </button>
              {workflow.steps.some((step) => step.type === 'webhook') && (
                <button type="button" className="link" onClick={() => void test(workflow)} data-testid="workflow-test">
                  Test webhook
                </button>
              )}
              <button type="button" className="link" onClick={() => void openLog(workflow)} data-testid="workflow-log">
                Delivery log
              </button>
              <button type="button" className="link" onClick={() => confirmRemove(workflow)}>
                Delete
              </button>
            </span>
            {testResult?.workflowId === workflow.id && (
              <div role="status" data-testid="workflow-test-result">
                {testResult.result === null && !testResult.error && 'Sending a sample payload…'}
                {testResult.result &&
                  (testResult.result.ok
                    ? `Test sent: HTTP ${testResult.result.responseStatus} in ${testResult.result.latencyMs} ms`
                    : `Test failed: ${testResult.result.error}`)}
                <ErrorMessage error={testResult.error} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <DeliveryLog />
    </section>
  );
}
