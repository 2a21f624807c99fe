import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  cachedBundle,
  defaultCacheDir,
  esbuildTarget,
  handlerEntries,
  isPrebundled,
  prebundledDir,
} from './handler-bundle';

/** The handlers of Office Zones' own constructs, bundled together when one must be (read once). */
let ownHandlers: string[] | undefined;

/** The other handlers to bundle with `entry`: Office Zones' own when `entry` is one of them, else none. */
function companionsOf(entry: string): string[] {
  ownHandlers ??= handlerEntries(path.join(__dirname, '..', '..'));
  return ownHandlers.includes(path.resolve(entry)) ? ownHandlers : [];
}

/**
 * The deployable code of a handler: the prebundled folder the npm package ships, else the handler
 * bundled from source by esbuild through the project's bundle cache.
 *
 * From source, bundling goes through CDK's own asset bundling, so an app that skips bundling
 * (`cdk synth --exclusively`, `aws:cdk:bundling-stacks`) skips it here too. A handler of Office
 * Zones' own constructs that must be bundled is bundled with the others not in the cache, in one
 * esbuild run, as a synth of the reference asks for them all.
 */
export function handlerCode(
  scope: Construct,
  id: string,
  entry: string,
  runtime: lambda.Runtime,
): lambda.Code {
  if (isPrebundled(entry)) return lambda.Code.fromAsset(prebundledDir(entry));
  const target = esbuildTarget(runtime.name);
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: the local bundler below always succeeds or throws.
      image: DockerImage.fromRegistry('office-zones-bundles-locally'),
      local: {
        tryBundle(outputDir: string) {
          try {
            cachedBundle(entry, outputDir, {
              target,
              cacheDir: defaultCacheDir(entry),
              companions: companionsOf(entry),
            });
          } catch (e) {
            throw new Error(
              `${scope.node.path}/${id}: cannot bundle ${entry}: ${(e as Error).message}`,
            );
          }
          return true;
        },
      },
    },
  });
}
