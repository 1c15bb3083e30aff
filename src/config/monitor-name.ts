/**
 * @module config/monitor-name — what a monitor may be called.
 *
 * A name reaches events, logs, `/metrics` labels, the dashboard and Telegram messages as
 * written, so it is short and printable: at most 64 characters (code points, after
 * trimming), none of them a control character, a line or paragraph separator, a
 * bidirectional text control (which reorders what is shown around it) or an unpaired
 * surrogate. Any other character, accents and emoji included, is allowed.
 */
import { nonEmpty } from './fields.js';

export const MAX_NAME_LENGTH = 64;

const FORBIDDEN: ReadonlyArray<readonly [RegExp, string]> = [
  [/\p{Cc}/u, 'a control character'],
  [/[\u2028\u2029]/u, 'a line or paragraph separator'],
  [/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u, 'a bidirectional text control'],
  [/\p{Cs}/u, 'an unpaired surrogate'],
];

/** Every rule `name` breaks, in words; the name itself is never echoed (it may be huge or unprintable). */
export function monitorNameProblems(name: string): string[] {
  const problems: string[] = [];
  let length = 0;
  for (const _ of name) length++;
  if (length > MAX_NAME_LENGTH) problems.push(`must be at most ${MAX_NAME_LENGTH} characters; this one has ${length.toLocaleString('en-US')}`);
  let first: { index: number; what: string } | null = null;
  for (const [pattern, what] of FORBIDDEN) {
    const index = name.search(pattern);
    if (index >= 0 && (first === null || index < first.index)) first = { index, what };
  }
  if (first !== null) {
    const codePoint = name.codePointAt(first.index)!;
    const position = [...name.slice(0, first.index)].length + 1;
    problems.push(
      `must be printable: character ${position} is U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} (${first.what}); names reach logs, metrics labels, the dashboard and Telegram messages as written`,
    );
  }
  return problems;
}

export const monitorNameField = nonEmpty('a name').superRefine((name, ctx) => {
  for (const message of monitorNameProblems(name)) ctx.addIssue({ code: 'custom', message });
});
