import { CfnParameter, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { StaticWeb } from '../../../constructs/front-office/static-web';
import { errorOf, testStack } from '../../helpers';

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

  test('fails when a country, the web ACL or the custom domain would be refused, all at once', () => {
    const build = () =>
      new StaticWeb(testStack(), 'Web', {
        countries: ['DE', 'uk'],
        webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/abc',
        customDomain: {
          domainName: 'Shop.Example.com',
          certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        },
        logRetention: Duration.hours(12),
      });
    expect(errorOf(build).split('\n')).toEqual([
      'Test/Web: webAclArn must be the ARN of a CLOUDFRONT-scope web ACL in us-east-1 (received: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/abc")',
      'Test/Web: customDomain.domainName must be a lower-case domain name (received: "Shop.Example.com")',
      'Test/Web: customDomain.certificateArn must be the ARN of an ACM certificate in us-east-1 (received: "arn:aws:acm:eu-west-1:123456789012:certificate/abc")',
      'Test/Web: logRetention must be a whole number of days, at least 1 (received: 12 hours)',
      'Test/Web: countries[1] must be an ISO 3166-1 alpha-2 country code (received: "uk")',
    ]);
  });

  test('leaves values known only at deploy time to CloudFront', () => {
    const stack = testStack();
    const arn = new CfnParameter(stack, 'WebAcl').valueAsString;
    expect(() => new StaticWeb(stack, 'Web', { webAclArn: arn })).not.toThrow();
  });
});
