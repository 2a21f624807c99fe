import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * Registers the security gate on an app: cdk-nag's AwsSolutions pack. Any finding that is not
 * acknowledged fails synth, and the report lands in `cdk.out/validation-report.json`.
 */
export function registerSecurityChecks(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
