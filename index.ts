// The public surface of the `office-zones` package.

/** The constructs: the zones, the broker, the products and cost attribution. */
export * from './constructs';
/** The blueprint: its model, parser, rules and the reference (no aws-cdk-lib). */
export * from './lib/blueprint';
/** What the broker publishes: the manifest a product is built against, and its OpenAPI document. */
export * from './lib/contract/broker-manifest';
/** The stacks and the function that builds them all from a blueprint. */
export { buildOfficeZones, allStacks, OfficeZonesStacks } from './lib/stacks/office-zones';
export { consumerStackRefactor, ResourceMapping } from './lib/stacks/migration';
export { registerSecurityChecks, SecurityChecks } from './lib/stacks/security';
/** The reports synth writes next to the templates. */
export { writeReports, REPORTS, ReportContext, ReportWriter } from './lib/reports';
/** The entry: a whole enterprise from a blueprint, with its security gate and reports. */
export * from './lib/synth';
