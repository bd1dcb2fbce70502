import { useEffect, useState } from 'react';
import { formatNumber, t, tp } from '@/lib/i18n';
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
      !window.confirm(tp('workflows.confirmOff', workflow.counts.active, { name: workflow.name }))
    ) {
      return;
    }
    void update(workflow, { enabled: !workflow.enabled });
  };
  const confirmRemove = (workflow: Workflow) => {
    if (window.confirm(t('workflows.confirmDelete', { name: workflow.name }))) {
      void remove(workflow);
    }
  };
  return (
    <section className="stack" aria-label={t('sidepanel.tab.workflows')}>
      <span className="row">
        <button type="button" onClick={() => setEditing('new')} data-testid="workflow-new">
          {t('workflows.new')}
        </button>
        <button
          type="button"
          className="link"
          style={{ marginLeft: 'auto' }}
          onClick={() => void refresh()}
          disabled={loading}
        >
          {loading ? t('sidepanel.loading') : t('sidepanel.refresh')}
        </button>
      </span>
      <ErrorMessage error={error} />
      <p className="muted">{t('workflows.intro')}</p>
      {workflows?.length === 0 && <p className="muted">{t('workflows.none')}</p>}
      {!workflows && loading && <p className="muted">{t('workflows.loading')}</p>}
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
                {workflow.enabled ? t('workflows.on') : t('workflows.off')}
              </label>
            </span>
            <span className="muted" data-testid="workflow-counts">
              {t('workflows.counts', {
                enrolled: formatNumber(workflow.counts.enrolled),
                active: formatNumber(workflow.counts.active),
                finished: formatNumber(workflow.counts.finished),
                failed: formatNumber(workflow.counts.failedDeliveries),
              })}
            </span>
            <span className="row">
              <button type="button" className="link" onClick={() => setEditing(workflow)}>
                {t('sidepanel.edit')}
              </button>
              {workflow.steps.some((step) => step.type === 'webhook') && (
                <button type="button" className="link" onClick={() => void test(workflow)} data-testid="workflow-test">
                  {t('workflows.testWebhook')}
                </button>
              )}
              <button type="button" className="link" onClick={() => void openLog(workflow)} data-testid="workflow-log">
                {t('workflows.deliveryLog')}
              </button>
              <button type="button" className="link" onClick={() => confirmRemove(workflow)}>
                {t('workflows.delete')}
              </button>
            </span>
            {testResult?.workflowId === workflow.id && (
              <div role="status" data-testid="workflow-test-result">
                {testResult.result === null && !testResult.error && t('workflows.testSending')}
                {testResult.result &&
                  (testResult.result.ok
                    ? t('workflows.testSent', {
                        status: testResult.result.responseStatus ?? '',
                        ms: formatNumber(testResult.result.latencyMs ?? 0),
                      })
                    : t('workflows.testFailed', { error: testResult.result.error ?? '' }))}
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
