import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import {
  ANALYTICS_LIMITS,
  DEFAULT_EVENT_PROPERTIES,
  breakdownQuerySchema,
  dateOfDayNumber,
  dayNumberOf,
  funnelQuerySchema,
  multiSeriesQuerySchema,
  parseFunnelWindow,
  seriesQuerySchema,
  todayIn,
  type AnalyticsInterval,
  type Breakdown,
  type EventDefinition,
  type Funnel,
  type MultiSeries,
  type Series,
  type WeekStart,
} from '../../lib/shared';
import { countBreakdown, type BreakdownProperty } from '../analytics/breakdown';
import { bucketCount, bucketsOf, instantsOf, type LocalRange } from '../analytics/buckets';
import { resolveEvent } from '../analytics/events';
import { countFunnel } from '../analytics/funnel';
import { countBuckets, countRange, stepCompletions, valueContactCounts } from '../analytics/queries';
import type { AppDeps, AppEnv } from '../http/context';
import { invalidQuery, parseQuery, queryObject } from '../http/query';
import type { Database } from '../storage/schema';

/**
 * `/analytics/v1`: completions over time (`/events/{eventName}/series`, `/series` for several
 * events), by property value (`/events/{eventName}/breakdown`) and as a funnel (`/funnel`).
 * Dates are inclusive local dates in `timeZone`; events are named by their internal name or their
 * fully qualified name; archived events keep their history and can be analysed.
 */
export function analyticsRoutes({ db }: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/events/:eventName/series', async (c) => {
    const query = parseQuery(seriesQuerySchema, queryObject(c));
    const definition = await resolveEvent(db, c.get('portalId'), c.req.param('eventName'), 'eventName');
    const options = seriesOptions(query);
    return c.json((await seriesOf(db, definition, options)) satisfies Series);
  });

  app.get('/series', async (c) => {
    const query = parseQuery(multiSeriesQuerySchema, queryObject(c, ['eventName']));
    const options = seriesOptions(query);
    const definitions: EventDefinition[] = [];
    for (const name of new Set(query.eventName)) {
      definitions.push(await resolveEvent(db, c.get('portalId'), name, 'eventName'));
    }
    // Concurrent: PostgreSQL runs them on several pooled connections (SQLite queues them).
    const series = await Promise.all(definitions.map((definition) => seriesOf(db, definition, options)));
    const body: MultiSeries = {
      interval: options.interval,
      timeZone: options.range.timeZone,
      weekStart: options.weekStart,
      from: dateOfDayNumber(options.range.fromDay),
      to: dateOfDayNumber(options.range.toDay),
      series,
    };
    return c.json(body);
  });

  app.get('/events/:eventName/breakdown', async (c) => {
    const query = parseQuery(breakdownQuerySchema, queryObject(c));
    const definition = await resolveEvent(db, c.get('portalId'), c.req.param('eventName'), 'eventName');
    const property = propertyOf(definition, query.property);
    const range = rangeOf(query, { maxDays: ANALYTICS_LIMITS.maxBuckets });
    const { start, end } = instantsOf(range);
    const rows = await valueContactCounts(db, Number(definition.id), query.property, start, end);
    const limit = query.limit === undefined ? ANALYTICS_LIMITS.breakdownDefaultLimit : Number(query.limit);
    const body: Breakdown = {
      eventName: definition.name,
      property: query.property,
      propertyLabel: property.label,
      timeZone: range.timeZone,
      from: dateOfDayNumber(range.fromDay),
      to: dateOfDayNumber(range.toDay),
      ...countBreakdown(rows, property, limit),
    };
    return c.json(body);
  });

  app.get('/funnel', async (c) => {
    const query = parseQuery(funnelQuerySchema, queryObject(c, ['step']));
    const definitions: EventDefinition[] = [];
    for (const name of query.step) definitions.push(await resolveEvent(db, c.get('portalId'), name, 'step'));
    const range = rangeOf(query, { maxDays: ANALYTICS_LIMITS.maxBuckets });
    const window = query.window ?? ANALYTICS_LIMITS.funnelDefaultWindow;
    const windowMs = parseFunnelWindow(window)!;
    const { start, end } = instantsOf(range);
    // Step 1 inside the range; later steps up to a window after its end (a contact who entered on
    // the last day has the whole window to convert).
    const completions = await Promise.all(
      definitions.map((definition, index) =>
        stepCompletions(db, Number(definition.id), start, index === 0 ? end : end + windowMs),
      ),
    );
    const counts = countFunnel(completions, windowMs);
    const body: Funnel = {
      timeZone: range.timeZone,
      from: dateOfDayNumber(range.fromDay),
      to: dateOfDayNumber(range.toDay),
      window,
      steps: definitions.map((definition, index) => ({
        eventName: definition.name,
        label: definition.label,
        contacts: counts[index]!,
        conversionFromPrevious: index === 0 ? 1 : ratio(counts[index]!, counts[index - 1]!),
        conversionFromFirst: ratio(counts[index]!, counts[0]!),
      })),
    };
    return c.json(body);
  });

  return app;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

