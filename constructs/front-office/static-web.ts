import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PropChecks } from '../shared/check-props';
import { FRONT_OFFICE_DEFAULTS } from './defaults';
import {
  CLOUDFRONT_CERTIFICATE_ARN,
  CLOUDFRONT_WEB_ACL_ARN,
  COUNTRY_CODE,
  DOMAIN_NAME,
  patternProblem,
} from './web-rules';

const DEFAULTS = FRONT_OFFICE_DEFAULTS.staticWeb;

/** A custom domain of a distribution and its certificate. */
export interface CustomDomainOptions {
  /** The domain name, lower case, e.g. `shop.example.com`. */
  readonly domainName: string;
  /**
   * The ARN of the domain's ACM certificate, which must be in us-east-1.
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
   */
  readonly certificateArn: string;
}

export interface StaticWebProps {
  /**
   * Country codes (ISO 3166-1 alpha-2, upper case) of the markets served; CloudFront refuses
   * other viewers.
   * @default - no geo restriction
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/georestrictions.html
   */
  readonly countries?: readonly string[];
  /**
   * The ARN of a CLOUDFRONT-scope WAF web ACL (made in us-east-1) in front of the distribution.
   * @default - none
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html
   */
  readonly webAclArn?: string;
  /**
   * A custom domain with its ACM certificate (in us-east-1). With one, viewers need TLS 1.2.
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly customDomain?: CustomDomainOptions;
  /**
   * How long access logs are kept, in whole days. Range: at least 1 day.
   * @default Duration.days(90)
   */
  readonly logRetention?: Duration;
}

/**
 * A static web front end: a private S3 bucket that only CloudFront can read (origin access
 * control), served over HTTPS with security headers.
 *
 * Default settings:
 * - site bucket: all public access blocked, SSE-S3, TLS only, versioned, server access logs;
 * - distribution: HTTPS only (HTTP redirected), HTTP/2 and 3, security response headers,
 *   price class 100, access logs; TLS 1.2 for viewers when a custom domain is given;
 * - log bucket: private, SSE-S3, TLS only, objects expire after 90 days.
 */
export class StaticWeb extends Construct {
  /** The private bucket the site is served from. */
  readonly bucket: s3.IBucket;
  /** The bucket of the distribution's and the site bucket's access logs. */
  readonly logBucket: s3.IBucket;
  /** The CloudFront distribution. */
  readonly distribution: cloudfront.IDistribution;

  constructor(scope: Construct, id: string, props: StaticWebProps = {}) {
    super(scope, id);
    const checks = new PropChecks(this)
      .check('webAclArn', props.webAclArn, patternProblem(CLOUDFRONT_WEB_ACL_ARN))
      .check('customDomain.domainName', props.customDomain?.domainName, patternProblem(DOMAIN_NAME))
      .check(
        'customDomain.certificateArn',
        props.customDomain?.certificateArn,
        patternProblem(CLOUDFRONT_CERTIFICATE_ARN),
      )
      .checkSeconds('logRetention', props.logRetention, (seconds) =>
        seconds >= 86_400 && seconds % 86_400 === 0
          ? undefined
          : 'must be a whole number of days, at least 1',
      );
    props.countries?.forEach((country, i) =>
      checks.check(`countries[${i}]`, country, patternProblem(COUNTRY_CODE)),
    );
    checks.throwIfAny();

    const logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with an ACL.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        { expiration: props.logRetention ?? Duration.days(DEFAULTS.logRetentionDays) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logBucket = logBucket;

    const bucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(DEFAULTS.noncurrentVersionRetentionDays) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = bucket;

    const domain = props.customDomain;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Office Zones static web',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
      },
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      geoRestriction: props.countries
        ? cloudfront.GeoRestriction.allowlist(...props.countries)
        : undefined,
      webAclId: props.webAclArn,
      domainNames: domain ? [domain.domainName] : undefined,
      certificate: domain
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn)
        : undefined,
      // Only a custom certificate can raise the viewer TLS floor; the default one is pinned to TLSv1.
      minimumProtocolVersion: domain ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
    });
  }
}
