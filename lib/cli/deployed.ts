import { AwsCallError, type Aws } from './aws';
import { CliError } from './errors';
import type { CliManifest } from './manifest';

/** A value known only once the broker is deployed (a user pool id, a REST API id), and its origin. */
export interface DeployedRef {
  readonly id: string;
  /** Where it came from, for messages: `--api-id`, the manifest, or the SSM parameter. */
  readonly source: string;
}

/** How to find one deploy-time value. */
export interface DeployedValue {
  /** What it is, for messages, e.g. `user pool id`. */
  readonly what: string;
  /** The flag that gives it, e.g. `--user-pool-id`. */
  readonly flag: string;
  /** The flag's value, when given. */
  readonly given?: string;
  /** The manifest's value: null in `cdk.out`, filled in the copy the broker publishes. */
  readonly inManifest?: string | null;
  /**
   * The SSM parameter the broker stack publishes it in; undefined when the manifest predates it.
   */
  readonly parameter?: string;
}

/**
 * Resolves a deploy-time value the way the AWS CLI user expects: the flag, then the manifest,
 * then the SSM parameter the deployed broker publishes.
 */
export async function resolveDeployed(
  value: DeployedValue,
  manifest: CliManifest,
  manifestSource: string,
  aws: Aws,
): Promise<DeployedRef> {
  if (value.given) return { id: value.given, source: value.flag };
  if (value.inManifest) return { id: value.inManifest, source: manifestSource };
  const parameter = value.parameter;
  if (!parameter) {
    throw new CliError(
      `no ${value.what}: pass ${value.flag} (the manifest ${manifestSource} does not say where the broker publishes it: synthesize it with this version of Office Zones)`,
    );
  }
  let found: string | undefined;
  try {
    found = await aws.parameter(parameter);
  } catch (e) {
    const reason = e instanceof AwsCallError ? e.describe() : String(e);
    // No region or no credentials: that is what to fix first, and every later call needs it too.
    if (e instanceof AwsCallError && e.isSetupProblem) {
      throw new CliError(
        `${reason} (needed to read the ${value.what} from the SSM parameter ${parameter}, or pass ${value.flag})`,
      );
    }
    throw new CliError(
      `no ${value.what}: pass ${value.flag} (reading the SSM parameter ${parameter} failed: ${reason})`,
    );
  }
  if (!found) {
    throw new CliError(
      `no ${value.what}: pass ${value.flag}, or deploy the broker stack ${manifest.brokerStack}, which publishes it in the SSM parameter ${parameter} (not found)`,
    );
  }
  return { id: found, source: `the SSM parameter ${parameter}` };
}
