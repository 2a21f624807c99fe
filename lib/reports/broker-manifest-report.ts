import * as fs from 'node:fs';
import * as path from 'node:path';
import { brokerManifest } from '../contract/broker-manifest';
import type { ReportContext } from './index';

export const BROKER_MANIFEST_FILE = 'broker-manifest.json';

/** `cdk.out/broker-manifest.json`: the broker's consumers and scopes, for the operations CLI. */
export function writeBrokerManifest(ctx: ReportContext): string[] {
  fs.writeFileSync(
    path.join(ctx.outdir, BROKER_MANIFEST_FILE),
    JSON.stringify(brokerManifest(ctx.blueprint), null, 2) + '\n',
  );
  return [BROKER_MANIFEST_FILE];
}
