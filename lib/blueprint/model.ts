import {
  ACCESS_TOKEN_VALIDITY_MINUTES,
  COGNITO_DOMAIN_PREFIX,
  DOMAIN_PREFIX_RULE,
  WAF_RATE_LIMIT,
} from '../../constructs/broker/broker-rules';
import { BROKER_DEFAULTS } from '../../constructs/broker/defaults';
import { z } from 'zod';
import { MIN_CHANGEABLE_FOR_DAYS } from '../../constructs/back-office/backup-rules';
import { BACK_OFFICE_DEFAULTS } from '../../constructs/back-office/defaults';
import {
  COST_CATEGORY_NAME,
  COST_CATEGORY_NAME_LENGTH,
  COST_CATEGORY_NAME_MESSAGE,
} from '../../constructs/cost-attribution/cost-rules';
import { FRONT_OFFICE_DEFAULTS } from '../../constructs/front-office/defaults';
import {
  CLOUDFRONT_CERTIFICATE_ARN,
  CLOUDFRONT_WEB_ACL_ARN,
  COUNTRY_CODE,
  DOMAIN_NAME,
} from '../../constructs/front-office/web-rules';
import {
  FUNCTION_MEMORY_MIB,
  INTEGRATION_TIMEOUT_SECONDS,
} from '../../constructs/shared/prop-rules';

/**
 * The blueprint: a typed model of the enterprise that Office Zones builds.
 *
 * This file is the single source of truth for its shape. The JSON Schema that editors use
 * (`blueprint.schema.json`) is generated from it, and `parseBlueprint` validates against it and
 * then applies the rules that span several fields (see `rules.ts`).
 */

/** Zone names. They are also the values of the zone cost tag. */
export const ZONES = ['front-office', 'back-office', 'integration'] as const;
export type Zone = (typeof ZONES)[number];

const NAME_MESSAGE =
  'must be 2 to 30 lower-case letters, digits or single hyphens, starting with a letter';
const name = () =>
  z
    .string()
    .regex(/^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,29}$/, NAME_MESSAGE)
    .meta({ description: 'A lower-case name, e.g. `web-shop`.' });

const email = (description: string) =>
  z.email({ error: 'must be an email address' }).meta({ description });

/** Free text that must say something: a blank value declares nothing. */
const text = (max: number) => z.string().regex(/\S/, 'must not be blank').max(max);

const costCentre = () =>
  text(256).meta({ description: 'The cost centre finance charges, e.g. `CC-3100`.' });

/** The entry of `maintainers` and `operators` that stands for the account the back office is deployed to. */
export const THIS_ACCOUNT = 'this-account';

/**
 * Who may assume a back-office role: `this-account` or a 12-digit account id (any principal in that
 * account that IAM lets assume the role), or the ARN of one role or user (which must exist when the
 * role is created: IAM refuses a trust policy naming a principal it cannot find).
 */
