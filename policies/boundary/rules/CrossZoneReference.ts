import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from '../../nag-core';
import { BoundaryIndex, findingPart, isObject, StackInfo } from '../boundary-index';

/**
 * A front-office resource references a back-office stack: a cross-stack reference (strong or
 * weak), an imported export, an SSM parameter the back office publishes, or a literal that names
 * a back-office stack. The front office learns about the back office only from the broker's
 * published manifest, which is not in the back office.
 */
export function crossZoneReference(node: CfnResource, index: BoundaryIndex): NagRuleResult {
  if (index.zoneOf(node) !== 'front-office') return NagRuleCompliance.NOT_APPLICABLE;
  const self = index.resourceOf(node);
  if (!self) return NagRuleCompliance.NOT_APPLICABLE;
  const findings = backOfficeReferences(index, self.resource, self.stack);
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

/** Every way a template fragment of a front-office stack points into the back office. */
export function backOfficeReferences(
  index: BoundaryIndex,
  fragment: unknown,
  from: StackInfo,
): string[] {
  const backOffice = index.stacksIn('back-office');
  if (backOffice.length === 0) return [];
  const parameters = backOfficeParameters(index);
  const findings = new Set<string>();

  const visitString = (text: string) => {
    for (const stack of backOffice) {
      if (text.toLowerCase().includes(stack.name.toLowerCase()))
        findings.add(`Name::${stack.name}`);
    }
    for (const m of text.matchAll(/\{\{resolve:ssm(?:-secure)?:([^:}]+)/g)) {
      if (parameters.has(m[1])) findings.add(`Parameter::${m[1]}`);
    }
  };
  const visit = (value: unknown): void => {
    if (typeof value === 'string') return visitString(value);
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      if (fn === 'Fn::GetStackOutput') {
        const target = index.stackOutput(arg);
        if (target?.stack.zone === 'back-office') {
          findings.add(`StackOutput::${target.stack.name}`);
          return;
        }
      }
      if (fn === 'Fn::ImportValue' && typeof arg === 'string') {
        const target = index.exportNamed(arg);
        if (target?.stack.zone === 'back-office') {
          findings.add(`Export::${arg}`);
          return;
        }
      }
      if (fn === 'Ref' && typeof arg === 'string') {
        const parameter = from.template.Parameters?.[arg];
        if (
          parameter?.Type?.startsWith('AWS::SSM::Parameter::Value') &&
          typeof parameter.Default === 'string' &&
          parameters.has(parameter.Default)
        ) {
          findings.add(`Parameter::${parameter.Default}`);
          return;
        }
      }
    }
    for (const [, x] of entries) visit(x);
  };
  visit(fragment);
  return [...findings].map(findingPart);
}

/** Names of the SSM parameters the back-office stacks create. */
function backOfficeParameters(index: BoundaryIndex): Set<string> {
  return index.once('backOfficeParameters', () => {
    const names = new Set<string>();
    for (const ref of index.resources()) {
      if (ref.stack.zone !== 'back-office' || ref.resource.Type !== 'AWS::SSM::Parameter') continue;
      const name = ref.resource.Properties?.Name;
      if (typeof name === 'string') names.add(name);
    }
    return names;
  });
}

/**
 * Front-office stacks that depend on a back-office stack (an explicit `addDependency`, or one
 * CDK added for a reference) where no resource shows the reference: the finding then sits on
 * the stack itself.
 */
export function crossZoneDependencies(
  index: BoundaryIndex,
): { stack: StackInfo; finding: string }[] {
  const out: { stack: StackInfo; finding: string }[] = [];
  for (const info of index.stacksIn('front-office')) {
    for (const dependency of info.stack.dependencies) {
      const target = index.stackNamed(dependency.stackName);
      if (target?.zone !== 'back-office') continue;
      const shown = Object.values(info.template.Resources ?? {}).some(
        (resource) => backOfficeReferences(index, resource, info).length > 0,
      );
      if (!shown) out.push({ stack: info, finding: findingPart(`DependsOn::${target.name}`) });
    }
  }
  return out;
}
