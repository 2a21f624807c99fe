import * as fs from 'node:fs';
import * as path from 'node:path';
import { brokerOpenApi } from '../contract/openapi';
import type { ReportContext } from './index';

export const BROKER_OPENAPI_FILE = 'broker-openapi.json';

/** `cdk.out/broker-openapi.json`: the OpenAPI 3 contract partners code against. */
export function writeBrokerOpenApi(ctx: ReportContext): string[] {
  fs.writeFileSync(
    path.join(ctx.outdir, BROKER_OPENAPI_FILE),
    JSON.stringify(brokerOpenApi(ctx.blueprint), null, 2) + '\n',
  );
  return [BROKER_OPENAPI_FILE];
}