const assumedBy = (description: string) =>
  z
    .array(
      z
        .string()
        .regex(
          /^(?:this-account|[0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:(?:root|role\/[\w+=,.@/-]{1,512}|user\/[\w+=,.@/-]{1,512}))$/,
          'must be this-account, a 12-digit account id or the ARN of an IAM role or user, e.g. arn:aws:iam::111122223333:role/catalog-editors',
        ),
    )
    .min(1, 'must name at least one principal (leave the key out for no such role)')
    .meta({ description });

const OPERATION_NAME = /^[a-z][a-zA-Z0-9]{0,31}$/;
const SCOPE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const PATH = /^\/[a-z0-9-]+(?:\/(?:[a-z0-9-]+|\{[a-zA-Z][a-zA-Z0-9]*\}))*$/;
const FIELD = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

/** One entry of the cost-tag contract: which tag key carries a value, and its format. */
const TagRule = z
  .strictObject({
    key: z.string().meta({ description: 'The tag key, e.g. `CostCentre`.' }),
    pattern: z
      .string()
      .meta({ description: 'A regular expression every value of this tag must match.' }),
  })
  .meta({ description: 'A tag key and the format its values must have.' });

export const DEFAULT_COST_TAGS = {
  zone: { key: 'Zone', pattern: '^(front-office|back-office|integration)$' },
  costCentre: { key: 'CostCentre', pattern: '^CC-[0-9]{4}$' },
  owner: { key: 'Owner', pattern: '^[a-zA-Z0-9._+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$' },
  product: { key: 'Product', pattern: '^[a-z][a-z0-9-]{1,29}$' },
  environment: { key: 'Environment', pattern: '^[a-z][a-z0-9-]{0,15}$' },
};

const CostTagContract = z
  .strictObject({
    zone: TagRule.default(DEFAULT_COST_TAGS.zone),
    costCentre: TagRule.default(DEFAULT_COST_TAGS.costCentre),
    owner: TagRule.default(DEFAULT_COST_TAGS.owner),
    product: TagRule.default(DEFAULT_COST_TAGS.product),
    environment: TagRule.default(DEFAULT_COST_TAGS.environment),
    additional: z.record(z.string(), z.string()).default({}).meta({
      description: 'Further tags put on every resource, e.g. `{"DataClass": "internal"}`.',
    }),
  })
  .meta({
    description:
      'The cost-attribution contract: the tag keys every taggable resource carries and the format of their values.',
  });

const JsonSchemaObject = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A JSON Schema (draft 4, as API Gateway models use) of type `object`.' });

const Operation = z
  .strictObject({
    name: z
      .string()
      .regex(OPERATION_NAME, 'must be a camelCase name of at most 32 characters')
      .meta({ description: 'The operation, e.g. `submit`, `get`, `listItems`.' }),
    kind: z.enum(['command', 'query']).meta({
      description:
        '`command`: changes the system of record through its intake queue. `query`: reads its ledger.',
    }),
    path: z
      .string()
      .regex(PATH, 'must be a path like /orders or /orders/{orderId}')
      .meta({ description: 'The broker route, under `/<capability>`, e.g. `/orders/{orderId}`.' }),
    scope: z
      .string()
      .regex(SCOPE_NAME, 'must be a lower-case scope name such as read or write')
      .optional()
      .meta({
        description:
          'The scope within the capability a caller needs. Default: `write` for a command, `read` for a query.',
      }),
    body: JsonSchemaObject.optional().meta({
      description: 'Commands: the JSON Schema of the request body.',
    }),
    idField: z.string().regex(FIELD, 'must be a field name').optional().meta({
      description:
        "Commands: the body field that identifies the record (required in the body, makes the command idempotent). Default: the ledger's partition key.",
    }),
    queryParameters: z
      .array(z.string().regex(FIELD, 'must be a field name'))
      .optional()
      .meta({ description: 'Queries: required query-string parameters, e.g. `["category"]`.' }),
  })
  .meta({ description: 'One operation of a capability, exposed by the broker as one route.' });

const Capability = z
  .strictObject({
    name: name().meta({
      description: 'The capability, e.g. `orders`. Also its OAuth resource server.',
    }),
    description: text(256),
    owner: email('Who runs this system of record.'),
    costCentre: costCentre().optional().meta({
      description: "The cost centre of this capability's run cost. Default: the back office's.",
    }),
    change: z
      .strictObject({
        owner: email('Who approves changes to this capability.'),
        reference: z
          .string()
          .regex(/^[A-Z][A-Z0-9]*-[0-9]+$/, 'must be a change ticket id such as CHG-1042')
          .meta({ description: 'The change ticket that approved the current definition.' }),
      })
      .meta({ description: 'Change control: who owns changes and the ticket of the last one.' }),
    ledger: z
      .strictObject({
        partitionKey: z.string().regex(FIELD, 'must be a field name'),
        sortKey: z.string().regex(FIELD, 'must be a field name').optional(),
      })
      .meta({ description: "The keys of the capability's system-of-record table." }),
    operations: z.array(Operation).min(1, 'a capability needs at least one operation'),
    maintainers: assumedBy(
      "Who maintains this capability's records outside the order flow (e.g. the catalogue's items): `this-account`, account ids or role/user ARNs that may assume the capability's maintainer role, `<stackPrefix>-<environment>-back-office-<capability>-maintainer`, which may read and write the capability's ledgers and nothing else. Default: no maintainer role, the ledgers are written by the workflow only.",
    ).optional(),
    workflow: z.enum(['record', 'book-to-bill']).default('record').meta({
      description:
        'What happens to a command: `record` writes it to the ledger with a status; `book-to-bill` validates an order, fulfils it and issues an invoice into an invoices ledger.',
    }),
  })
  .meta({ description: 'A back-office system of record and the operations it offers.' });

const monthlyBudgetUsd = (description: string) =>
  z
    .number({ error: 'must be a number' })
    .positive('must be greater than zero')
    .meta({ description });

const CostCentreBudget = z
  .strictObject({
    costCentre: costCentre(),
    monthlyBudgetUsd: monthlyBudgetUsd('The monthly AWS budget in US dollars.'),
    notify: z
      .array(email('Who is alerted.'))
      .min(1)
      .max(10, 'AWS Budgets alerts at most 10 email addresses')
      .optional()
      .meta({ description: "Who receives the alerts. Default: the back office's owner." }),
  })
  .meta({
    description:
      'A monthly budget for one cost centre, filtered on its cost tag, alerting at 80% actual and 100% forecast spend.',
  });

const Throttle = z
  .strictObject({
    rateLimit: z.number().positive().meta({ description: 'Steady requests per second.' }),
    burstLimit: z.int().positive().meta({ description: 'Bucket size for bursts.' }),
  })
  .meta({ description: 'An API Gateway throttle.' });

const Partner = z
  .strictObject({
    name: name(),
    description: text(256).optional(),
    owner: email('Who at the enterprise is accountable for this partner.'),
    scopes: z
      .array(z.string())
      .min(1, 'needs at least one scope: a partner without one could call nothing')
      .meta({ description: 'The scopes it may use, e.g. `catalog/read`.' }),
    throttle: Throttle.optional(),
  })
  .meta({
    description: 'An external partner declared in the blueprint (others join at run time).',
  });

const Web = z
  .strictObject({
    countries: z
      .array(z.string().regex(COUNTRY_CODE.pattern, COUNTRY_CODE.message))
      .min(1)
      .optional()
      .meta({
        description:
          'The markets served; CloudFront refuses viewers elsewhere. Default: no geo restriction.',
      }),
    webAclArn: z
      .string()
      .regex(CLOUDFRONT_WEB_ACL_ARN.pattern, CLOUDFRONT_WEB_ACL_ARN.message)
      .optional()
      .meta({
        description:
          'A CLOUDFRONT-scope WAF web ACL (made in us-east-1) to attach to the distribution.',
      }),
    customDomain: z
      .strictObject({
        domainName: z.string().regex(DOMAIN_NAME.pattern, DOMAIN_NAME.message),
        certificateArn: z
          .string()
          .regex(CLOUDFRONT_CERTIFICATE_ARN.pattern, CLOUDFRONT_CERTIFICATE_ARN.message),
      })
      .optional()
      .meta({ description: 'A custom domain and its certificate; viewers then need TLS 1.2.' }),
  })
  .meta({ description: 'A static web front end on S3 and CloudFront.' });

const Api = z
  .strictObject({
    memoryMb: z
      .int()
      .min(FUNCTION_MEMORY_MIB.min)
      .max(FUNCTION_MEMORY_MIB.max)
      .default(FRONT_OFFICE_DEFAULTS.productApi.memorySize)
      .meta({
        description: `The function's memory, in MiB (${FUNCTION_MEMORY_MIB.min} to ${FUNCTION_MEMORY_MIB.max}). Default: ${FRONT_OFFICE_DEFAULTS.productApi.memorySize}.`,
      }),
    timeoutSeconds: z
      .int()
      .min(INTEGRATION_TIMEOUT_SECONDS.min)
      .max(INTEGRATION_TIMEOUT_SECONDS.max)
      .default(FRONT_OFFICE_DEFAULTS.productApi.timeoutSeconds)
      .meta({
        description: `How long the function may run per request, in seconds (${INTEGRATION_TIMEOUT_SECONDS.min} to ${INTEGRATION_TIMEOUT_SECONDS.max}: API Gateway ends the request after that anyway). Default: ${FRONT_OFFICE_DEFAULTS.productApi.timeoutSeconds}.`,
      }),
    authorizer: z
      .strictObject({
        issuer: z
          .string()
          .regex(/^https:\/\/[^\s]+$/, 'must be an https:// issuer URL')
          .meta({
            description:
              'The token issuer, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123`.',
          }),
        audiences: z
          .array(text(256))
          .min(1, 'needs at least one audience')
          .meta({ description: 'Accepted audiences (Cognito: app client ids).' }),
      })
      .optional()
      .meta({
        description:
          "A JWT authorizer on every route; callers then need a token from the issuer. Default: none, the routes serve anonymous visitors and the product's back-office calls are authorised by the broker.",
      }),
  })
  .meta({
    description:
      "An HTTP API with a Lambda handler that calls the broker with the product's own credentials: one route per broker operation the product consumes.",
  });

const Data = z
  .strictObject({
    partitionKey: z
      .string()
      .regex(FIELD, 'must be a field name')
      .default(FRONT_OFFICE_DEFAULTS.productData.partitionKey),
    sortKey: z.string().regex(FIELD, 'must be a field name').optional(),
  })
  .meta({ description: 'A DynamoDB table, on demand.' });

const Product = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,29}$/,
        `${NAME_MESSAGE}, so that it can end a stack name (<stackPrefix>-<environment>-Product-<name>)`,
      )
      .meta({ description: 'The product, e.g. `web-shop`. Also its stack name suffix.' }),
    description: text(256).optional(),
    owner: email('The product owner; receives budget alerts.'),
    costCentre: costCentre(),
    monthlyBudgetUsd: monthlyBudgetUsd(
      'The monthly AWS budget in US dollars; the owner is alerted at 80% actual and 100% forecast spend.',
    ),
    components: z
      .strictObject({ web: Web.optional(), api: Api.optional(), data: Data.optional() })
      .meta({ description: 'What the product runs; each is optional.' }),
    consumes: z
      .array(z.string())
      .default([])
      .meta({ description: 'Broker scopes it consumes, e.g. `orders/write`.' }),
    throttle: Throttle.optional(),
  })
  .meta({ description: 'A front-office digital product, deployed as its own stack.' });

