/**
 * The store linter's verdict against the checked-in allow-list: errors always fail; every warning
 * or notice must be listed (code, file, how many) with the reason it cannot be fixed; a listed one
 * that no longer appears fails too, so the list never hides a fixed problem.
 */

export interface LintMessage {
  code: string;
  file?: string;
  message: string;
  description?: string;
  line?: number;
  column?: number;
}

export interface LintReport {
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

export interface AllowedWarning {
  code: string;
  /** The bundle's path with its content hash written as `*` (`chunks/extension-page-*.js`). */
  file: string;
  count: number;
  reason: string;
}

export interface Verdict {
  ok: boolean;
  /** One line per problem, for the test output. */
  problems: string[];
}

/** `chunks/extension-page-ChnwNm0T.js` → `chunks/extension-page-*.js`: hashes change every build. */
export function stableFileName(file: string | undefined): string {
  return (file ?? '(package)').replace(/-[A-Za-z0-9_]{8}(\.[a-z]+)$/, '-*$1');
}

const key = (code: string, file: string) => `${code} ${file}`;

export function compareWithAllowList(report: LintReport, allowed: AllowedWarning[]): Verdict {
  const problems: string[] = [];
  for (const error of report.errors) {
    problems.push(`error ${error.code} in ${error.file ?? '(package)'}: ${error.message}`);
  }
  const seen = new Map<string, LintMessage[]>();
  for (const message of [...report.warnings, ...report.notices]) {
    const id = key(message.code, stableFileName(message.file));
    seen.set(id, [...(seen.get(id) ?? []), message]);
  }
  const listed = new Map(allowed.map((entry) => [key(entry.code, entry.file), entry]));
  for (const [id, messages] of seen) {
    const entry = listed.get(id);
    const where = (m: LintMessage) => `${m.file ?? '(package)'}${m.line ? `:${m.line}:${m.column ?? 0}` : ''}`;
    if (!entry) {
      for (const m of messages)
        problems.push(`new warning ${m.code} at ${where(m)}: ${m.message} ${m.description ?? ''}`);
    } else if (messages.length > entry.count) {
      problems.push(
        `${id}: ${messages.length} warnings, the allow-list accepts ${entry.count} (${messages.map(where).join(', ')})`,
      );
    }
  }
  for (const entry of allowed) {
    const count = seen.get(key(entry.code, entry.file))?.length ?? 0;
    if (count < entry.count) {
      problems.push(
        `${key(entry.code, entry.file)}: allow-listed ${entry.count}, now ${count} — lower the count in the allow-list`,
      );
    }
  }
  return { ok: problems.length === 0, problems };
}
