#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../../lib/blueprint';
import { buildOfficeZones } from '../../lib/stacks/office-zones';
import { writeReports } from '../../lib/reports';
import { registerSecurityChecks } from '../../lib/stacks/security';

/**
 * The reference blueprint with the two crossings the boundary pack exists to stop, for a
 * demonstration that `cdk synth` refuses them:
 *
 *   npx cdk synth --app "npx tsx examples/boundary-violations/app.ts" -c violation=ledger-grant
 *
 * `-c violation=ledger-grant`: a web-shop function granted read on the orders ledger
 * (OfficeZonesBoundary-B1, and B2 for the cross-stack reference).
 * `-c violation=open-security-group`: a back-office security group open to 0.0.0.0/0
 * (OfficeZonesBoundary-B3). Without `-c violation`, both.
 */
const app = new App();
const violation: unknown = app.node.tryGetContext('violation') ?? 'both';
const known = ['ledger-grant', 'open-security-group', 'both'];
if (typeof violation !== 'string' || !known.includes(violation)) {
  process.stderr.write(
    `-c violation must be one of ${known.join(', ')} (received: ${JSON.stringify(violation)})\n`,
  );
  process.exit(2);
}

const blueprint = parseBlueprint(REFERENCE_BLUEPRINT, 'the reference blueprint');
const stacks = buildOfficeZones(app, blueprint);

if (violation === 'ledger-grant' || violation === 'both') {
  const reader = new lambda.Function(stacks.products[0], 'LedgerReader', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  stacks.backOffice.zone.capability('orders').grantRead(reader);
}
if (violation === 'open-security-group' || violation === 'both') {
  const open = new ec2.SecurityGroup(stacks.backOffice, 'OpenToTheWorld', {
    vpc: stacks.backOffice.zone.network.vpc,
    description: 'Reachable from anywhere',
  });
  open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
}

const security = registerSecurityChecks(app, blueprint);
try {
  app.synth();
} finally {
  writeReports({ outdir: app.outdir, blueprint, stacks, security });
}
