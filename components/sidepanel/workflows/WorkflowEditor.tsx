import { useState, type FormEvent } from 'react';
import { t } from '@/lib/i18n';
import { zodProblems } from '@/lib/i18n/error-messages';
import type { MessageErrorData } from '@/lib/messaging';
import {
  workflowCreateSchema,
  type Workflow,
  type WorkflowCreate,
  type WorkflowStepInput,
  type WorkflowTrigger,
} from '@/lib/shared';
import { ErrorMessage } from '../../common/ErrorMessage';
import { FilterEditor, newFilter } from './FilterEditor';
import { StepsEditor } from './StepsEditor';
import { useWorkflowsStore } from './useWorkflowsStore';

type Draft = { name: string; reenrollment: boolean; triggers: WorkflowTrigger[]; steps: WorkflowStepInput[] };

function draftOf(workflow: Workflow | undefined): Draft {
  if (!workflow) return { name: '', reenrollment: false, triggers: [{ eventName: '', filters: [] }], steps: [] };
  return {
    name: workflow.name,
    reenrollment: workflow.reenrollment,
    triggers: workflow.triggers,
    steps: workflow.steps,
  };
}

/**
 * Creates or edits a workflow: name, triggers (OR-ed) with their property filters, re-enrolment
 * and steps. The draft is checked with the shared schema before it is sent; the server's answer
 * (an unknown property, a refused URL, a newer version elsewhere) shows above the buttons.
 */
export function WorkflowEditor({ workflow, onDone }: { workflow?: Workflow; onDone: () => void }) {
  const events = useWorkflowsStore((state) => state.events);
  const save = useWorkflowsStore((state) => state.save);
  const [draft, setDraft] = useState<Draft>(() => draftOf(workflow));
  const [error, setError] = useState<MessageErrorData | null>(null);
  const [saving, setSaving] = useState(false);
  const update = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));
  const setTrigger = (index: number, trigger: WorkflowTrigger) =>
    update({ triggers: draft.triggers.map((old, i) => (i === index ? trigger : old)) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: WorkflowCreate = { ...draft, name: draft.name.trim() };
    const checked = workflowCreateSchema.safeParse(body);
    if (!checked.success) {
      setError({
        code: 'VALIDATION_ERROR',
        message: t('workflows.check'),
        fields: zodProblems(checked.error.issues),
      });
      return;
    }
    setSaving(true);
    const result = await save(body, workflow);
    setSaving(false);
    if ('id' in result) onDone();
    else setError(result);
  };

  return (
    <form
      className="stack"
      data-testid="workflow-editor"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => event.key === 'Escape' && onDone()}
    >
      <label>
        {t('workflows.name')}
        <input
          value={draft.name}
          data-testid="workflow-name"
          autoFocus
          onChange={(e) => update({ name: e.target.value })}
        />
      </label>
      <fieldset className="stack">
        <legend>{t('workflows.triggers')}</legend>
        {draft.triggers.map((trigger, index) => (
          <div key={index} className="card stack" data-testid={`trigger-${index}`}>
            <span className="row">
              <select
                aria-label={t('workflows.triggerEvent')}
                data-testid="trigger-event"
                value={trigger.eventName}
                onChange={(e) => setTrigger(index, { ...trigger, eventName: e.target.value })}
              >
                <option value="">{t('workflows.chooseEvent')}</option>
                {events.map((definition) => (
                  <option key={definition.name} value={definition.name}>
                    {definition.label}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="link"
                onClick={() => update({ triggers: draft.triggers.filter((_, i) => i !== index) })}
              >
                {t('workflows.removeTrigger')}
              </button>
            </span>
            {trigger.filters.map((filter, filterIndex) => (
              <FilterEditor
                key={filterIndex}
                filter={filter}
                event={events.find((definition) => definition.name === trigger.eventName)}
                onChange={(changed) =>
                  setTrigger(index, {
                    ...trigger,
                    filters: trigger.filters.map((old, i) => (i === filterIndex ? changed : old)),
                  })
                }
                onRemove={() =>
                  setTrigger(index, { ...trigger, filters: trigger.filters.filter((_, i) => i !== filterIndex) })
                }
              />
            ))}
            <button
              type="button"
              className="link"
              onClick={() => setTrigger(index, { ...trigger, filters: [...trigger.filters, newFilter()] })}
            >
              {t('workflows.addFilterAll')}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => update({ triggers: [...draft.triggers, { eventName: '', filters: [] }] })}>
          + {t('workflows.orAnotherEvent')}
        </button>
      </fieldset>
      <label className="row">
        <input
          type="checkbox"
          checked={draft.reenrollment}
          onChange={(e) => update({ reenrollment: e.target.checked })}
          data-testid="workflow-reenrollment"
        />
        {t('workflows.reenrol')}
      </label>
      <fieldset>
        <legend>{t('workflows.steps')}</legend>
        <StepsEditor steps={draft.steps} onChange={(steps) => update({ steps })} events={events} path="steps" />
      </fieldset>
      <ErrorMessage error={error} />
      <span className="row">
        <button type="submit" disabled={saving} data-testid="workflow-save">
          {saving ? t('common.saving') : t('workflows.save')}
        </button>
        <button type="button" className="link" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </span>
    </form>
  );
}
