import { DefaultStackSynthesizer, Fn, Stack, StackProps, Token } from 'aws-cdk-lib';
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
   * The availability zones a VPC spreads over. A stack with an explicit env would look them up in
   * the account at synth (a context lookup, which needs credentials); Office Zones' stacks make no
   * lookups, so every stack takes the first two zones of its region at deploy time
   * (`Fn::GetAZs`), as an environment-agnostic stack does.
   * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Stack.html#availabilityzones
   */
  override get availabilityZones(): string[] {
    if (Token.isUnresolved(this.account) || Token.isUnresolved(this.region))
      return super.availabilityZones;
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}
