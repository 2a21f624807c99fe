import { CfnElement, Stage } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import {
  CodePipeline,
  CodePipelineSource,
  ManualApprovalStep,
  ShellStep,
} from 'aws-cdk-lib/pipelines';
import { Construct, IConstruct } from 'constructs';
import { applyCostTags, requireCostTags } from '../../constructs/cost-attribution/cost-attribution';
import { contractKeys } from '../blueprint/cost-tags';
import { acknowledge } from '../../policies/acknowledge';
import {
  type Blueprint,
  type Delivery,
  type DeploymentEnvironment,
  requiresApproval,
  SHARED_PRODUCT_TAGS,
} from '../blueprint';
import { ZoneStack, ZoneStackProps } from './zone-stack';

/** One environment the pipeline deploys: what the blueprint declares and the stage built for it. */
export interface DeliveryTarget {
  /** The environment as the blueprint declares it (its name and `approval`). */
  readonly environment: DeploymentEnvironment;
  /**
   * The stage that holds the environment's stacks (`<stackPrefix>-<environment>`). It must be
   * complete when the pipeline stack is built: CDK Pipelines synthesizes it in `addStage`.
   */
  readonly stage: Stage;
}

export interface DeliveryPipelineStackProps extends Omit<ZoneStackProps, 'attribution' | 'env'> {
  /** The blueprint's `delivery` block: the account, region, repository, branch and connection. */
  readonly delivery: Delivery;
  /**
   * The region of the pipeline when `delivery.region` is not given.
   * @default - `delivery.region`; one of the two must be given
   */
  readonly defaultRegion?: string;
  /**
   * The blueprint file as the repository holds it, relative to the repository root with `/`
   * separators (e.g. `examples/blueprints/multi-account.yaml`): the synth step runs
   * `npx cdk synth -c blueprint=<this file>`, so the pipeline builds what this synth built.
   */
  readonly blueprintFile: string;
  /** Every environment, in the order the pipeline deploys them (the blueprint's order). */
  readonly targets: readonly DeliveryTarget[];
}

/**
 * The blueprint's delivery pipeline (DEC-037), owned by IT like the broker and attributed to the
 * integration zone with the product tag `delivery`. A CDK pipeline in the delivery account:
 *
 * - Source: the blueprint's repository and branch through its AWS CodeConnections connection
 *   (`CodePipelineSource.connection`), read at deploy time, never at synth.
 * - Build: `npm ci` and `npx cdk synth -c blueprint=<blueprintFile>`.
 * - UpdatePipeline: the pipeline updates itself first (self-mutation), then Assets publishes the
 *   stacks' file assets into each target account's bootstrap bucket.
 * - One stage per environment, in the blueprint's order; a manual approval before each one that
 *   asks for it (`approval`, default: only `prod`). Inside a stage CDK Pipelines orders the stacks
 *   by their dependencies: the back office, then the broker and its consumers, the front-office
 *   guardrails, then the products in parallel.
 *
 * Default settings:
 * - cross-account KMS keys on the artifact bucket (`crossAccountKeys: true`), rotated yearly
 *   (`enableKeyRotation: true`): every target account reads the artifacts;
 * - assets published by one CodeBuild project per asset type (`publishAssetsInParallel: false`),
 *   so the pipeline stack does not grow by a project per asset;
 * - no Docker in any build step (no Docker image assets).
 *
 * Every target account must be bootstrapped with `--trust <delivery account>` and the blueprint's
 * qualifier; the pipeline is deployed once by hand (`cdk deploy <stackPrefix>-Delivery`) and
 * updates itself after that.
 *
 * @throws Error when neither `delivery.region` nor `defaultRegion` is given, or when
 *   `blueprintFile` is absolute or leaves the repository
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.pipelines-readme.html
 * @see https://docs.aws.amazon.com/cdk/v2/guide/cdk-pipeline.html
 */
export class DeliveryPipelineStack extends ZoneStack {
  readonly pipeline: CodePipeline;

  constructor(scope: Construct, id: string, props: DeliveryPipelineStackProps) {
    const { blueprint, delivery, blueprintFile, targets } = props;
    const region = delivery.region ?? props.defaultRegion;
    if (region === undefined)
      throw new Error(`${id}: the delivery pipeline needs a region (delivery.region)`);
    if (!isRepositoryPath(blueprintFile))
      throw new Error(
        `${id}: blueprintFile must be a path inside the repository, relative to its root (received: ${JSON.stringify(blueprintFile)})`,
      );
    super(scope, id, {
      description: `Office Zones delivery pipeline of ${blueprint.enterprise}: deploys ${targets.map((t) => t.environment.name).join(', then ')} from ${delivery.repository}@${delivery.branch}.`,
      terminationProtection: true,
      ...props,
      // The pipeline belongs to no single environment: its environment tag says so.
      blueprint: deliveryBlueprint(blueprint),
      env: { account: delivery.account, region },
      attribution: {
        zone: 'integration',
        costCentre: blueprint.broker.costCentre,
        owner: blueprint.broker.owner,
        product: SHARED_PRODUCT_TAGS.delivery,
      },
    });

    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: id,
      synth: new ShellStep('Synth', {
        input: CodePipelineSource.connection(delivery.repository, delivery.branch, {
          connectionArn: delivery.connectionArn,
        }),
        commands: ['npm ci', `npx cdk synth -c blueprint=${blueprintFile}`],
      }),
      crossAccountKeys: true,
      enableKeyRotation: true,
      publishAssetsInParallel: false,
    });
    for (const { environment, stage } of targets) {
      this.pipeline.addStage(stage, {
        pre: requiresApproval(environment)
          ? [
              new ManualApprovalStep(`Approve-${environment.name}`, {
                comment: `Deploy ${stage.stageName} (${environment.name}) to its accounts?`,
              }),
            ]
          : [],
      });
    }
    this.pipeline.buildPipeline();
    // The support stacks CodePipeline adds for other regions (the management account's stacks are
    // in us-east-1) hold a replication bucket and key: the pipeline's, so its cost tags.
    for (const { stack } of Object.values(this.pipeline.pipeline.crossRegionSupport)) {
      applyCostTags(stack, this.costTags);
      requireCostTags(stack, contractKeys(blueprint));
    }
    acknowledgePipelineFindings(this);
  }
}

