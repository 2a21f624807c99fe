import { Duration, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { throttleProblems } from './prop-rules';
import type { Throttle } from './throttle';

/**
 * Collects the problems of a construct's props and throws them all at once, each with the
 * construct's path, the prop and the value received. Values that are still tokens are skipped:
 * they are only known at deploy time. The checks themselves are pure functions (see
 * `prop-rules.ts`), which the blueprint reuses.
 */
export class PropChecks {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct) {}

  /** Checks a number, a string or a list of strings, unless it is undefined or a token. */
  check<T extends number | string>(
    prop: string,
    value: T | undefined,
    problemOf: (value: T) => string | undefined,
  ): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    const problem = problemOf(value);
    if (problem) this.add(prop, problem, JSON.stringify(value));
    return this;
  }

  /** Checks a duration in whole seconds, unless it is undefined or a token. */
  checkSeconds(
    prop: string,
    value: Duration | undefined,
    problemOf: (seconds: number) => string | undefined,
  ): this {
    if (value === undefined || value.isUnresolved()) return this;
    const seconds = value.toMilliseconds() / 1000;
    const problem = problemOf(seconds);
    if (problem) this.add(prop, problem, value.toHumanString());
    return this;
  }

  /** Checks a throttle's rate and burst (`<prop>.rateLimit`, `<prop>.burstLimit`), unless undefined. */
  checkThrottle(prop: string, throttle: Throttle | undefined): this {
    for (const { field, problem } of throttle ? throttleProblems(throttle) : [])
      this.check(`${prop}.${field}`, throttle![field], () => problem);
    return this;
  }

  /** Records a problem found by the caller. */
  add(prop: string, problem: string, received: string): this {
    this.problems.push(`${this.scope.node.path}: ${prop} ${problem} (received: ${received})`);
    return this;
  }

  /** Throws one error listing every problem, if there is any. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new Error(this.problems.join('\n'));
  }
}
