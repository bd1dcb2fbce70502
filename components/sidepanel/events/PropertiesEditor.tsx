import { useState } from 'react';
import type { EventDefinition } from '@/lib/shared';
import { useEventsStore } from '../useEventsStore';
import { PropertyForm } from './PropertyForm';

/** An event's custom properties: each edited or deleted (after confirmation), and new ones added. */
export function PropertiesEditor({ definition, onDone }: { definition: EventDefinition; onDone: () => void }) {
  const [editing, setEditing] = useState<string | null>(null); // a property's name, or 'new';
  const [confirming, setConfirming] = useState<string | null>(null);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const deleteProperty = useEventsStore((state) => state.deleteProperty);
  const clearError = useEventsStore((state) => state.clearError);
  const open = (next: typeof editing) => {
    clearError(definition.name);
    setConfirming(null);
    setEditing(next);
  };

  return (
    <section className="stack" aria-label={`Properties of ${definition.label}`} data-testid="properties-editor">
      <h3>Properties</h3>
      {definition.properties.length === 0 && <p className="muted">No custom properties yet.</p>}
      <ul className="properties">
        {definition.properties.map((property) => (
          <li key={property.name} data-testid={`property-${property.name}`}>
            {editing === property.name ? (
              <PropertyForm definition={definition} property={property} onDone={() => open(null)} />
            ) : (
              <>
                <strong>{property.label}</strong> <code>{property.name}</code>{' '}
                <span className="badge">{property.type}</span>
                {property.type === 'enumeration' && (
                  <p className="muted" data-testid="property-option-list">
                    {[...property.options]
                      .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
                      .map((option) => `${option.label}${option.hidden ? ' (hidden)' : ''}`)
                      .join(', ')}
                  </p>
                )}
                {confirming === property.name ? (
                  <div
                    className="confirm"
                    role="alertdialog"
                    aria-label={`Delete property ${property.label}`}
                    onKeyDown={(event) => event.key === 'Escape' && setConfirming(null)}
                  >
                    <p>
                      Delete the property “{property.label}”? Completions already sent keep their value, but it will not
                      be offered or sent any more.
                    </p>
                    <div className="row">
                      <button
                        type="button"
                        className="button"
                        autoFocus
                        disabled={saving}
                        onClick={() =>
                          void deleteProperty(definition, property.name).then((done) => done && setConfirming(null))
                        }
                        data-testid="property-delete-confirm"
                      >
                        {saving ? 'Deleting…' : 'Delete'}
                      </button>
                      <button type="button" className="button secondary" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </div>
                  </div>
                ) : (
                  <div className="actions">
                    <button
                      type="button"
                      className="link"
                      onClick={() => open(property.name)}
                      data-testid="property-edit"
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="link danger"
                      onClick={() => setConfirming(property.name)}
                      data-testid="property-delete"
                    >
                      Delete
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
            Add property
          </button>
          <button type="button" className="link" onClick={onDone} data-testid="properties-done">
            Done
          </button>
        </div>
      )}
    </section>
  );
}
