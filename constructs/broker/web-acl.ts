import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface RegionalWebAclProps {
  /** ARNs of the regional resources to protect, e.g. an API Gateway stage. */
  readonly resourceArns: readonly string[];
  /**
   * Requests one IP may make in five minutes before it is blocked.
   * @default 1000
   */
  readonly rateLimitPerIp?: number;
  /** Metric name prefix. */
  readonly metricPrefix: string;
}

/**
 * A regional WAF web ACL in front of the broker.
 *
 * Default settings: AWS managed common rule set and known-bad-inputs rule set, then a per-IP rate
 * limit of 1,000 requests in five minutes; CloudWatch metrics and sampled requests on every rule.
 */
export class RegionalWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: RegionalWebAclProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}${name}`,
    });
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'Office Zones broker: managed rule groups and a per-IP rate limit.',
      visibilityConfig: visibility('WebAcl'),
      rules: [
        managed('AWSManagedRulesCommonRuleSet', 0),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        {
          name: 'RateLimitPerIp',
          priority: 2,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.rateLimitPerIp ?? 1000, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
      ],
    });

    props.resourceArns.forEach((resourceArn, i) => {
      new wafv2.CfnWebACLAssociation(this, i === 0 ? 'Association' : `Association${i + 1}`, {
        resourceArn,
        webAclArn: this.webAcl.attrArn,
      });
    });
  }
}
