// The public surface of the `office-zones` package.

/** The constructs: the zones, the broker, the products and cost attribution. */
export * from './constructs';
/** The blueprint: its model, parser, rules and the reference (no aws-cdk-lib). */
export * from './lib/blueprint';
/** What the broker publishes: the manifest a product is built against, and its OpenAPI document. */
export * from './lib/contract/broker-manifest';
/** The stacks and the function that builds them all from a blueprint. */
export {
  buildOfficeZones,
  allStacks,
  frontOfficeBudgets,
  OfficeZonesStacks,
} from './lib/stacks/office-zones';
export { ZoneStack, ZoneStackProps } from './lib/stacks/zone-stack';
export { BackOfficeStack, BackOfficeStackProps } from './lib/stacks/back-office-stack';
export { BrokerStack, BrokerStackProps } from './lib/stacks/broker-stack';
export {
  CostManagementStack,
  CostManagementStackProps,
  FrontOfficeBudget,
} from './lib/stacks/cost-management-stack';
export {
  FrontOfficeGuardrailsStack,
  FrontOfficeGuardrailsStackProps,
} from './lib/stacks/front-office-guardrails-stack';
export { OrganizationStack, OrganizationStackProps } from './lib/stacks/organization-stack';
export { ProductStack, ProductStackProps } from './lib/stacks/product-stack';
export {
  DeliveryPipelineStack,
  DeliveryPipelineStackProps,
  DeliveryTarget,
} from './lib/stacks/delivery-pipeline-stack';
export { LimitProblem } from './lib/stacks/limits';
export { ConsumerStack, ConsumerStackProps } from './lib/stacks/consumer-stack';
export {
  BackOfficeOperationsStack,
  BackOfficeOperationsStackProps,
} from './lib/stacks/back-office-operations-stack';
export { consumerStackRefactor, ResourceMapping } from './lib/stacks/migration';
export {
  registerSecurityChecks,
  SecurityChecks,
  SecurityCheckOptions,
} from './lib/stacks/security';
export { AccessPathChecks, AccessPathChecksProps } from './policies/access-paths/plugin';
export type * from './policies/access-paths/model';
export type {
  AccessEngine,
  EngineLoader,
  EngineReason,
  EngineRequest,
  EngineResult,
} from './policies/access-paths/engine';
export { RulesRun, RuleDescriptor } from './policies/rules-run';
/** The reports synth writes next to the templates. */
export { writeReports, REPORTS, ReportContext, ReportWriter } from './lib/reports';
/** The entry: a whole enterprise from a blueprint, with its security gate and reports. */
export * from './lib/synth';