interface SeriesOptions {
  range: LocalRange;
  interval: AnalyticsInterval;
  weekStart: WeekStart;
}

function seriesOptions(query: {
  from?: string;
  to?: string;
  timeZone?: string;
  interval?: AnalyticsInterval;
  weekStart?: WeekStart;
}): SeriesOptions {
  const range = rangeOf(query);
  const interval = query.interval ?? 'day';
  const weekStart = query.weekStart ?? 'monday';
  const buckets = bucketCount(range, interval, weekStart);
  if (buckets > ANALYTICS_LIMITS.maxBuckets) {
    const days = range.toDay - range.fromDay + 1;
    throw invalidQuery([
      {
        message: `${dateOfDayNumber(range.fromDay)} to ${dateOfDayNumber(range.toDay)} is ${days} days, ${buckets} ${interval} buckets; at most ${ANALYTICS_LIMITS.maxBuckets} buckets (choose a later from, or interval=week or month)`,
        in: 'from',
        code: 'too_many_buckets',
      },
    ]);
  }
  return { range, interval, weekStart };
}

/** The inclusive local date range of a query, with its defaults (the last 30 days, UTC). */
function rangeOf(query: { from?: string; to?: string; timeZone?: string }, limits: { maxDays?: number } = {}) {
  const timeZone = query.timeZone ?? 'UTC';
  const toDay = query.to === undefined ? todayIn(timeZone) : dayNumberOf(query.to)!;
  const fromDay = query.from === undefined ? toDay - (ANALYTICS_LIMITS.defaultRangeDays - 1) : dayNumberOf(query.from)!;
  if (fromDay > toDay) {
    throw invalidQuery([
      {
        message: `from (${dateOfDayNumber(fromDay)}) is after to (${dateOfDayNumber(toDay)})`,
        in: 'from',
        code: 'invalid_range',
      },
    ]);
  }
  if (limits.maxDays !== undefined && toDay - fromDay + 1 > limits.maxDays) {
    throw invalidQuery([
      {
        message: `from to to spans ${toDay - fromDay + 1} days; at most ${limits.maxDays}`,
        in: 'from',
        code: 'range_too_long',
      },
    ]);
  }
  return { fromDay, toDay, timeZone } satisfies LocalRange;
}

async function seriesOf(db: Kysely<Database>, definition: EventDefinition, options: SeriesOptions): Promise<Series> {
  const buckets = bucketsOf(options.range, options.interval, options.weekStart);
  const { start, end } = instantsOf(options.range);
  const definitionId = Number(definition.id);
  const [counts, totals] = await Promise.all([
    countBuckets(db, definitionId, buckets),
    countRange(db, definitionId, start, end),
  ]);
  return {
    eventName: definition.name,
    label: definition.label,
    archived: definition.archived,
    interval: options.interval,
    timeZone: options.range.timeZone,
    weekStart: options.weekStart,
    from: dateOfDayNumber(options.range.fromDay),
    to: dateOfDayNumber(options.range.toDay),
    totals,
    points: buckets.map((bucket, index) => ({ start: bucket.label, ...counts[index]! })),
  };
}

/** A defined property of the event, or a default one (`hs_url`, ...); a 400 naming `property` otherwise. */
function propertyOf(definition: EventDefinition, name: string): BreakdownProperty & { label: string } {
  const defined = definition.properties.find((property) => property.name === name);
  if (defined) return { label: defined.label, type: defined.type, options: defined.options };
  const defaultType = DEFAULT_EVENT_PROPERTIES[name];
  if (defaultType) return { label: name, type: defaultType, options: [] };
  throw invalidQuery([
    {
      message: `the event "${definition.name}" has no property "${name}"`,
      in: 'property',
      code: 'unknown_property',
    },
  ]);
}
