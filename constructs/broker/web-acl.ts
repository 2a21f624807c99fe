import { Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { BROKER_DEFAULTS } from './defaults';

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
  /**
   * The largest request body, in bytes, the web ACL lets through; larger bodies are blocked. It
   * replaces the common rule set's fixed 8 KB `SizeRestrictions_BODY` (counted, not blocking), and
   * sets how much of each body API Gateway forwards to WAF to the smallest inspection size that
   * holds it (16, 32, 48 or 64 KB; sizes above 16 KB are charged extra).
   *
   * Range: 1 to 65,536.
   * @default 16384
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
   */
  readonly maxBodyBytes?: number;
}

/** The body sizes API Gateway can forward to AWS WAF for inspection, in bytes, with their names. */
export const WAF_BODY_INSPECTION_SIZES = [
  [16_384, 'KB_16'],
  [32_768, 'KB_32'],
  [49_152, 'KB_48'],
  [65_536, 'KB_64'],
] as const;

/**
 * A regional WAF web ACL in front of the broker.
 *
 * Default settings: request bodies over 16 KB blocked (`maxBodyBytes`; the common rule set's own
 * 8 KB body rule only counts, DEC-018); AWS managed common rule set and known-bad-inputs rule set;
 * a per-IP rate limit of 1,000 requests in five minutes; CloudWatch metrics and sampled requests on
 * every rule.
 */
export class RegionalWebAcl extends Construct {
  /** The web ACL. */
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: RegionalWebAclProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}${name}`,
    });
    const managed = (
      name: string,
      priority: number,
      ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
      visibilityConfig: visibility(name),
    });
    const maxBodyBytes = props.maxBodyBytes ?? BROKER_DEFAULTS.webAcl.maxBodyBytes;
    const inspection = WAF_BODY_INSPECTION_SIZES.find(([bytes]) => bytes >= maxBodyBytes);
    if (!Token.isUnresolved(maxBodyBytes) && (!inspection || maxBodyBytes < 1)) {
      throw new Error(
        `${this.node.path}: maxBodyBytes must be 1 to 65536, the most AWS WAF inspects of an API Gateway request body (received: ${maxBodyBytes})`,
      );
    }

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'Office Zones broker: managed rule groups and a per-IP rate limit.',
      visibilityConfig: visibility('WebAcl'),
      // API Gateway forwards this much of each body to WAF; a larger body counts as oversize.
      associationConfig: {
        requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: inspection![1] } },
      },
      rules: [
        {
          // Blocks bodies over the broker's limit, and (oversize handling MATCH) every body too
          // large to inspect whole.
          name: 'BodySizeLimit',
          priority: 0,
          action: { block: {} },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: maxBodyBytes,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('BodySizeLimit'),
        },
        // The common rule set blocks bodies over 8 KB, which valid commands can exceed; its body
        // rule only counts, and BodySizeLimit above enforces the broker's own limit.
        managed('AWSManagedRulesCommonRuleSet', 1, [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ]),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
        {
          name: 'RateLimitPerIp',
          priority: 3,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPerIp ?? BROKER_DEFAULTS.webAcl.rateLimitPerIp,
              aggregateKeyType: 'IP',
            },
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
