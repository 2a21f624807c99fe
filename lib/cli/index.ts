import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BrokerApiKeys } from './api-keys';
import { audit } from './audit';
import {
  Aws,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_TIMING,
  describeFailure,
  type RetryTiming,
} from './aws';
import {
  checkOnboarding,
  checkRevocation,
  checkRotation,
  listConsumers,
  onboardConsumer,
  revokeConsumer,
  rotateConsumer,
} from './consumers';
import { EXIT, oneLine } from './errors';
import { type CliManifest, DEFAULT_MANIFEST, loadManifest, SSM_MANIFEST_PREFIX } from './manifest';
import type { CliIo } from './output';
import { BrokerPool, resolvePoolId } from './pool';
import { smoke, SMOKE_DEFAULTS } from './smoke';

export { EXIT } from './errors';
export type { CliIo } from './output';

export const CLI_NAME = 'office-zones';

/** Options of every command. */
interface GlobalOptions {
  readonly manifest: string;
  readonly userPoolId?: string;
  readonly apiId?: string;
  readonly usagePlanId?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly maxAttempts: number;
}

/** How a run behaves beyond its arguments. `bin/` passes nothing; tests shorten the backoff. */
export interface RunOptions {
  readonly retryTiming?: RetryTiming;
}

const EXIT_CODES_HELP = `
Commands in full:
  consumers list [--json]
  consumers onboard <name> --scopes <scope...> [--out <file>]
  consumers rotate <name> [--out <file>] | consumers rotate <name> --retire-previous
  consumers revoke <name> [--client-id <id>]
  audit [--json]
  smoke --credentials <file> | --secret <name-or-arn> [--json]
  Each has --help with an example.

Exit codes:
  0  success (audit: the user pool and the API keys match the manifest; smoke: every hop passed)
  1  audit found drift; smoke: a hop failed (one line on stderr names it)
  2  error: bad input, a refused request or a fault; one line on stderr

Where values come from:
  manifest      --manifest <file> (default ${DEFAULT_MANIFEST}, written by npx cdk synth),
                or --manifest ${SSM_MANIFEST_PREFIX}<parameter> for the one the deployed broker publishes
  user pool id  --user-pool-id, else the manifest's userPool.id, else the SSM parameter
                named by the manifest's userPool.idParameter (published by the broker stack)
  REST API id   --api-id, else the manifest's api.id, else the SSM parameter api.idParameter
                (list, onboard, revoke and audit: the consumers' API keys)
  usage plan    --usage-plan-id, else the manifest's api.onboardedUsagePlanId, else the SSM
                parameter api.onboardedUsagePlanIdParameter (onboard: the plan partners join)
  credentials   the AWS default credential chain, or --profile; region from --region,
                AWS_REGION or the profile`;

function example(...lines: string[]): string {
  return `\nExample:\n${lines.map((l) => `  $ npx ${CLI_NAME} ${l}`).join('\n')}`;
}

function attempts(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) {
    throw new InvalidArgumentError('must be a whole number from 1 to 20');
  }
  return n;
}

