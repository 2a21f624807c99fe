import type { AccessPathContext } from '../evaluate';
import type { AccessPath } from '../model';
import { AccessPathKind, idOf, stacksOf } from './shared';

/**
 * CloudFront reads an S3 origin with origin access control as `cloudfront.amazonaws.com`, with
 * `aws:SourceArn` the distribution's ARN; the bucket policy must allow `s3:GetObject` on it.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
export const originAccessControl: AccessPathKind = {
  name: 'OriginAccessControl',
  description: 'CloudFront reads each S3 origin through origin access control.',
  derive(ctx: AccessPathContext): AccessPath[] {
    const asm = ctx.assembly;
    const out: AccessPath[] = [];
    for (const dist of asm.ofType('AWS::CloudFront::Distribution')) {
      const config = dist.props.DistributionConfig ?? {};
      const distributionArn = `arn:${asm.partition}:cloudfront::${asm.accountOf(dist.stack)}:distribution/${asm.refOf(dist)}`;
      for (const origin of config.Origins ?? []) {
        if (!origin.OriginAccessControlId) continue;
        const bucket = asm
          .ofType('AWS::S3::Bucket')
          .find((b) =>
            [
              `${asm.refOf(b)}.s3.${asm.regionOf(b.stack)}.amazonaws.com`,
              `${asm.refOf(b)}.s3.amazonaws.com`,
            ].includes(origin.DomainName),
          );
        if (!bucket) continue;
        const object = `${config.DefaultRootObject ?? 'index.html'}`;
        out.push({
          id: `run.cloudfront.${idOf(ctx, dist)}.${idOf(ctx, bucket)}`,
          phase: 'run',
          expect: 'allow',
          kind: 'OriginAccessControl',
          description: `CloudFront (${dist.where}) reads ${object} from ${bucket.where} through origin access control`,
          principal: {
            kind: 'service',
            service: 'cloudfront.amazonaws.com',
            sourceArn: distributionArn,
          },
          action: 's3:GetObject',
          resource: `${asm.arnOf(bucket)}/${object}`,
          stacks: stacksOf(dist, bucket),
        });
      }
    }
    return out;
  },
};
