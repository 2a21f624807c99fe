import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { AccessPathReport } from '../../../../policies/access-paths/model';
import { decisions, evaluate, newApp, ofKind } from '../support';

const PRODUCTS = [
  { name: 'shop', runtimeRoleName: 'shop-runtime', secretName: 'clients/product.shop' },
  { name: 'loyalty', runtimeRoleName: 'loyalty-runtime', secretName: 'clients/product.loyalty' },
];

/** Two products' secrets and the shop's runtime; `guarded` gives each secret a deny for all but its own runtime. */
function credentialsApp(guarded: boolean) {
  const app = newApp();
  const broker = new Stack(app, 'Broker');
  const key = new kms.Key(broker, 'Key');
  for (const p of PRODUCTS) {
    const secret = new secretsmanager.Secret(broker, `${p.name}Secret`, {
      secretName: p.secretName,
      encryptionKey: key,
    });
    if (guarded)
      secret.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OnlyTheConsumerRuntimeReads',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['secretsmanager:GetSecretValue'],
          resources: ['*'],
          conditions: {
            ArnNotLike: {
              'aws:PrincipalArn': `arn:aws:iam::111111111111:role/${p.runtimeRoleName}`,
            },
            Bool: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      );
  }
  const product = new Stack(app, 'Shop');
  const runtime = new iam.Role(product, 'Runtime', {
    roleName: 'shop-runtime',
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  // A careless grant: every secret of the account.
  runtime.addToPolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }),
  );
  runtime.addToPolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    }),
  );
  return app;
}

describe('ProductCredentials', () => {
  let good: AccessPathReport;
  let bad: AccessPathReport;
  beforeAll(async () => {
    const zones = { Broker: 'integration' as const, Shop: 'front-office' as const };
    good = await evaluate(credentialsApp(true), zones, { products: PRODUCTS });
    bad = await evaluate(credentialsApp(false), zones, { products: PRODUCTS });
  });

  it("lets a runtime read and decrypt its own credentials and not another product's", () => {
    expect(decisions(ofKind(good, 'ProductCredentials'))).toEqual([
      'run.product.shop.read-credentials Allowed',
      'run.product.shop.read-credentials.decrypt Allowed',
      'deny.product.shop.reads.clients-product-loyalty ExplicitlyDenied',
    ]);
  });

  it("fails when another product's secret does not deny the runtime", () => {
    expect(decisions(ofKind(bad, 'ProductCredentials').filter((p) => !p.pass))).toEqual([
      'deny.product.shop.reads.clients-product-loyalty Allowed',
    ]);
  });
});
