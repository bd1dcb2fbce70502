import { useRef, type KeyboardEvent } from 'react';
import '@/components/sidepanel/analytics/analytics.css';
import { t } from '@/lib/i18n';

export interface PanelTab<T extends string> {
  id: T;
  label: string;
}

/** The side panel's tab bar (WAI-ARIA tabs: arrow keys, Home and End move between tabs). */
export function PanelTabs<T extends string>({
  tabs,
  selected,
  onSelect,
}: {
  tabs: readonly PanelTab<T>[];
  selected: T;
  onSelect: (id: T) => void;
}) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (event: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (index + last) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    onSelect(tabs[next]!.id);
    buttons.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={t('extName')}>
      {tabs.map((tab, index) => (
        <button
          key={tab.id}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === selected}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === selected ? 0 : -1}
          onClick={() => onSelect(tab.id)}
          onKeyDown={(event) => move(event, index)}
          data-testid={`tab-${tab.id}`}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
