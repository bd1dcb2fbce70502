import { useState } from 'react';
import { t } from '@/lib/i18n';
import type { EventDefinition } from '@/lib/shared';
import { useEventsStore } from '../useEventsStore';
import { PropertyForm } from './PropertyForm';
import { draftKeys, useDraftsStore } from './useDraftsStore';

/**
 * An event's custom properties: each edited or deleted (after confirmation), and new ones added.
 * A form left with unsaved changes (panel closed, extension reloaded) opens again with them.
 */
export function PropertiesEditor({ definition, onDone }: { definition: EventDefinition; onDone: () => void }) {
  const drafts = useDraftsStore((state) => state.drafts);
  const discardDraft = useDraftsStore((state) => state.discard);
  const hasDraft = (name: string) => Boolean(drafts?.[draftKeys.property(definition.name, name)]);
  // A property's name, or 'new'; a form with a draft is offered back open.
  const [editing, setEditing] = useState<string | null>(() =>
    drafts?.[draftKeys.newProperty(definition.name)]
      ? 'new'
      : (definition.properties.find((property) => hasDraft(property.name))?.name ?? null),
  );
  const [confirming, setConfirming] = useState<string | null>(null);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const deleteProperty = useEventsStore((state) => state.deleteProperty);
  const clearError = useEventsStore((state) => state.clearError);
  const open = (next: typeof editing) => {
    clearError(definition.name);
    setConfirming(null);
    setEditing(next);
  };
  // Drafts of properties deleted elsewhere meanwhile: nothing to apply them to.
  const prefix = draftKeys.property(definition.name, '');
  const orphans = Object.entries(drafts ?? {}).filter(
    ([key]) => key.startsWith(prefix) && !definition.properties.some((property) => key === prefix + property.name),
  );

  return (
    <section
      className="stack"
      aria-label={t('events.properties.sectionLabel', { label: definition.label })}
      data-testid="properties-editor"
    >
      <h3>{t('events.properties.title')}</h3>
      {definition.properties.length === 0 && <p className="muted">{t('events.properties.none')}</p>}
      {orphans.map(([key, draft]) => (
        <p className="notice" role="status" key={key} data-testid="property-draft-orphan">
          {t('events.properties.orphan', { what: draft.what })}{' '}
          <button type="button" className="link" onClick={() => discardDraft(key)}>
            {t('events.properties.discard')}
          </button>
        </p>
      ))}
      <ul className="properties">
        {definition.properties.map((property) => (
          <li key={property.name} data-testid={`property-${property.name}`}>
            {editing === property.name ? (
              <PropertyForm definition={definition} property={property} onDone={() => open(null)} />
            ) : (
              <>
                <strong>{property.label}</strong> <code>{property.name}</code>{' '}
                <span className="badge">{t(`events.property.type.${property.type}`)}</span>
                {hasDraft(property.name) && (
                  <span className="badge draft" data-testid="property-draft">
                    {t('events.draft.badge')}
                  </span>
                )}
                {property.type === 'enumeration' && (
                  <p className="muted" data-testid="property-option-list">
                    {[...property.options]
                      .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
                      .map((option) =>
                        option.hidden ? t('events.property.optionHidden', { label: option.label }) : option.label,
                      )
                      .join(', ')}
                  </p>
                )}
                {confirming === property.name ? (
                  <div
                    className="confirm"
                    role="alertdialog"
                    aria-label={t('events.properties.deleteLabel', { label: property.label })}
                    onKeyDown={(event) => event.key === 'Escape' && setConfirming(null)}
                  >
                    <p>{t('events.properties.deleteConfirm', { label: property.label })}</p>
                    <div className="row">
                      <button
                        type="button"
                        className="button"
                        autoFocus
                        disabled={saving}
                        onClick={() =>
                          void deleteProperty(definition, property.name).then((done) => {
                            if (!done) return;
                            discardDraft(draftKeys.property(definition.name, property.name));
                            setConfirming(null);
                          })
                        }
                        data-testid="property-delete-confirm"
                      >
                        {saving ? t('events.properties.deleting') : t('events.properties.delete')}
                      </button>
                      <button type="button" className="button secondary" onClick={() => setConfirming(null)}>
                        {t('events.properties.keep')}
                      </button>
                    </div>
                  </div>
                ) : (
                  <div className="actions">
                    <button
                      type="button"
                      className="link"
                      onClick={() => open(property.name)}
                      aria-label={t('events.properties.editOne', { label: property.label })}
                      data-testid="property-edit"
                    >
                      {t('events.properties.edit')}
                    </button>
                    <button
                      type="button"
                      className="link danger"
                      onClick={() => setConfirming(property.name)}
                      aria-label={t('events.properties.deleteOne', { label: property.label })}
                      data-testid="property-delete"
                    >
                      {t('events.properties.delete')}
                    </button>
                  </div>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <PropertyForm definition={definition} onDone={() => open(null)} />
      ) : (
        <div className="row">
          <button type="button" className="button secondary" onClick={() => open('new')} data-testid="property-add">
            {t('events.properties.add')}
          </button>
          <button type="button" className="link" onClick={onDone} data-testid="properties-done">
            {t('common.done')}
          </button>
        </div>
      )}
    </section>
  );
}
