import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

/** A distribution over a private bucket with origin access control; `denyAll` adds a deny the allow cannot beat. */
function webApp(denyAll: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'Shop');
  const bucket = new s3.Bucket(stack, 'Site', { enforceSSL: true });
  new cloudfront.Distribution(stack, 'Cdn', {
    defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(bucket) },
    defaultRootObject: 'index.html',
  });
  if (denyAll)
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:PrincipalAccount': '222222222222' } },
      }),
    );
  return app;
}

describe('OriginAccessControl', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    good = await evaluate(webApp(false), { Shop: 'front-office' });
    bad = await evaluate(webApp(true), { Shop: 'front-office' });
  });

  it('lets CloudFront read the bucket as its distribution', () => {
    const [read] = ofKind(good, 'OriginAccessControl');
    expect(decisions([read])).toEqual(['run.cloudfront.shop.cdn.shop.site Allowed']);
    expect(read.resource).toMatch(/^arn:aws:s3:::.+\/index\.html$/);
    expect(read.principal).toMatchObject({
      service: 'cloudfront.amazonaws.com',
      sourceArn: expect.stringMatching(
        /^arn:aws:cloudfront::111111111111:distribution\/E[0-9A-F]+$/,
      ),
    });
  });

  it('fails when the bucket policy denies CloudFront', () => {
    expect(decisions(ofKind(bad, 'OriginAccessControl'))).toEqual([
      'run.cloudfront.shop.cdn.shop.site ExplicitlyDenied',
    ]);
  });
});
