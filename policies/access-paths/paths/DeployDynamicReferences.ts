import type { AccessPathContext } from '../evaluate';
import type { AccessPath, StackTemplate } from '../model';
import { AccessPathKind, asRole, encryptionKeyOf, idOf, keyPaths, slug, stacksOf } from './shared';

/**
 * CloudFormation resolves `{{resolve:secretsmanager:...}}`, `{{resolve:ssm:...}}` and template
 * parameters of the `AWS::SSM::Parameter::Value` types with the permissions of whoever runs the
 * stack operation, the CDK bootstrap's execution role, each time it creates or updates the
 * resource that holds the reference. A secret encrypted with a customer managed key is decrypted
 * through Secrets Manager with the same role.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types
 */
export const deployDynamicReferences: AccessPathKind = {
  name: 'DeployDynamicReferences',
  description:
    'The CloudFormation execution role resolves every dynamic reference and SSM-typed parameter of every template.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const paths: AccessPath[] = [];
    for (const r of asm.resources) {
      const exec = ctx.executionRoleArnFor(r.stack);
      const text = JSON.stringify(r.props);
      const refs = [...text.matchAll(/\{\{resolve:(secretsmanager|ssm|ssm-secure):([^}]*)\}\}/g)];
      refs.forEach((m, i) => {
        const base = {
          phase: 'deploy' as const,
          expect: 'allow' as const,
          kind: 'DeployDynamicReferences',
          principalZone: r.stack.zone,
        };
        const id = `deploy.resolve.${idOf(ctx, r)}${refs.length > 1 ? `.${i + 1}` : ''}`;
        if (m[1] === 'secretsmanager') {
          const secretId = secretIdOf(m[2]);
          const secret = secretId.startsWith('arn:')
            ? ctx.resourceByArn(secretId)
            : asm
                .ofType('AWS::SecretsManager::Secret')
                .find((s) => asm.refOf(s).includes(`:secret:${secretId}-`));
          const arn = secret
            ? asm.arnOf(secret)
            : secretId.startsWith('arn:')
              ? secretId
              : asm.arn('secretsmanager', `secret:${secretId}-??????`);
          const description = `CloudFormation, as the execution role, resolves the secret reference in ${r.where} (${r.type}) when it creates or updates it`;
          paths.push({
            ...base,
            id,
            description,
            principal: asRole(exec),
            action: 'secretsmanager:GetSecretValue',
            resource: arn,
            stacks: stacksOf(r, secret),
          });
          if (secret)
            paths.push(
              ...keyPaths(
                ctx,
                { ...base, id, description, stacks: stacksOf(r, secret) },
                exec,
                'secretsmanager',
                encryptionKeyOf(ctx, secret),
                ['kms:Decrypt'],
              ),
            );
        } else {
          const name = m[2].split(':')[0];
          paths.push({
            ...base,
            id,
            description: `CloudFormation, as the execution role, resolves the SSM parameter ${name} in ${r.where}`,
            principal: asRole(exec),
            action: 'ssm:GetParameters',
            resource: parameterArn(ctx, r.stack, name),
            stacks: stacksOf(r),
          });
        }
      });
    }
    for (const stack of asm.stacks) {
      for (const [name, param] of Object.entries(stack.template.Parameters ?? {})) {
        if (!param.Type?.startsWith('AWS::SSM::Parameter::Value')) continue;
        const parameterName = String(param.Default);
        const exec = ctx.executionRoleArnFor(stack);
        const resource = parameterArn(ctx, stack, parameterName);
        const source = asm.ofType('AWS::SSM::Parameter').find((p) => asm.arnOf(p) === resource);
        paths.push({
          id: `deploy.resolve.${slug(stack.stackName)}.${slug(name.replace(/[0-9A-F]{32}Parameter$/, ''))}`,
          phase: 'deploy',
          expect: 'allow',
          kind: 'DeployDynamicReferences',
          principalZone: stack.zone,
          description: `CloudFormation, as the execution role, reads the SSM parameter ${parameterName} into the parameter ${name} of ${stack.stackName}`,
          principal: asRole(exec),
          action: 'ssm:GetParameters',
          resource,
          stacks: [...new Set([stack.stackName, ...stacksOf(source)])],
        });
      }
    }
    return paths;
  },
};

/** `<secret-id>:SecretString:<json-key>:<version-stage>:<version-id>`: the secret id is an ARN (with colons) or a name. */
function secretIdOf(reference: string): string {
  const arn = /^(arn:[^:]+:secretsmanager:[^:]+:[^:]+:secret:[^:]+)/.exec(reference);
  return arn ? arn[1] : reference.split(':')[0];
}

/**
 * The ARN of the parameter a template names: a name is a parameter of the stack's own account and
 * region; an ARN (a parameter shared from another account) is itself.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html
 */
function parameterArn(ctx: AccessPathContext, stack: StackTemplate, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const asm = ctx.assembly;
  return asm.arn('ssm', `parameter/${nameOrArn.replace(/^\//, '')}`, {
    account: asm.accountOf(stack),
    region: asm.regionOf(stack),
  });
}
