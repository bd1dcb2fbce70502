import safeRegex from 'safe-regex2';

/** Longest pattern a URL rule or condition may hold: enough for real rules, too short to hide a trap. */
export const MAX_PATTERN_LENGTH = 300;
/** Most repetitions (`*`, `+`, `{n}`) in one pattern; safe-regex2's default. */
const MAX_REPETITIONS = 25;

/**
 * Why a user's regular expression cannot be stored, or undefined when it can: too long, does not
 * compile, or may backtrack catastrophically. A stored pattern runs on every click and page view
 * of the customer's site, so a pattern with a repeated group that itself repeats (`(a+)+`, the
 * classic ReDoS shape) is refused rather than trusted; safe-regex2 (fastify's star-height check)
 * decides that.
 */
export function regexPatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'the regular expression is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `the regular expression is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : '';
    return `the regular expression does not compile${reason ? `: ${reason}` : ''}`;
  }
  if (!safeRegex(pattern, { limit: Number.MAX_SAFE_INTEGER })) {
    return (
      'the regular expression could take exponential time on some URLs or texts: it repeats a group that ' +
      'itself repeats (like "(a+)+" or "(.*a){12}"), or uses syntax the safety check cannot read (lookbehind); ' +
      'rewrite it without nested repetition'
    );
  }
  if (!safeRegex(pattern, { limit: MAX_REPETITIONS })) {
    return `the regular expression has more than ${MAX_REPETITIONS} repetitions (*, +, ?, {n}); simplify it`;
  }
  return undefined;
}

/** Compiles a pattern that passed `regexPatternProblem` (flag `i` when asked). */
export function compilePattern(pattern: string, caseInsensitive = false): RegExp {
  return new RegExp(pattern, caseInsensitive ? 'i' : '');
}
