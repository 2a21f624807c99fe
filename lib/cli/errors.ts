/** Exit codes of `office-zones`, stated in `--help` and the README. */
export const EXIT = {
  /** The command did what it was asked; `audit` found no drift. */
  ok: 0,
  /** `audit` found drift between the live user pool and the manifest. */
  drift: 1,
  /** `smoke`: a hop of the order flow failed (one line on stderr says which and why). */
  hopFailed: 1,
  /** Bad input, a refused request, or a fault: nothing was changed that the message does not name. */
  error: 2,
} as const;

/**
 * An error the CLI reports as it is: one line on stderr and exit code 2. Anything else that
 * reaches the top is a bug and is reported as one line too, never as a stack trace.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'CliError';
  }
}

/** Collapses whitespace and line breaks so a message fits the one-line error contract. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The first line of a message, for SDK errors whose later lines are advice for another tool. */
export function firstLine(text: string): string {
  return oneLine(text.split('\n').find((l) => l.trim() !== '') ?? text);
}
