import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { allowCloudWatchAlarms } from '../shared/alarm-topics';

export interface ZoneOperationsProps {
  /**
   * Encrypts the topic. Its policy gets an allow for CloudWatch alarms (see
   * `allowCloudWatchAlarms`), so it must be a key this app can change.
   */
  readonly encryptionKey: kms.IKey;
  /**
   * Where IT operations receive alarms.
   * @default - no subscription; subscribe to `topic` yourself
   */
  readonly email?: string;
}

/**
 * Operations for the back office: one KMS-encrypted, TLS-only topic that IT operations subscribe
 * to and the alarms notify (`BackOfficeAlarms`, in this stack or another of the same account and
 * region). The topic policy and the key policy admit CloudWatch alarms of this account, so the
 * notifications are delivered.
 */
export class ZoneOperations extends Construct {
  /** The operations topic: IT's email subscription, encrypted with the zone key. */
  readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: ZoneOperationsProps) {
    super(scope, id);
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'Office Zones back-office operations',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    const problems = allowCloudWatchAlarms(topic, props.encryptionKey);
    this.node.addValidation({ validate: () => problems });
    if (props.email) topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.topic = topic;
  }
}
