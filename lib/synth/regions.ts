import { RegionInfo } from 'aws-cdk-lib/region-info';
import { type Blueprint, BlueprintError, type BlueprintProblem } from '../blueprint';

/**
 * The regions a blueprint deploys to, checked against the regions aws-cdk-lib knows (its
 * `region-info` database): a mistyped region (`eu-west-9`) would otherwise end synth with an
 * internal error, and a region of another partition (GovCloud, ISO, the European Sovereign Cloud)
 * with permission findings, since the accounts of a blueprint live in one partition. Office Zones
 * supports the commercial partition (`aws`); the China regions have no Cognito user pools, which
 * the blueprint rules report.
 * @throws BlueprintError listing every region that is unknown or of another partition, by path
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
export function checkRegions(blueprint: Blueprint, source: string): void {
  const known = new Map(RegionInfo.regions.map((r) => [r.name, r.partition]));
  const problems: BlueprintProblem[] = [];
  const check = (path: string, region: string | undefined) => {
    if (region === undefined) return;
    const partition = known.get(region);
    if (partition === 'aws' || (partition === 'aws-cn' && region.startsWith('cn-'))) return;
    problems.push({
      path,
      received: JSON.stringify(region),
      message:
        partition === undefined
          ? 'is not an AWS region aws-cdk-lib knows (e.g. eu-west-2, us-east-1); check the spelling'
          : `is in the ${partition} partition; Office Zones builds for the commercial partition (aws), where its accounts are`,
    });
  };
  if (!blueprint.environments) check('region', blueprint.region);
  blueprint.environments?.forEach((env, i) =>
    check(
      env.region !== undefined ? `environments[${i}].region` : 'region',
      env.region ?? blueprint.region,
    ),
  );
  check('delivery.region', blueprint.delivery?.region);
  const unique = [...new Map(problems.map((p) => [`${p.path}${p.received}`, p])).values()];
  if (unique.length > 0) throw new BlueprintError(source, unique);
}