/** A duration in seconds (decimals allowed) within a range, as milliseconds. */
function secondsIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a number of seconds from ${min} to ${max}`);
    }
    return Math.round(n * 1000);
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function scopes(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((s) => s !== '')];
}

/**
 * Runs one CLI invocation and resolves to its exit code. Never throws and never exits the
 * process: `bin/office-zones.ts` sets the exit code.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  run: RunOptions = {},
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, run, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT.ok;
      await report(io, commanderMessage(e, argv));
      return EXIT.error;
    }
    await report(io, describeFailure(e));
    return EXIT.error;
  }
}

async function report(io: CliIo, message: string): Promise<void> {
  await new Promise<void>((resolve) =>
    io.stderr.write(`${CLI_NAME}: error: ${oneLine(message)}\n`, () => resolve()),
  );
}

function commanderMessage(e: CommanderError, argv: readonly string[]): string {
  if (e.code === 'commander.help' || e.code === 'commander.missingCommand') {
    const words = argv.filter((a) => !a.startsWith('-')).slice(0, 1);
    const where = [CLI_NAME, ...words].join(' ');
    return `${where} needs a command (see ${where} --help)`;
  }
  return `${e.message.replace(/^error:\s*/, '')} (see ${CLI_NAME} --help)`;
}

function buildProgram(io: CliIo, run: RunOptions, setExit: (code: number) => void): Command {
  const program = new Command(CLI_NAME)
    .description(
      "Operate the Office Zones broker's consumers through the Cognito and API Gateway APIs: onboard, rotate, revoke and audit app clients and their API keys; smoke-test the door after a deploy.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      // Commander's own errors become one line in runCli; nothing else goes to stderr.
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .showSuggestionAfterError(false)
    .addOption(
      new Option(
        '--manifest <file>',
        `the broker manifest, a file or ${SSM_MANIFEST_PREFIX}<parameter>`,
      ).default(DEFAULT_MANIFEST),
    )
    .option('--user-pool-id <id>', "the broker's user pool (default: from the manifest or SSM)")
    .option('--api-id <id>', "the broker's REST API (default: from the manifest or SSM)")
    .option(
      '--usage-plan-id <id>',
      'the usage plan onboarded partners join (default: from the manifest or SSM)',
    )
    .option('--profile <name>', 'AWS profile (default: the default credential chain)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option('--endpoint-url <url>', 'send every AWS call here, e.g. a local emulator')
    .addOption(
      new Option(
        '--max-attempts <n>',
        'attempts per AWS call; throttled calls back off exponentially',
      )
        .argParser(attempts)
        .default(DEFAULT_MAX_ATTEMPTS),
    )
    .addHelpText('after', EXIT_CODES_HELP);

  /** The global options of the command an action runs for (commander passes it last). */
  const g = (args: unknown[]) =>
    (args[args.length - 1] as Command).optsWithGlobals<GlobalOptions>();

  /** Runs an action with the manifest and AWS clients only: no user pool is needed. */
  const withManifest =
    <A extends unknown[]>(
      action: (
        aws: Aws,
        loaded: Awaited<ReturnType<typeof loadManifest>>,
        ...args: A
      ) => Promise<number>,
    ) =>
    async (...args: A) => {
      const { region, profile, endpointUrl, maxAttempts, manifest } = g(args);
      const aws = new Aws(
        { region, profile, endpointUrl, maxAttempts },
        run.retryTiming ?? DEFAULT_RETRY_TIMING,
      );
      try {
        setExit(await action(aws, await loadManifest(manifest, io.cwd, aws), ...args));
      } finally {
        aws.destroy();
      }
    };

  /** Runs an action against the broker's pool and API keys with the global options. */
  const withPool = <A extends unknown[]>(
    action: (pool: BrokerPool, keys: BrokerApiKeys, ...args: A) => Promise<number | void>,
    /** Checks the command's input against the manifest before any call to AWS. */
    precheck?: (manifest: CliManifest, ...args: A) => void,
  ) =>
    withManifest<A>(async (aws, { manifest, source }, ...args) => {
      precheck?.(manifest, ...args);
      const ref = await resolvePoolId(g(args).userPoolId, manifest, source, aws);
      const pool = new BrokerPool(aws, ref, manifest);
      await pool.verify();
      const keys = new BrokerApiKeys(aws, manifest, source, {
        apiId: g(args).apiId,
        usagePlanId: g(args).usagePlanId,
      });
      const code = await action(pool, keys, ...args);
      return typeof code === 'number' ? code : EXIT.ok;
    });

  const consumers = program
    .command('consumers')
    .description("the broker's consumers: one Cognito app client each")
    .addHelpText('after', example('consumers list', 'consumers onboard acme --scopes orders/read'));

  consumers
    .command('list')
    .description(
      'every app client of the pool with its flows and scopes, marked declared (in the blueprint), onboarded (by this CLI) or unknown, and its API key: active (enabled, in a usage plan of the API), disabled, unattached (in no usage plan) or missing',
    )
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', example('consumers list', 'consumers list --json --region eu-west-1'))
    .action(
      withPool((pool, keys, opts: { json?: boolean }) =>
        listConsumers(pool, keys, io, opts.json === true),
      ),
    );

  consumers
    .command('onboard')
    .description(
      'create a client-credentials app client (onboarded.<name>) with a secret and only scopes the broker offers, and an API key of the same name in the usage plan for onboarded partners; the credentials (client id, secret, API key) are printed once, or written to --out with mode 0600. If the key cannot be made, nothing is kept',
    )
    .argument('<name>', 'the consumer, e.g. acme (lower-case letters, digits, hyphens)')
    .requiredOption(
      '--scopes <scope...>',
      'scopes from the manifest, e.g. orders/read catalog/read',
      scopes,
    )
    .option('--out <file>', 'write the credentials to this new file (mode 0600) instead of stdout')
    .addHelpText(
      'after',
      example(
        'consumers onboard acme --scopes orders/read catalog/read',
        'consumers onboard acme --scopes orders/write --out acme-credentials.json',
      ),
    )
    .action(
      withPool(
        (pool, keys, name: string, opts: { scopes: string[]; out?: string }) =>
          onboardConsumer(pool, keys, io, name, { scopes: opts.scopes, out: opts.out }),
        (manifest, name, opts) => checkOnboarding(manifest, name, opts.scopes),
      ),
    );

  consumers
    .command('rotate')
    .description(
      "give a consumer a new secret while the old one stays valid; --retire-previous ends the old one once the consumer has cut over (Cognito's secret-rotation API, or a successor app client where the endpoint lacks it). The API key is not rotated: the consumer keeps sending the one it has",
    )
    .argument('<name>', 'the consumer, e.g. acme')
    .option('--retire-previous', 'retire the previous secret or app client, keeping the newest')
    .option('--out <file>', 'write the new credentials to this new file (mode 0600)')
    .addHelpText(
      'after',
      example(
        'consumers rotate acme --out acme-new.json',
        'consumers rotate acme --retire-previous',
      ),
    )
    .action(
      withPool(
        (pool, _keys, name: string, opts: { retirePrevious?: boolean; out?: string }) =>
          rotateConsumer(pool, io, name, {
            retirePrevious: opts.retirePrevious === true,
            out: opts.out,
          }),
        (manifest, name) => checkRotation(manifest, name),
      ),
    );

  consumers
    .command('revoke')
    .description(
      'delete the app client of an onboarded (or unknown) consumer, then its API key (a missing key is reported, not an error); a consumer the blueprint declares is refused. With no app client left, deletes an API key left without one',
    )
    .argument('<name>', 'the consumer, e.g. acme, or the exact name of an unknown app client')
    .option(
      '--client-id <id>',
      'delete only this app client of that name (the API key stays while another client of the name remains)',
    )
    .addHelpText('after', example('consumers revoke acme'))
    .action(
      withPool(
        (pool, keys, name: string, opts: { clientId?: string }) =>
          revokeConsumer(pool, keys, io, name, { clientId: opts.clientId }),
        (manifest, name) => checkRevocation(manifest, name),
      ),
    );

  program
    .command('audit')
    .description(
      'compare the live user pool and API keys with the manifest: unknown clients, scopes beyond the declared ones, missing declared clients, flows other than client credentials, clients whose API key is missing or disabled, API keys whose client is gone; exit 0 when clean, 1 on drift, 2 on error',
    )
    .option('--json', 'print JSON for pipelines instead of a table')
    .addHelpText('after', example('audit', 'audit --json --user-pool-id eu-west-1_AbCdEf123'))
    .action(
      withPool((pool, keys, opts: { json?: boolean }) => audit(pool, keys, io, opts.json === true)),
    );

  program
    .command('smoke')
    .description(
      "after a deploy, walk the order flow through the broker as one consumer: get a token at the broker's token URL (client credentials), submit an order (generated from the command's schema, with a fresh id), read it back until it is INVOICED, and read the catalogue; each hop is printed with its latency. Exit 0 when every hop passed, 1 at the first that failed (one line on stderr: the hop and why), 2 on bad input. No secret, API key or token is printed",
    )
    .option('--credentials <file>', 'a credentials file from consumers onboard --out')
    .option(
      '--secret <name-or-arn>',
      "a Secrets Manager secret with a consumer's credentials, e.g. a product's (read as its runtime role)",
    )
    .option(
      '--order <file>',
      'the order to submit (default: a minimal valid order from the schema, with a fresh id)',
    )
    .option('--submit <operation>', 'the command that submits the order', SMOKE_DEFAULTS.submit)
    .option('--until <status>', 'the status the order must reach', SMOKE_DEFAULTS.until)
    .option('--catalogue <operation>', 'the query read last', SMOKE_DEFAULTS.catalogue)
    .option(
      '--param <name=value>',
      `a path or query parameter of the catalogue query (default: ${SMOKE_DEFAULTS.parameterValue} for each); repeatable`,
      collect,
    )
    .addOption(
      new Option('--timeout <seconds>', 'how long to wait for the status')
        .argParser(secondsIn(0.1, 3600))
        .default(SMOKE_DEFAULTS.timeoutSeconds * 1000, String(SMOKE_DEFAULTS.timeoutSeconds)),
    )
    .addOption(
      new Option('--interval <seconds>', 'time between two reads of the order')
        .argParser(secondsIn(0.01, 300))
        .default(SMOKE_DEFAULTS.intervalSeconds * 1000, String(SMOKE_DEFAULTS.intervalSeconds)),
    )
    .addOption(
      new Option('--request-timeout <seconds>', 'how long one HTTP exchange may take')
        .argParser(secondsIn(0.1, 120))
        .default(
          SMOKE_DEFAULTS.requestTimeoutSeconds * 1000,
          String(SMOKE_DEFAULTS.requestTimeoutSeconds),
        ),
    )
    .option(
      '--token-url <url>',
      'the token URL (default: from the credentials, the manifest or SSM)',
    )
    .option('--api-url <url>', 'the API URL (default: from the credentials, the manifest or SSM)')
    .option('--json', 'print one JSON document for pipelines instead of lines')
    .addHelpText(
      'after',
      example(
        'smoke --credentials acme-credentials.json',
        'smoke --secret office-zones/OfficeZones/dev/broker/clients/product.web-shop --json',
      ),
    )
    .action(
      withManifest(
        (
          aws,
          loaded,
          opts: {
            credentials?: string;
            secret?: string;
            order?: string;
            submit: string;
            until: string;
            catalogue: string;
            param?: string[];
            timeout: number;
            interval: number;
            requestTimeout: number;
            tokenUrl?: string;
            apiUrl?: string;
            json?: boolean;
          },
        ) =>
          smoke(aws, loaded, io, {
            credentials: opts.credentials,
            secret: opts.secret,
            order: opts.order,
            submit: opts.submit,
            until: opts.until,
            catalogue: opts.catalogue,
            params: opts.param ?? [],
            timeoutMs: opts.timeout,
            intervalMs: opts.interval,
            requestTimeoutMs: opts.requestTimeout,
            tokenUrl: opts.tokenUrl,
            apiUrl: opts.apiUrl,
            json: opts.json === true,
          }),
      ),
    );

  return program;
}
