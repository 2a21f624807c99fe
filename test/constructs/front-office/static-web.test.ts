import { Match, Template } from 'aws-cdk-lib/assertions';
import { StaticWeb } from '../../../constructs/front-office/static-web';
import { testStack } from '../../helpers';

describe('StaticWeb', () => {
  test('the site bucket is private, encrypted, TLS only and logged', () => {
    const stack = testStack();
    new StaticWeb(stack, 'Web');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: Match.anyValue(),
        LogFilePrefix: 'site-bucket/',
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.resourcePropertiesCountIs(
      'AWS::S3::BucketPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      },
      2,
    );
  });

  test('CloudFront reads the bucket through origin access control, over HTTPS only', () => {
    const stack = testStack();
    new StaticWeb(stack, 'Web', { countries: ['GB', 'IE'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
        Restrictions: { GeoRestriction: { Locations: ['GB', 'IE'], RestrictionType: 'whitelist' } },
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  test('a custom domain raises the viewer TLS floor to 1.2 and a web ACL is attached', () => {
    const stack = testStack();
    new StaticWeb(stack, 'Web', {
      customDomain: {
        domainName: 'shop.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      },
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/abc',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['shop.example.com'],
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
        WebACLId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/abc',
      }),
    });
  });
});