/** The blueprint as the pipeline stack's tags see it: environment `delivery`. */
function deliveryBlueprint(blueprint: Blueprint): Blueprint {
  return { ...blueprint, environment: SHARED_PRODUCT_TAGS.delivery };
}

/** A relative path that stays inside the repository. */
function isRepositoryPath(file: string): boolean {
  return (
    file !== '' &&
    !file.startsWith('/') &&
    !/^[A-Za-z]:/.test(file) &&
    !file.includes('\\') &&
    !file.split('/').includes('..') &&
    /^[A-Za-z0-9_./-]+$/.test(file)
  );
}

/**
 * What AwsSolutions finds in CDK Pipelines' own resources and cannot be satisfied without
 * rewriting CDK Pipelines (DEC-037). Each id is exact; those that embed a logical id, an account
 * or a bucket name are built from the resource they name, so a rename breaks the acknowledgment
 * instead of widening it.
 */
function acknowledgePipelineFindings(stack: DeliveryPipelineStack): void {
  const pipeline = stack.pipeline;
  const { account, region } = stack;
  const partition = RegionInfo.get(region).partition ?? 'aws';
  const logicalId = (construct: IConstruct) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const artifactBucket = logicalId(pipeline.pipeline.artifactBucket);
  const projects = [pipeline.synthProject, pipeline.selfMutationProject].map(logicalId);
  const codebuild = `arn:${partition}:codebuild:${region}:${account}:report-group`;
  const logs = `arn:${partition}:logs:${region}:${account}:log-group:/aws/codebuild`;
  const support = Object.values(pipeline.pipeline.crossRegionSupport);
  const iam5: [string, string][] = [
    ...[
      'kms:GenerateDataKey*',
      'kms:ReEncrypt*',
      's3:Abort*',
      's3:DeleteObject*',
      's3:GetBucket*',
      's3:GetObject*',
      's3:List*',
    ].map((action): [string, string] => [
      `Action::${action}`,
      "CDK Pipelines grants its roles read and write on the pipeline's own artifact bucket and key with aws-cdk-lib's grantReadWrite action groups; the actions are wildcards, the resources are that bucket and key only.",
    ]),
    [
      `Resource::<${artifactBucket}.Arn>/*`,
      "The objects of the pipeline's own artifact bucket: every build and deploy action reads and writes artifacts under generated keys.",
    ],
    [
      'Resource::*',
      "CDK Pipelines' own statements: the self-mutation step lists stacks and buckets as cdk deploy does, the asset role starts its CodeBuild builds, and the pipeline role uses the cross-region replication key, whose ARN is known only in its support stack; none of them reaches a zone's data.",
    ],
    [
      `Resource::arn:*:iam::${account}:role/*`,
      'The self-mutation step assumes the CDK bootstrap roles of the delivery account (cdk deploy of the pipeline stack), limited by CDK Pipelines to roles tagged as bootstrap roles.',
    ],
    [
      `Resource::${codebuild}/*`,
      'CodeBuild test reports of the asset-publishing project, which CodeBuild names after each build; the reports hold no data of the zones.',
    ],
    [
      `Resource::${logs}/*`,
      'CloudWatch log groups of the asset-publishing project, which CodeBuild names after each build; build logs only.',
    ],
    ...projects.flatMap((project): [string, string][] => [
      [
        `Resource::${codebuild}/<${project}>-*`,
        "CodeBuild test reports of one of the pipeline's own projects, which CodeBuild names after the project.",
      ],
      [
        `Resource::${logs}/<${project}>:*`,
        "The CloudWatch log streams of one of the pipeline's own CodeBuild projects.",
      ],
    ]),
    ...support.map((s): [string, string] => [
      `Resource::arn:${partition}:s3:::${stack.resolve(s.replicationBucket.bucketName)}/*`,
      "The objects of the pipeline's cross-region replication bucket (its support stack), which carries artifacts to the regions of the management account's stacks.",
    ]),
  ];
  for (const [finding, reason] of iam5)
    acknowledge(pipeline, { id: `AwsSolutions-IAM5[${finding}]`, reason, reference: 'DEC-037' });
  const s1 =
    "Pipeline artifacts are transient build outputs, encrypted with the pipeline's rotated KMS key and readable only by the pipeline's roles and the target accounts' deploy roles; CloudTrail records the bucket's API calls. A log bucket for them would itself need this exception.";
  acknowledge(pipeline.pipeline.artifactBucket, {
    id: 'AwsSolutions-S1',
    reason: s1,
    reference: 'DEC-037',
  });
  for (const { replicationBucket } of support)
    acknowledge(replicationBucket, { id: 'AwsSolutions-S1', reason: s1, reference: 'DEC-037' });
}
