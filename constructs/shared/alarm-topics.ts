import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';

/** The service principal CloudWatch alarms publish to SNS as. */
export const CLOUDWATCH_ALARMS = 'cloudwatch.amazonaws.com';

/**
 * Lets CloudWatch alarms of this account and region publish to a topic, and use the key that
 * encrypts it. Returns the problems, e.g. an imported key whose policy cannot be changed.
 *
 * - A topic policy (`enforceSSL` makes one) replaces SNS's default policy, which is what let alarms
 *   publish; without an allow for `cloudwatch.amazonaws.com` every notification fails with
 *   "not authorized to perform: SNS:Publish". The allow is tied to this account and its alarms by
 *   `aws:SourceAccount` and `aws:SourceArn` (`arn:<partition>:cloudwatch:<region>:<account>:alarm:*`).
 * - An encrypted topic needs the key policy to let CloudWatch call `kms:GenerateDataKey*` and
 *   `kms:Decrypt` (SNS's list for AWS services that publish to encrypted topics). The allow is tied
 *   to this account's topics in this region by the encryption context SNS sends,
 *   `aws:sns:topicArn`: the topic's own ARN cannot be named, because the topic refers to the key.
 *
 * @see https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html (the `aws:sns:topicArn` encryption context)
 */
export function allowCloudWatchAlarms(topic: sns.ITopic, encryptionKey?: kms.IKey): string[] {
  const problems: string[] = [];
  const published = topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal(CLOUDWATCH_ALARMS)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
        },
      },
    }),
  );
  if (!published.statementAdded) {
    problems.push(`the policy of topic ${topic.node.path} cannot be changed to admit CloudWatch`);
  }
  if (encryptionKey) {
    const keyed = encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToNotify',
        principals: [new iam.ServicePrincipal(CLOUDWATCH_ALARMS)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringLike: {
            'kms:EncryptionContext:aws:sns:topicArn': `arn:${Aws.PARTITION}:sns:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`,
          },
        },
      }),
      // An imported key reports that nothing was added instead of failing.
      true,
    );
    if (!keyed.statementAdded) {
      problems.push(
        `the policy of key ${encryptionKey.node.path} cannot be changed to let CloudWatch encrypt notifications to ${topic.node.path}`,
      );
    }
  }
  return problems;
}
