import type { Blueprint } from '../blueprint';
import type { OfficeZonesStacks } from '../stacks/office-zones';
import type { SecurityChecks } from '../stacks/security';
import { writeAccessPaths } from './access-paths-report';
import { writeBrokerManifest } from './broker-manifest-report';
import { writeBrokerOpenApi } from './broker-openapi-report';
import { writeCostAttribution } from './cost-attribution-report';
import { writeOfficeZonesPage } from './office-zones-page';
import { writeSecurityReport } from './security-report';
import { writeSecuritySarif } from './security-sarif';

/** What a report is written from: the synthesized app. */
export interface ReportContext {
  /** The cloud assembly directory (`cdk.out`). */
  readonly outdir: string;
  readonly blueprint: Blueprint;
  readonly stacks: OfficeZonesStacks;
  /**
   * The security packs that ran, for the security reports.
   * @default - no packs were registered
   */
  readonly security?: SecurityChecks;
}

/** Writes one or more files into the cloud assembly directory and returns their names. */
export type ReportWriter = (ctx: ReportContext) => string[];

/** Every report `cdk synth` writes next to the templates, in order. */
export const REPORTS: readonly ReportWriter[] = [
  writeAccessPaths,
  writeBrokerManifest,
  writeBrokerOpenApi,
  writeSecurityReport,
  writeSecuritySarif,
  writeCostAttribution,
  // Last: the page reads what the writers above put in cdk.out (access-paths.json included).
  writeOfficeZonesPage,
];

/** Writes every report after synth. */
export function writeReports(ctx: ReportContext): string[] {
  return REPORTS.flatMap((write) => write(ctx));
}