const quota = (name: string) =>
  z
    .int()
    .positive()
    .optional()
    .meta({ description: `The account's raised "${name}" quota.` });

/** Account quotas raised above their defaults (see lib/stacks/limits.ts for each default and source). */
export const AccountQuotasSchema = z.strictObject({
  cloudFrontDistributions: quota('Distributions per AWS account'),
  cloudFrontOriginAccessControls: quota('Origin access controls per AWS account'),
  iamRoles: quota('Roles in an AWS account'),
  apiGatewayUsagePlans: quota('Usage plans per account per Region'),
  apiGatewayApiKeys: quota('API keys per account per Region'),
  cloudFormationStacks: quota('Stack count (CloudFormation stacks per account per Region)'),
  cognitoAppClients: quota('App clients per user pool'),
  ssmStandardParameters: quota('Number of parameters (Standard tier) per account per Region'),
  budgets: quota('Budgets per account'),
});

const environmentName = () =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be 1 to 16 lower-case letters, digits or hyphens');

const region = () =>
  z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-[0-9]$/, 'must be an AWS region such as eu-west-1');

/**
 * An AWS account id: exactly 12 digits. Quote it in YAML, so that a leading zero stays.
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
 */
const accountId = (description: string) =>
  z
    .string({ error: 'must be a 12-digit AWS account id in quotes, e.g. "111122223333"' })
    .regex(/^[0-9]{12}$/, 'must be a 12-digit AWS account id, e.g. "111122223333"')
    .meta({ description });

