import { App, Stack } from 'aws-cdk-lib';
import {
  type EngineRequest,
  loadIamSimulateInProcess,
} from '../../../policies/access-paths/engine';
import { evaluateAccessPathsAsync } from '../../../policies/access-paths/evaluate';
import type {
  AccessPathReport,
  AccessPathResult,
  AccessPathSettings,
  AccessPathZone,
  StackTemplate,
} from '../../../policies/access-paths/model';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const EXEC_ROLE = `cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`;

/** Settings of a small test assembly; tests add what their kind reads. */
export function settings(over: Partial<AccessPathSettings> = {}): AccessPathSettings {
  return {
    account: ACCOUNT,
    region: REGION,
    executionRoleName: EXEC_ROLE,
    integrationRoleNames: [],
    serviceControlPolicies: { 'front-office': [], 'back-office': [], integration: [] },
    ...over,
  };
}

/** A fresh app whose stacks are environment-agnostic, like the blueprint's. */
export function newApp(): App {
  return new App();
}

/** The synthesized templates of an app, each stack in the zone the test says. */
export function templatesOf(
  app: App,
  zones: Record<string, AccessPathZone | undefined> = {},
): StackTemplate[] {
  const assembly = app.synth();
  return assembly.stacks.map((s) => ({
    stackName: s.stackName,
    zone: zones[s.stackName],
    template: s.template,
    tags: s.tags,
  }));
}

const engine = loadIamSimulateInProcess();

/** Evaluates an app's access paths with the engine, in this process. */
export async function evaluate(
  app: App,
  zones: Record<string, AccessPathZone | undefined>,
  over: Partial<AccessPathSettings> = {},
): Promise<AccessPathReport> {
  if (!engine) throw new Error('the tests need @cloud-copilot/iam-simulate (a devDependency)');
  return evaluateAccessPathsAsync(templatesOf(app, zones), settings(over), engine);
}

/** The paths of one kind. */
export function ofKind(report: AccessPathReport, kind: string): AccessPathResult[] {
  return report.paths.filter((p) => p.kind === kind);
}

/** One path by id; fails the test with the ids there are when it is missing. */
export function path(report: AccessPathReport, id: string): AccessPathResult {
  const found = report.paths.find((p) => p.id === id);
  if (!found)
    throw new Error(`no path ${id}; there are: ${report.paths.map((p) => p.id).join(', ')}`);
  return found;
}

/** `id decision` lines, for assertions that show every path at once. */
export function decisions(paths: readonly AccessPathResult[]): string[] {
  return paths.map((p) => `${p.id} ${p.decision}`);
}

export function stack(app: App, id: string): Stack {
  return new Stack(app, id);
}

/** A policy document that allows `action` on every resource. */
export function allowAll(action: string) {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] };
}

/**
 * One engine request: a role of the test account calling `action` on a queue, with `policy` as its
 * only identity policy, under the full-access SCP. Each call builds new objects, as the evaluation
 * does: packing finds equal documents by their text.
 */
export function queueRequest(role: string, action: string, policy: object): EngineRequest {
  return {
    simulation: {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        action,
        resource: { resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:queue`, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true' },
      },
      identityPolicies: [{ name: 'inline', policy: JSON.parse(JSON.stringify(policy)) }],
      serviceControlPolicies: [
        { orgIdentifier: 'r-root', policies: [{ name: 'full', policy: allowAll('*') }] },
      ],
      resourceControlPolicies: [],
    },
  };
}
