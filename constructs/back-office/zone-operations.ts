import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
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
 * to, and alarms that notify it (and notify it again when they clear). The topic policy and the key
 * policy admit CloudWatch alarms of this account, so the notifications are delivered.
 */
export class ZoneOperations extends Construct {
  readonly topic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[] = [];

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

  /** An alarm when `metric` reaches `threshold` in one five-minute period. */
  alarmWhen(
    id: string,
    description: string,
    metric: cloudwatch.IMetric,
    threshold = 1,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  static readonly PERIOD = Duration.minutes(5);
}
