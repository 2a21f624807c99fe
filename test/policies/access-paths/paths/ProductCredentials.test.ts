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

const THREE = [
  ...PRODUCTS,
  { name: 'catalog', runtimeRoleName: 'catalog-runtime', secretName: 'clients/product.catalog' },
];

/**
 * Two products' secrets and the shop's runtime; `guarded` gives each secret a deny for all but
 * its own runtime, or for all but what `admitted` says of a product.
 */
function credentialsApp(guarded: boolean, admitted?: (p: (typeof PRODUCTS)[number]) => string[]) {
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
              'aws:PrincipalArn': admitted?.(p) ?? [
                `arn:aws:iam::111111111111:role/${p.runtimeRoleName}`,
              ],
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

/** Three products, each runtime allowed every secret, each secret denying all but `admitted`. */
function threeProductsApp(admitted: (p: (typeof THREE)[number]) => string[]) {
  const app = newApp();
  const broker = new Stack(app, 'Broker');
  for (const p of THREE) {
    const secret = new secretsmanager.Secret(broker, `${p.name}Secret`, {
      secretName: p.secretName,
    });
    secret.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheConsumerRuntimeReads',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: {
          ArnNotLike: { 'aws:PrincipalArn': admitted(p) },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    const product = new Stack(app, `Product${p.name}`);
    new iam.Role(product, 'Runtime', {
      roleName: p.runtimeRoleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    }).addToPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }),
    );
  }
  return app;
}

const runtimeArn = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const THREE_ZONES = {
  Broker: 'integration' as const,
  Productshop: 'front-office' as const,
  Productloyalty: 'front-office' as const,
  Productcatalog: 'front-office' as const,
};

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

  it("fails when a secret's deny admits every runtime by a wildcard", async () => {
    const report = await evaluate(
      credentialsApp(true, () => ['arn:aws:iam::111111111111:role/*-runtime']),
      { Broker: 'integration', Shop: 'front-office' },
      { products: PRODUCTS },
    );
    expect(decisions(ofKind(report, 'ProductCredentials').filter((p) => !p.pass))).toEqual([
      'deny.product.shop.reads.clients-product-loyalty Allowed',
    ]);
  });
});

describe('ProductCredentials with more than two products', () => {
  it("tries each runtime against the next product's secret by name, one outsider each", async () => {
    const report = await evaluate(
      threeProductsApp((p) => [runtimeArn(p.runtimeRoleName)]),
      THREE_ZONES,
      { products: THREE },
    );
    expect(
      decisions(ofKind(report, 'ProductCredentials').filter((p) => p.expect === 'deny')),
    ).toEqual([
      'deny.product.catalog.reads.clients-product-loyalty ExplicitlyDenied',
      'deny.product.loyalty.reads.clients-product-shop ExplicitlyDenied',
      'deny.product.shop.reads.clients-product-catalog ExplicitlyDenied',
    ]);
  });

  it("fails when a secret's deny admits a wildcard of runtimes", async () => {
    const report = await evaluate(
      threeProductsApp((p) =>
        p.name === 'loyalty' ? [runtimeArn('*-runtime')] : [runtimeArn(p.runtimeRoleName)],
      ),
      THREE_ZONES,
      { products: THREE },
    );
    expect(decisions(ofKind(report, 'ProductCredentials').filter((p) => !p.pass))).toEqual([
      'deny.product.catalog.reads.clients-product-loyalty Allowed',
    ]);
  });

  it("fails when a secret's deny admits another product's runtime by name, sampled or not", async () => {
    const report = await evaluate(
      threeProductsApp((p) =>
        p.name === 'shop'
          ? [runtimeArn(p.runtimeRoleName), runtimeArn('catalog-runtime')]
          : [runtimeArn(p.runtimeRoleName)],
      ),
      THREE_ZONES,
      { products: THREE },
    );
    // The ring tries loyalty's runtime against shop's secret; catalog's is tried because the
    // secret's policy names it.
    expect(decisions(ofKind(report, 'ProductCredentials').filter((p) => !p.pass))).toEqual([
      'deny.product.catalog.reads.clients-product-shop Allowed',
    ]);
  });
});
