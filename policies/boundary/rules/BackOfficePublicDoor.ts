import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { asList, BoundaryIndex, isObject, isRef, ResourceRef, StackInfo } from '../boundary-index';

/** Resource types that give a zone an API or endpoint of its own. */
const API_TYPES = new Set([
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGatewayV2::Api',
  'AWS::AppSync::GraphQLApi',
  'AWS::Lambda::Url',
  'AWS::CloudFront::Distribution',
  'AWS::Transfer::Server',
]);

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/**
 * The back office has a public door: an internet gateway, a public subnet or route, an
 * internet-facing load balancer, security-group ingress from anywhere, a public bucket, a
 * function URL without IAM auth, or an API of its own. Only the broker may face callers.
 */
export function backOfficePublicDoor(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const inBackOffice = self.stack.zone === 'back-office';
  const props = self.resource.Properties ?? {};
  const findings: string[] = [];

  switch (self.resource.Type) {
    case 'AWS::EC2::SecurityGroupIngress':
      // Ingress may be added from another stack to a back-office group.
      if (inBackOffice || targetsBackOffice(index, props.GroupId, self.stack)) {
        findings.push(...openIngress([props]));
      }
      return result(findings);
  }
  if (!inBackOffice) return NagRuleCompliance.NOT_APPLICABLE;

  switch (self.resource.Type) {
    case 'AWS::EC2::InternetGateway':
      findings.push('InternetGateway');
      break;
    case 'AWS::EC2::VPCGatewayAttachment':
      if (props.InternetGatewayId !== undefined) findings.push('InternetGatewayAttachment');
      break;
    case 'AWS::EC2::Route':
      if (routesToInternetGateway(index, self)) findings.push('PublicRoute');
      break;
    case 'AWS::EC2::Subnet':
      if (props.MapPublicIpOnLaunch === true || props.MapPublicIpOnLaunch === 'true') {
        findings.push('PublicSubnet::MapPublicIpOnLaunch');
      }
      if (subnetHasPublicRoute(index, self)) findings.push('PublicSubnet::RouteToInternetGateway');
      break;
    case 'AWS::EC2::Instance':
      for (const eni of asList(props.NetworkInterfaces)) {
        if (
          isObject(eni) &&
          (eni.AssociatePublicIpAddress === true || eni.AssociatePublicIpAddress === 'true')
        ) {
          findings.push('PublicIp');
        }
      }
      break;
    case 'AWS::EC2::EIP':
      findings.push('ElasticIp');
      break;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
    case 'AWS::ElasticLoadBalancing::LoadBalancer':
      if (props.Scheme !== 'internal') findings.push('InternetFacingLoadBalancer');
      break;
    case 'AWS::EC2::SecurityGroup':
      findings.push(...openIngress(asList(props.SecurityGroupIngress)));
      break;
    case 'AWS::S3::Bucket':
      findings.push(...publicBucket(props));
      break;
    case 'AWS::Lambda::Permission':
      if (props.FunctionUrlAuthType === 'NONE') findings.push('FunctionUrlAuthNone');
      break;
  }
  if (API_TYPES.has(self.resource.Type)) {
    findings.push(`Api::${self.resource.Type}`);
    if (self.resource.Type === 'AWS::Lambda::Url' && props.AuthType !== 'AWS_IAM') {
      findings.push('FunctionUrlAuthNone');
    }
  }
  return result(findings);
}

function result(findings: string[]): NagRuleResult {
  return findings.length > 0 ? [...new Set(findings)] : NagRuleCompliance.COMPLIANT;
}

function openIngress(rules: unknown[]): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    if (!isObject(rule)) continue;
    for (const cidr of [rule.CidrIp, rule.CidrIpv6]) {
      if (typeof cidr === 'string' && OPEN_CIDRS.has(cidr)) out.push(`Ingress::${cidr}`);
    }
  }
  return out;
}

function publicBucket(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const block = props.PublicAccessBlockConfiguration;
  const flags = [
    'BlockPublicAcls',
    'BlockPublicPolicy',
    'IgnorePublicAcls',
    'RestrictPublicBuckets',
  ];
  // Without a configuration S3 blocks all public access to a new bucket; with one, every flag must be on.
  if (
    block !== undefined &&
    (!isObject(block) || flags.some((f) => block[f] !== true && block[f] !== 'true'))
  ) {
    out.push('PublicBucket::BlockPublicAccess');
  }
  if (
    typeof props.AccessControl === 'string' &&
    /^(PublicRead|PublicReadWrite|AuthenticatedRead)$/.test(props.AccessControl)
  ) {
    out.push(`PublicBucket::${props.AccessControl}`);
  }
  if (props.WebsiteConfiguration !== undefined) out.push('PublicBucket::Website');
  return out;
}

function targetsBackOffice(index: BoundaryIndex, value: unknown, from: StackInfo): boolean {
  return index.referencesIn(value, from).some((r) => r.stack.zone === 'back-office');
}

function isInternetGateway(index: BoundaryIndex, value: unknown, from: StackInfo): boolean {
  if (typeof value === 'string') return value.startsWith('igw-');
  return index
    .pieces(value, from)
    .some((p) => isRef(p) && p.ref.resource.Type === 'AWS::EC2::InternetGateway');
}

function routesToInternetGateway(index: BoundaryIndex, route: ResourceRef): boolean {
  return isInternetGateway(index, route.resource.Properties?.GatewayId, route.stack);
}

function subnetHasPublicRoute(index: BoundaryIndex, subnet: ResourceRef): boolean {
  const routeTables = new Set<string>();
  for (const ref of index.resources()) {
    if (ref.stack !== subnet.stack || ref.resource.Type !== 'AWS::EC2::SubnetRouteTableAssociation')
      continue;
    const props = ref.resource.Properties ?? {};
    const subnets = index.pieces(props.SubnetId, ref.stack).filter(isRef);
    if (!subnets.some((p) => p.ref.logicalId === subnet.logicalId)) continue;
    for (const p of index.pieces(props.RouteTableId, ref.stack))
      if (isRef(p)) routeTables.add(p.ref.logicalId);
  }
  for (const ref of index.resources()) {
    if (ref.stack !== subnet.stack || ref.resource.Type !== 'AWS::EC2::Route') continue;
    const props = ref.resource.Properties ?? {};
    const table = index.pieces(props.RouteTableId, ref.stack).find(isRef);
    if (table && routeTables.has(table.ref.logicalId) && routesToInternetGateway(index, ref))
      return true;
  }
  return false;
}