/**
 * AWS Organizations' quota of service control policies attached directly to one root, OU or
 * account, AWS's `FullAWSAccess` included ("Maximum number of SCPs attached to a root, OU, or
 * account"; it cannot be raised).
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const SCPS_PER_TARGET = 5;

const ouIds = (description: string) =>
  z
    .array(
      z
        .string()
        .regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'must be an OU id such as ou-ab12-cd345678'),
    )
    .meta({ description });

/**
 * The organisational units (OUs) of each zone, which receive the Office Zones organisation
 * policies (DEC-038): the front-office SCP, the back-office SCP and the integration SCP to their
 * zone's OUs, the tag policy to all of them, the backup policy to the back office's.
 */
export const OrganizationSchema = z
  .strictObject({
    frontOfficeOuIds: ouIds("The front office's OUs: the product teams' accounts."),
    backOfficeOuIds: ouIds("The back office's OUs: the systems of record's accounts."),
    integrationOuIds: ouIds(
      "The integration zone's OUs: IT's broker and guardrails accounts. Default: none (the integration SCP is then not created).",
    ).default([]),
    existingScpsPerOu: z
      .int()
      .min(0)
      .max(SCPS_PER_TARGET)
      .default(1)
      .meta({
        description: `How many SCPs are already attached directly to each of these OUs besides Office Zones' own, AWS's FullAWSAccess included; with Office Zones' SCP an OU may hold at most ${SCPS_PER_TARGET}. Default: 1 (FullAWSAccess).`,
      }),
  })
  .meta({ description: 'Organisation units to attach the Office Zones policies to.' });

