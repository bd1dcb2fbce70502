import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { UrlRuleFields } from '@/components/picker/UrlRuleFields';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { Rich } from '@/components/common/Rich';
import { t, tParts } from '@/lib/i18n';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import { checkUrlRule, initialUrlValue, type UrlMatch } from '@/lib/picker/url-rule-draft';
import { deriveEventName, eventDefinitionCreateSchema, type EventDefinition } from '@/lib/shared';
import { customCodeSnippet } from '@/lib/shared/custom-code-snippet';
import { useEventsStore } from '../useEventsStore';
import { CopySnippet } from './CopySnippet';
import { draftKeys } from './useDraftsStore';
import { useDraftForm } from './useDraftForm';
import { usePageStore } from './usePageStore';

type Kind = 'click' | 'pageview' | 'custom';
interface NewEventFields extends Record<string, unknown> {
  kind: Kind;
  label: string;
  name: string;
  urlMatch: UrlMatch;
  urlValue: string;
}
const KINDS: Kind[] = ['click', 'pageview', 'custom'];
const NO_PAGE = new URL('https://your-site.example/');
/** How often the list is reloaded while the user picks, and for how long at most. */
const PICK_POLL_MS = 2000;
const PICK_POLL_MAX_MS = 10 * 60_000;

/** Creates a click, page-view or custom-script event from the panel. */
export function NewEventForm({ onDone }: { onDone: () => void }) {
  const id = useId();
  const pageUrl = usePageStore((state) => state.url);
  const tabId = usePageStore((state) => state.tabId);
  const page = pageUrl ? new URL(pageUrl) : NO_PAGE;
  const form = useDraftForm<NewEventFields>(
    draftKeys.newEvent(),
    {
      kind: 'pageview',
      label: '',
      name: '',
      urlMatch: 'path',
      urlValue: initialUrlValue('path', page),
    },
    undefined,
    { what: t('events.draft.whatNewEvent') },
  );
  const { kind, label, name, urlMatch, urlValue } = form.fields;
  const set = (change: Partial<typeof form.fields>) => form.update({ ...form.fields, ...change });
  const create = useEventsStore((state) => state.create);
  const createError = useEventsStore((state) => state.createError);
  const refresh = useEventsStore((state) => state.refresh);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<EventDefinition | null>(null);
  const [picking, setPicking] = useState<{ known: Set<string> } | null>(null);
  const [pickError, setPickError] = useState<MessageErrorData | null>(null);
  const definitions = useEventsStore((state) => state.definitions);
  const stopPolling = useRef<() => void>(() => undefined);

  const check = checkUrlRule(urlMatch, urlValue, pageUrl ?? '');
  const input = {
    label,
    ...(name.trim() ? { name: name.trim() } : {}),
    ...(kind === 'pageview'
      ? {
          trackingType: 'VISITED_URL' as const,
          ...(check.rule ? { trigger: { kind: 'pageview' as const, url: check.rule } } : {}),
        }
      : { trackingType: 'CUSTOM_SCRIPT' as const }),
  };
  const parsed = eventDefinitionCreateSchema.safeParse(input);
  const issue = (path: string) =>
    (submitted && !parsed.success ? parsed.error.issues.find((i) => i.path.join('.') === path)?.message : undefined) ??
    createError?.fields?.find((field) => field.in === path)?.message;

  // While the user picks in the tab, the new event appears here once the picker saved it.
  const discardDraft = form.discard;
  useEffect(() => {
    if (!picking) return;
    const timer = setInterval(() => {
      void refresh().then(() => {
        const fresh = useEventsStore.getState().definitions?.find((definition) => !picking.known.has(definition.name));
        if (!fresh) return;
        setPicking(null);
        setCreated(fresh);
        discardDraft();
      });
    }, PICK_POLL_MS);
    const deadline = setTimeout(() => setPicking(null), PICK_POLL_MAX_MS);
    stopPolling.current = () => {
      clearInterval(timer);
      clearTimeout(deadline);
    };
    return stopPolling.current;
  }, [picking, refresh, discardDraft]);

  /** Leaves the form: stops waiting for a pick (a no-op when none runs) and drops the draft. */
  const cancel = () => {
    stopPolling.current();
    form.discard();
    onDone();
  };

  const startPicking = async () => {
    setPickError(null);
    if (tabId === null) return;
    try {
      await sendToBackground('picker/start', { tabId, mode: 'element' });
      setPicking({ known: new Set((definitions ?? []).map((definition) => definition.name)) });
    } catch (error) {
      setPickError(errorDataOf(error, t('events.new.pickFailed')));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (kind === 'click') return void startPicking();
    if (!parsed.success || busy || (kind === 'pageview' && !check.rule)) return;
    setBusy(true);
    const saved = await create(parsed.data);
    setBusy(false);
    if (saved) {
      form.discard();
      setCreated(saved);
    }
  };

  if (created) {
    return (
      <section className="stack new-event" aria-label={t('events.new.createdLabel')} data-testid="new-event-created">
        <p role="status">
          <Rich
            parts={tParts('events.new.created', { label: created.label, name: <code key="name">{created.name}</code> })}
          />
        </p>
        {created.trackingType === 'CUSTOM_SCRIPT' && (
          <>
            <p className="muted">{t('events.new.sendFromCode')}</p>
            <CopySnippet
              code={customCodeSnippet(created)}
              label={t('events.new.snippetLabel')}
              testId="custom-snippet"
            />
          </>
        )}
        <button type="button" className="button secondary" onClick={onDone} data-testid="new-event-close">
          {t('common.done')}
        </button>
      </section>
    );
  }

  return (
    <form
      className="stack new-event"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => event.key === 'Escape' && onDone()}
      aria-label={t('events.new.formLabel')}
      data-testid="new-event-form"
    >
      {form.restored && (
        <p className="muted" role="status" data-testid="draft-restored">
          {t('events.draft.restoredNew')}
        </p>
      )}
      <fieldset>
        <legend>{t('events.new.what')}</legend>
        {KINDS.map((option) => (
          <label key={option} className="choice">
            <input
              type="radio"
              name={`${id}-kind`}
              value={option}
              checked={kind === option}
              onChange={() => set({ kind: option })}
              data-testid={`new-kind-${option}`}
            />{' '}
            {t(`events.new.kind.${option}`)} <span className="muted">— {t(`events.new.kindHint.${option}`)}</span>
          </label>
        ))}
      </fieldset>
      {kind === 'click' ? (
        <>
          {tabId === null || !pageUrl ? (
            <p className="muted">{t('events.new.openSite')}</p>
          ) : (
            <p className="muted">{t('events.new.pickOn', { host: page.host })}</p>
          )}
          {picking && (
            <p role="status" data-testid="new-event-picking">
              {t('events.new.picking')}
            </p>
          )}
          <ErrorMessage error={pickError} />
          <div className="row">
            <button type="submit" className="button" disabled={tabId === null} data-testid="new-event-pick">
              {t('events.new.pick')}
            </button>
            <button type="button" className="button secondary" onClick={cancel}>
              {t('common.cancel')}
            </button>
          </div>
        </>
      ) : (
        <>
          <label htmlFor={`${id}-label`}>{t('events.edit.label')}</label>
          <input
            id={`${id}-label`}
            value={label}
            onChange={(event) => set({ label: event.target.value })}
            aria-invalid={Boolean(issue('label'))}
            aria-describedby={issue('label') ? `${id}-label-error` : undefined}
            autoFocus
            data-testid="new-label"
          />
          {issue('label') && (
            <p className="field-error" id={`${id}-label-error`}>
              {issue('label')}
            </p>
          )}
          <label htmlFor={`${id}-name`}>{t('events.property.name')}</label>
          <input
            id={`${id}-name`}
            value={name}
            placeholder={deriveEventName(label) ?? ''}
            onChange={(event) => set({ name: event.target.value })}
            aria-invalid={Boolean(issue('name'))}
            aria-describedby={`${id}-name-hint`}
            spellCheck={false}
            data-testid="new-name"
          />
          <p className="muted" id={`${id}-name-hint`}>
            {issue('name') ?? t('events.new.nameHint')}
          </p>
          {kind === 'pageview' && (
            <UrlRuleFields
              draft={{ match: urlMatch, value: urlValue }}
              check={check}
              page={page}
              counts="views"
              onChange={(draft) => set({ urlMatch: draft.match, urlValue: draft.value })}
            />
          )}
          <ErrorMessage error={createError} />
          <div className="row">
            <button type="submit" className="button" disabled={busy} data-testid="new-event-save">
              {busy ? t('events.new.creating') : t('events.new.create')}
            </button>
            <button type="button" className="button secondary" onClick={cancel}>
              {t('common.cancel')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
