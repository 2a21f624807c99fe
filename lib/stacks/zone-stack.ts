import { DefaultStackSynthesizer, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { applyCostTags } from '../../constructs/cost-attribution/cost-attribution';
import type { Blueprint } from '../blueprint';
import { Attribution, costTags } from '../blueprint/cost-tags';
import { registerZone } from './zones';

export interface ZoneStackProps extends StackProps {
  readonly blueprint: Blueprint;
  /** Who pays for what the stack holds; its zone is the zone the stack belongs to. */
  readonly attribution: Attribution;
}

/**
 * A stack the blueprint builds. It belongs to the zone of its attribution (registered for the
 * boundary rules) and carries the cost-tag contract both ways: on every taggable resource in its
 * template and as stack tags, which CloudFormation propagates at deploy. It is deployed with the
 * CDK bootstrap of the blueprint's qualifier (`deployment.bootstrapQualifier`): its roles, its
 * asset bucket and the version check.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/customize-synth.html
 */
export abstract class ZoneStack extends Stack {
  /** The cost tags of the stack; a construct inside may be attributed more precisely. */
  readonly costTags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ZoneStackProps) {
    const tags = costTags(props.blueprint, props.attribution);
    const qualifier = props.blueprint.deployment.bootstrapQualifier;
    super(scope, id, { tags, synthesizer: new DefaultStackSynthesizer({ qualifier }), ...props });
    this.costTags = tags;
    registerZone(this, props.attribution.zone);
    applyCostTags(this, tags);
  }

  /**
   * Two availability zones resolved by CloudFormation at deploy (`Fn::GetAZs`), also when the
   * stack has an account and region: aws-cdk-lib would otherwise look them up in the account
   * (a context lookup), and synth, the delivery pipeline's included, would need AWS credentials.
   * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
   */
  override get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}