/** Where one environment's zones are deployed: an account per zone (DEC-035). */
export const EnvironmentAccountsSchema = z
  .strictObject({
    backOffice: accountId(
      "The back office's account: its systems of record, workflows, backups and alarms.",
    ),
    integration: accountId(
      "The integration zone's account: the broker, one stack per consumer and the front office's guardrails are IT's and live here.",
    ),
    frontOffice: accountId(
      "The front office's default account: every product's stack, unless the product has its own (`products`).",
    ),
    management: accountId(
      'The management (payer) account of the organisation: cost management (in us-east-1) and the organisation policies. Needed when the blueprint has `costManagement` or `organization`.',
    ).optional(),
    products: z
      .record(
        z.string(),
        accountId("The product's own account, which its team owns, in place of `frontOffice`."),
      )
      .optional()
      .meta({
        description:
          'Per product, by its name, the account it runs in when it is not the front office default, e.g. `{"web-shop": "444455556666"}`.',
      }),
  })
  .meta({ description: "The AWS accounts of one environment's zones." });

/**
 * One environment of the enterprise: its name, region and accounts. A blueprint with
 * `environments` builds every one of them in one synth, each stack in its account and region.
 */
export const DeploymentEnvironmentSchema = z
  .strictObject({
    name: environmentName().meta({
      description: 'The environment, e.g. `test` or `prod`: the `<environment>` of every name.',
    }),
    region: region().optional().meta({
      description:
        "The region of the environment's zones and products. Default: the blueprint's `region`.",
    }),
    accounts: EnvironmentAccountsSchema,
    organization: OrganizationSchema.optional().meta({
      description:
        "This environment's own OUs, in place of the blueprint's `organization`: the environment then has an organisation stack of its own, `<stackPrefix>-<environment>-Organization` (DEC-038). Default: the blueprint's `organization`, shared with the other environments.",
    }),
    approval: z.boolean().optional().meta({
      description:
        'The delivery pipeline waits for a person to approve before it deploys this environment. Default: true for the environment named `prod`, false for the others.',
    }),
  })
  .meta({ description: 'One environment: where each zone of it is deployed.' });

/** The optional delivery pipeline (DEC-037). */
export const DeliverySchema = z
  .strictObject({
    account: accountId(
      'The account the pipeline runs in (a tooling or deployment account); every target account trusts it (`cdk bootstrap --trust`).',
    ),
    region: region()
      .optional()
      .meta({ description: "The pipeline's region. Default: the first environment's region." }),
    repository: z
      .string()
      .regex(
        /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
        'must be owner/name, e.g. northwind/office-zones-blueprint',
      )
      .meta({ description: 'The repository that holds the CDK app, as `owner/name`.' }),
    branch: z
      .string()
      .regex(/^[^\s]{1,255}$/, 'must be a branch name')
      .default('main')
      .meta({ description: 'The branch the pipeline deploys. Default: `main`.' }),
    connectionArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:(?:codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection\/[0-9a-f-]{36}$/,
        'must be the ARN of an AWS CodeConnections (CodeStar) connection, e.g. arn:aws:codeconnections:eu-west-1:111122223333:connection/0a1b2c3d-0000-1111-2222-333344445555',
      )
      .meta({
        description:
          'The CodeConnections connection to the repository host, made once in the console; synth reads no AWS, so it is given here.',
      }),
  })
  .meta({
    description:
      'Builds a CDK pipeline stack that deploys every environment in order, with a manual approval before each environment that asks for one. Needs `environments`. Default: no pipeline.',
  });

