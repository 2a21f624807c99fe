import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  acknowledge,
  acknowledgmentProblems,
  recordedAcknowledgments,
} from '../../policies/acknowledge';
import { errorOf, testStack } from '../helpers';

const reason = 'a reason long enough for a security reviewer';

describe('acknowledge', () => {
  test('records the namespaced id and the reason with its decision reference', () => {
    const stack = testStack();
    const queue = new sqs.Queue(stack, 'Queue');
    acknowledge(queue, { id: 'OfficeZonesBoundary-B11', reason, reference: 'DEC-009' });
    expect(recordedAcknowledgments(stack)).toEqual([
      {
        path: 'Test/Queue',
        id: 'OfficeZonesBoundary::OfficeZonesBoundary-B11',
        reason: `${reason} (ref DEC-009)`,
        madeBy: 'app',
      },
    ]);
    expect(acknowledgmentProblems(stack)).toEqual([]);
  });

  test('fails when asked to acknowledge an ERROR-level boundary rule, granular or not', () => {
    const stack = testStack();
    for (const id of ['OfficeZonesBoundary-B1', 'OfficeZonesBoundary-B3[Ingress::0.0.0.0/0]']) {
      expect(errorOf(() => acknowledge(stack, { id, reason, reference: 'DEC-009' }))).toMatch(
        /cannot be acknowledged: .* is an ERROR-level boundary rule/,
      );
    }
    expect(recordedAcknowledgments(stack)).toEqual([]);
  });

  test('fails when the reason is short or the reference is missing', () => {
    const stack = testStack();
    expect(
      errorOf(() =>
        acknowledge(stack, { id: 'AwsSolutions-S1', reason: 'because', reference: 'DEC-1' }),
      ),
    ).toMatch(/at least 20 characters/);
    expect(
      errorOf(() => acknowledge(stack, { id: 'AwsSolutions-S1', reason, reference: 'soon' })),
    ).toMatch(/needs a reference such as DEC-001 \(received "soon"\)/);
  });
});

describe('acknowledgmentProblems', () => {
  test('fails when an acknowledgment bypasses the helper or acknowledges an ERROR-level boundary rule', () => {
    const stack = testStack();
    const queue = new sqs.Queue(stack, 'Queue');
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
    Validations.of(stack).acknowledge({
      id: 'OfficeZonesBoundary::OfficeZonesBoundary-B4[Principal::*]',
      reason: `${reason} (ref DEC-001)`,
    });
    expect(acknowledgmentProblems(stack)).toEqual([
      expect.stringMatching(
        /^Test: OfficeZonesBoundary::OfficeZonesBoundary-B4\[Principal::\*\] acknowledges ERROR-level boundary rule BackOfficeResourcePolicy$/,
      ),
      expect.stringMatching(
        /^Test\/Queue: .*AwsSolutions-SQS3 was not made through policies\/acknowledge.ts/,
      ),
    ]);
  });

  test("leaves aws-cdk-lib's own acknowledgments of its validator to the library", () => {
    const stack = testStack();
    new ec2.Vpc(stack, 'Vpc', { flowLogs: { all: {} } });
    const library = recordedAcknowledgments(stack);
    expect(library.length).toBeGreaterThan(0);
    expect(library.every((a) => a.madeBy === 'aws-cdk-lib')).toBe(true);
    expect(acknowledgmentProblems(stack)).toEqual([]);
  });
});
