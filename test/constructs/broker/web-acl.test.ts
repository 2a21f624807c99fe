import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import Ajv from 'ajv-draft-04';
import {
  brokerBodyLimitBytes,
  largestCommandBody,
  REFERENCE_BLUEPRINT,
} from '../../../lib/blueprint';
import { parseBlueprint } from '../../../lib/blueprint';
import { RegionalWebAcl } from '../../../constructs/broker/web-acl';
import { buildReference, errorOf, testStack } from '../../helpers';
import { synthesizedMethods } from '../../support/api-gateway-methods';

/**
 * What the broker's web ACL does with a request body of a given size, simulated from the
 * synthesized rules as AWS WAF documents them: API Gateway forwards at most the association's
 * inspection size; a size constraint with oversize handling MATCH matches a body larger than that;
 * the common rule set's SizeRestrictions_BODY blocks bodies over 8 KB unless overridden to count.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 */
function wafDecision(webAcl: any, bodyBytes: number): string {
  const inspection =
    {
      KB_16: 16_384,
      KB_32: 32_768,
      KB_48: 49_152,
      KB_64: 65_536,
    }[webAcl.AssociationConfig?.RequestBody?.API_GATEWAY?.DefaultSizeInspectionLimit as string] ??
    16_384;
  const rules = [...webAcl.Rules].sort((a: any, b: any) => a.Priority - b.Priority);
  for (const rule of rules) {
    const size = rule.Statement.SizeConstraintStatement;
    if (size?.FieldToMatch?.Body) {
      const oversize = bodyBytes > inspection;
      const matched =
        (oversize && size.FieldToMatch.Body.OversizeHandling === 'MATCH') ||
        (size.ComparisonOperator === 'GT' && Math.min(bodyBytes, inspection) > size.Size);
      if (matched && rule.Action?.Block) return `blocked by ${rule.Name}`;
    }
    const group = rule.Statement.ManagedRuleGroupStatement;
    if (group?.Name === 'AWSManagedRulesCommonRuleSet' && bodyBytes > 8_192) {
      const counted = (group.RuleActionOverrides ?? []).some(
        (o: any) => o.Name === 'SizeRestrictions_BODY' && o.ActionToUse?.Count,
      );
      if (!counted) return 'blocked by AWSManagedRulesCommonRuleSet/SizeRestrictions_BODY';
    }
  }
  return 'allowed';
}

/** The reference's order at its largest: every field at its longest, every character its widest. */
function largestValidOrder() {
  return {
    orderId: 'ORD-' + '9'.repeat(60),
    customerId: '\u0001'.repeat(64),
    currency: 'GBP',
    lines: Array.from({ length: 100 }, () => ({
      sku: 'A'.repeat(32),
      quantity: 1000,
      unitPrice: 1.7976931348623157e308,
    })),
  };
}

describe('the broker web ACL and the largest valid body', () => {
  const template = Template.fromStack(buildReference().stacks.broker).toJSON();
  const webAcl = Object.values<any>(template.Resources).find(
    (r) => r.Type === 'AWS::WAFv2::WebACL',
  ).Properties;
  const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
  const orders = blueprint.backOffice.capabilities[0];
  const bound = largestCommandBody(orders, orders.operations[0]).bytes!;

  test('fails when WAF refuses a valid order the model accepts', () => {
    const order = largestValidOrder();
    const model = synthesizedMethods(template).find((m) => m.httpMethod === 'POST')!.requestModels[
      'application/json'
    ];
    expect(new Ajv().validate(model, order)).toBe(true);
    const bytes = Buffer.byteLength(JSON.stringify(order));
    expect(bytes).toBeGreaterThan(8_192); // the common rule set alone would block it
    expect(bytes).toBeLessThanOrEqual(bound);
    expect(wafDecision(webAcl, bytes)).toBe('allowed');
    expect(wafDecision(webAcl, bound)).toBe('allowed');
  });

  test('fails when a body over the limit, or too large to inspect, passes', () => {
    const limit = brokerBodyLimitBytes(blueprint);
    expect(limit).toBeGreaterThanOrEqual(bound);
    expect(wafDecision(webAcl, limit + 1)).toBe('blocked by BodySizeLimit');
    expect(wafDecision(webAcl, 10 * 1024 * 1024)).toBe('blocked by BodySizeLimit');
  });
});

describe('RegionalWebAcl maxBodyBytes', () => {
  const acl = (stack: Stack, maxBodyBytes?: number) =>
    new RegionalWebAcl(stack, 'WebAcl', { resourceArns: [], metricPrefix: 'T', maxBodyBytes });

  test.each([
    [undefined, 16_384, 'KB_16'],
    [20_000, 20_000, 'KB_32'],
    [65_536, 65_536, 'KB_64'],
  ])('maxBodyBytes %p blocks over %p and inspects %s', (maxBodyBytes, size, inspection) => {
    const stack = testStack();
    acl(stack, maxBodyBytes);
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
      AssociationConfig: {
        RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: inspection } },
      },
    });
    const props = Object.values<any>(Template.fromStack(stack).toJSON().Resources)[0].Properties;
    expect(wafDecision(props, size)).toBe('allowed');
    expect(wafDecision(props, size + 1)).toBe('blocked by BodySizeLimit');
  });

  test.each([0, 65_537])(
    'fails when maxBodyBytes is %p, naming the construct and the value',
    (n) => {
      expect(errorOf(() => acl(testStack(), n))).toBe(
        `Test/WebAcl: maxBodyBytes must be 1 to 65536, the most AWS WAF inspects of an API Gateway request body (received: ${n})`,
      );
    },
  );
});