export const BlueprintSchema = z
  .strictObject({
    $schema: z.string().optional(),
    enterprise: text(128).meta({ description: 'The enterprise, for reports.' }),
    environment: environmentName().optional().meta({
      description:
        'The environment, e.g. `dev` or `prod`, when the blueprint builds one environment-agnostic environment. Give this or `environments`.',
    }),
    environments: z
      .array(DeploymentEnvironmentSchema)
      .min(1, 'needs at least one environment (or leave the key out and give `environment`)')
      .optional()
      .meta({
        description:
          'Every environment, each in its own accounts and region, built by one synth (one CDK stage per environment). Give this or `environment`. Default: one environment-agnostic environment, `environment`.',
      }),
    region: region().optional().meta({
      description:
        'Where the stacks will be deployed, for the documents synth writes (OpenAPI token URL); the default region of `environments`. Without `environments` the stacks stay environment-agnostic.',
    }),
    delivery: DeliverySchema.optional(),
    stackPrefix: z
      .string()
      .regex(
        /^[A-Z][A-Za-z0-9]{0,23}$/,
        'must be 1 to 24 letters or digits, starting with a capital',
      )
      .default('OfficeZones')
      .meta({ description: 'Prefix of every stack name and physical name.' }),
    deployment: z
      .strictObject({
        bootstrapQualifier: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,10}$/, 'must be 1 to 10 letters, digits, _ or -')
          .default('hnb659fds')
          .meta({
            description:
              "The CDK bootstrap qualifier of the target accounts (`cdk bootstrap --qualifier`). Its CloudFormation execution role, `cdk-<qualifier>-cfn-exec-role-<account>-<region>`, is the principal that deploys the stacks: resource policies admit it for what CloudFormation must do. Default: CDK's default qualifier.",
          }),
        accountQuotas: AccountQuotasSchema.optional().meta({
          description:
            'Account quotas raised above their AWS defaults in the target accounts. Synth fails when the stacks would create more than a quota allows; declare a raised quota here once AWS has granted it. Default: the AWS defaults.',
        }),
      })
      .default({ bootstrapQualifier: 'hnb659fds' })
      .meta({ description: 'How the stacks are deployed.' }),
    costTags: CostTagContract.default({
      ...DEFAULT_COST_TAGS,
      additional: {},
    }),
    backOffice: z.strictObject({
      owner: email('IT owner of the back office.'),
      costCentre: costCentre(),
      operationsEmail: email('Where IT operations receive alarms.'),
      operators: assumedBy(
        'Who operates the back office: `this-account`, account ids or role/user ARNs that may assume its operator role, `<stackPrefix>-<environment>-back-office-operator`, which may read the dead-letter queues and redrive their messages to the intake queues. Default: no operator role.',
      ).optional(),
      vpcCidr: z
        .string()
        .regex(/^10\.(?:[0-9]{1,3})\.0\.0\/16$/, 'must be a /16 in 10.0.0.0/8, e.g. 10.40.0.0/16')
        .default(BACK_OFFICE_DEFAULTS.network.cidr)
        .meta({ description: "The back office's isolated network." }),
      backup: z
        .strictObject({
          dailyRetentionDays: z
            .int()
            .default(BACK_OFFICE_DEFAULTS.backup.dailyRetentionDays)
            .meta({
              description: `How long the daily recovery points are kept, in days. Default: ${BACK_OFFICE_DEFAULTS.backup.dailyRetentionDays}.`,
            }),
          monthlyRetentionDays: z
            .int()
            .default(BACK_OFFICE_DEFAULTS.backup.monthlyRetentionDays)
            .meta({
              description: `How long the monthly recovery points are kept, in days. Default: ${BACK_OFFICE_DEFAULTS.backup.monthlyRetentionDays}.`,
            }),
          vaultLock: z
            .strictObject({
              minRetentionDays: z.int().positive().meta({
                description:
                  'The shortest retention, in days, a recovery point in the vault may have; at most dailyRetentionDays.',
              }),
              maxRetentionDays: z.int().positive().optional().meta({
                description:
                  'The longest retention, in days, a recovery point in the vault may have; at least monthlyRetentionDays. Default: no maximum.',
              }),
              changeableForDays: z
                .int()
                .min(MIN_CHANGEABLE_FOR_DAYS)
                .default(BACK_OFFICE_DEFAULTS.backup.changeableForDays)
                .meta({
                  description: `Days the lock can still be removed; after that it is immutable (at least ${MIN_CHANGEABLE_FOR_DAYS}). Default: ${BACK_OFFICE_DEFAULTS.backup.changeableForDays}.`,
                }),
            })
            .optional()
            .meta({ description: 'Locks the vault (compliance mode after the grace period).' }),
        })
        .default({
          dailyRetentionDays: BACK_OFFICE_DEFAULTS.backup.dailyRetentionDays,
          monthlyRetentionDays: BACK_OFFICE_DEFAULTS.backup.monthlyRetentionDays,
        }),
      capabilities: z.array(Capability).min(1, 'the back office needs at least one capability'),
      budgets: z.array(CostCentreBudget).optional().meta({
        description:
          "A monthly AWS budget per back-office cost centre (the back office's and its capabilities'). When given, every one of them needs one. Default: no back-office budgets.",
      }),
    }),
    broker: z.strictObject({
      owner: email('IT owner of the broker.'),
      costCentre: costCentre(),
      domainPrefix: z
        .string()
        .regex(COGNITO_DOMAIN_PREFIX, DOMAIN_PREFIX_RULE)
        .meta({ description: 'The Cognito domain prefix of the OAuth endpoints.' }),
      accessTokenValidityMinutes: z
        .int()
        .min(ACCESS_TOKEN_VALIDITY_MINUTES.min)
        .max(ACCESS_TOKEN_VALIDITY_MINUTES.max)
        .default(BROKER_DEFAULTS.identity.accessTokenValidityMinutes),
      throttle: Throttle.default({ ...BROKER_DEFAULTS.api.throttle }).meta({
        description: 'The stage throttle: all consumers together.',
      }),
      consumerThrottle: Throttle.default({ ...BROKER_DEFAULTS.api.consumerThrottle }).meta({
        description:
          "A consumer's own throttle when it declares none (a usage plan per distinct throttle).",
      }),
      wafRateLimitPerIp: z
        .int()
        .min(WAF_RATE_LIMIT.min)
        .max(WAF_RATE_LIMIT.max)
        .default(BROKER_DEFAULTS.webAcl.rateLimitPerIp)
        .meta({ description: 'Requests per 5 minutes from one IP before WAF blocks it.' }),
      partners: z.array(Partner).default([]),
    }),
    frontOffice: z.strictObject({
      products: z.array(Product),
    }),
    costManagement: z
      .strictObject({
        costCategoryName: z
          .string()
          .min(COST_CATEGORY_NAME_LENGTH.min)
          .max(COST_CATEGORY_NAME_LENGTH.max)
          .regex(COST_CATEGORY_NAME, COST_CATEGORY_NAME_MESSAGE)
          .default('Office zone')
          .meta({
            description:
              'The AWS Cost Category that splits spend by the zone tag into Front office, Back office and Integration.',
          }),
        activateCostAllocationTags: z.boolean().default(true).meta({
          description:
            "Activate the contract's tag keys as cost-allocation tags (a key can be activated only once a resource carries it; allow up to 24 hours).",
        }),
        notify: z
          .array(email('Who is alerted.'))
          .min(1)
          .max(10, 'AWS Budgets alerts at most 10 email addresses')
          .optional()
          .meta({
            description:
              "Who receives the alerts of each environment's front-office budget (blueprints with `environments`). Default: the broker's owner.",
          }),
      })
      .optional()
      .meta({
        description:
          "Builds a stack for the management (payer) account: the zone cost category and the activation of the contract's cost-allocation tags. Default: no such stack.",
      }),
    organization: OrganizationSchema.optional().meta({
      description:
        'Organisation units to attach the Office Zones policies to. With `environments`, every environment without its own `organization` shares these, in one organisation stack (DEC-038). Default: no organisation policies.',
    }),
  })
  .meta({
    title: 'Office Zones blueprint',
    description:
      'An enterprise as a front-office zone, a back-office zone and the broker between them.',
  });

export type BlueprintInput = z.input<typeof BlueprintSchema>;
/**
 * A parsed blueprint: defaults filled in and `environment` always set (to the first of
 * `environments` when the blueprint declares several; `environmentBlueprints` gives one per
 * environment).
 */
export type Blueprint = Omit<z.output<typeof BlueprintSchema>, 'environment'> & {
  readonly environment: string;
};
export type DeploymentEnvironment = z.output<typeof DeploymentEnvironmentSchema>;
export type EnvironmentAccounts = z.output<typeof EnvironmentAccountsSchema>;
export type Delivery = z.output<typeof DeliverySchema>;
export type Capability = Blueprint['backOffice']['capabilities'][number];
export type Operation = Capability['operations'][number];
export type Product = Blueprint['frontOffice']['products'][number];
export type Partner = Blueprint['broker']['partners'][number];
export type CostCentreBudget = NonNullable<Blueprint['backOffice']['budgets']>[number];
export type CostManagement = NonNullable<Blueprint['costManagement']>;
export type Organization = z.output<typeof OrganizationSchema>;
export type CostTagContract = Blueprint['costTags'];
export type AccountQuotas = z.output<typeof AccountQuotasSchema>;
export type TagRole = Exclude<keyof CostTagContract, 'additional'>;
