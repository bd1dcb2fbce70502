import { hash } from 'node:crypto';
import type { z } from 'zod';
import { completionInputSchema, IMPORT_LIMITS, type ImportDateFormat } from '../../lib/shared';
import { checkCompletionInput, type CheckedCompletion, type CompletionTarget } from '../ingest/check-completion';
import { dateFormatLabel, parseDateCell } from './date-formats';
import type { ImportPlan } from './mapping';
import type { Cell } from './readers';

/** One problem of a rejected row, as errors.csv lists it. */
export interface RowError {
  column: string;
  value: string;
  reason: string;
}

export type RowOutcome = { ok: true; completion: CheckedCompletion } | { ok: false; errors: RowError[] };

/** The idempotency key of a file row: a resumed import sends the same one, so nothing is stored twice. */
export function rowUuid(importId: string, row: number): string {
  return `import:${importId}:${row}`;
}

/** The first and the last possible uuid of an import's rows, for range scans (rollback). */
export function importUuidRange(importId: string): { from: string; to: string } {
  // ':' + 1 is ';': every `import:{id}:{row}` sorts between the two.
  return { from: `import:${importId}:`, to: `import:${importId};` };
}

export function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  return cell instanceof Date ? cell.toISOString() : cell;
}

function clip(value: string): string {
  const max = IMPORT_LIMITS.errorValueMaxLength;
  return value.length > max ? `${value.slice(0, max - 3)}...` : value;
}

export interface RowContext {
  importId: string;
  portalId: number;
  fullyQualifiedName: string;
  target: CompletionTarget;
  plan: ImportPlan;
  dateFormat: ImportDateFormat;
}

/**
 * Turns one file row into a completion and checks it with exactly the rules of
 * `POST /events/v3/send` (`completionInputSchema` + `checkCompletionInput`: identity, limits, types,
 * enumeration options, email, future dates); each error names the column it came from.
 */
export function checkRow(context: RowContext, row: number, cells: readonly Cell[], now: number): RowOutcome {
  const { plan } = context;
  const errors: RowError[] = [];
  const emailHeader = plan.headers[plan.emailColumn]!;
  const occurredHeader = plan.headers[plan.occurredAtColumn]!;
  const email = cellText(cells[plan.emailColumn]).trim();
  const occurredCell = cells[plan.occurredAtColumn] ?? '';
  const occurredText = cellText(occurredCell).trim();
  let occurredAt: number | undefined;
  if (occurredText === '') {
    errors.push({ column: occurredHeader, value: '', reason: 'empty: every event needs the time it occurred' });
  } else {
    occurredAt = parseDateCell(occurredCell, context.dateFormat);
    if (occurredAt === undefined) {
      errors.push({
        column: occurredHeader,
        value: clip(occurredText),
        reason: `not a date in the chosen format (${dateFormatLabel(context.dateFormat)}: ${context.dateFormat})`,
      });
    }
  }
  const properties: Record<string, string> = {};
  const columnOfProperty = new Map<string, string>();
  for (const property of plan.properties) {
    const value = cellText(cells[property.column]).trim();
    columnOfProperty.set(property.name, property.header);
    if (value !== '') properties[property.name] = value;
  }
  const input = {
    eventName: context.fullyQualifiedName,
    ...(email !== '' ? { email } : {}),
    ...(occurredAt !== undefined ? { occurredAt } : {}),
    properties,
    uuid: rowUuid(context.importId, row),
  };
  const columnOf = (path: string): { column: string; value: string } => {
    if (path.startsWith('email') || path === '') return { column: emailHeader, value: email };
    if (path.startsWith('occurredAt')) return { column: occurredHeader, value: occurredText };
    const name = /^properties\.([^.]+)/.exec(path)?.[1];
    if (name !== undefined) {
      const column = columnOfProperty.get(name) ?? name;
      return { column, value: properties[name] ?? '' };
    }
    return { column: '', value: '' };
  };
  const parsed = completionInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of (parsed.error as z.ZodError).issues) {
      const path = issue.path.map(String).join('.');
      const { column, value } = columnOf(path);
      const reason = path === '' && email === '' ? 'empty: contacts are identified by their email' : issue.message;
      errors.push({ column, value: clip(value), reason });
    }
    return { ok: false, errors };
  }
  const check = checkCompletionInput(parsed.data, context.target, {
    portalId: context.portalId,
    receivedAt: now,
    path: '',
  });
  if (!check.ok) {
    for (const detail of check.errors) {
      const { column, value } = columnOf(detail.in ?? '');
      errors.push({ column, value: clip(value), reason: detail.message });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  if (!check.ok) return { ok: false, errors };
  return { ok: true, completion: check.completion };
}

/**
 * Remembers the rows already seen by what they store (contact, time, properties), so a file that
 * lists one event twice imports it once. A row is kept as 12 bytes in typed arrays (64 bits of
 * SHA-1 and its row number, open addressing): about 25 MB for a million rows, where a Map of
 * strings took over 100 MB of the server's heap. The chance that two different rows of a
 * million-row file share 64 bits is about 1 in 37 million (n² / 2⁶⁵).
 */
export class DuplicateRows {
  #mask = 1023;
  #count = 0;
  #high = new Uint32Array(1024);
  #low = new Uint32Array(1024);
  /** Row numbers; 0 marks a free slot (file rows count from 1). */
  #rows = new Int32Array(1024);

  /** The row that already had this completion, or undefined (and it is remembered as this row). */
  firstRowOf(email: string, occurredAt: number, propertiesJson: string, row: number): number | undefined {
    const digest = hash('sha1', `${email}\n${occurredAt}\n${propertiesJson}`, 'buffer');
    const high = digest.readUInt32LE(0);
    const low = digest.readUInt32LE(4);
    for (let slot = low & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const first = this.#rows[slot]!;
      if (first === 0) break;
      if (this.#high[slot] === high && this.#low[slot] === low) return first;
    }
    this.#insert(high, low, row);
    if (++this.#count > this.#mask * 0.6) this.#grow();
    return undefined;
  }

  #insert(high: number, low: number, row: number): void {
    let slot = low & this.#mask;
    while (this.#rows[slot] !== 0) slot = (slot + 1) & this.#mask;
    this.#high[slot] = high;
    this.#low[slot] = low;
    this.#rows[slot] = row;
  }

  #grow(): void {
    const [high, low, rows] = [this.#high, this.#low, this.#rows];
    const size = rows.length * 2;
    this.#mask = size - 1;
    this.#high = new Uint32Array(size);
    this.#low = new Uint32Array(size);
    this.#rows = new Int32Array(size);
    for (let slot = 0; slot < rows.length; slot++)
      if (rows[slot] !== 0) this.#insert(high[slot]!, low[slot]!, rows[slot]!);
  }
}
