import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { BrokerManifest, DigitalProduct } from 'office-zones';

/**
 * One front-office product built against the broker's manifest (`broker-manifest.json`, which IT
 * publishes): the routes it serves are the broker's routes of the scopes it consumes, and the
 * broker's URLs and the product's credentials are read from the broker's SSM parameters at deploy.
 */
export function buildProduct(app: App, manifest: BrokerManifest): Stack {
  const name = 'gift-cards';
  const consumes = ['orders/write', 'orders/read'];
  const stack = new Stack(app, 'GiftCards');
  const parameters = path.posix.dirname(manifest.api.urlParameter);
  const read = (parameter: string) => ssm.StringParameter.valueForStringParameter(stack, parameter);
  new DigitalProduct(stack, 'Product', {
    name,
    owner: 'gift-cards@example.com',
    costCentre: 'CC-0420',
    monthlyBudgetUsd: 150,
    productTagKey: 'Product',
    consumes,
    api: {
      routes: manifest.routes
        .filter((route) => consumes.includes(route.scope))
        .map((route) => ({ route: `${route.method} ${route.path}` })),
      broker: {
        apiUrl: read(manifest.api.urlParameter),
        tokenUrl: read(manifest.domain.tokenUrlParameter),
        credentialsKeyArn: read(`${parameters}/credentials-key-arn`),
        credentialsSecretArn: read(`${parameters}/clients/product.${name}/secret-arn`),
        scopes: consumes,
      },
      runtimeRoleName: `gift-cards-runtime`,
    },
  });
  return stack;
}

/** Reads a broker manifest file. */
export function readManifest(file: string): BrokerManifest {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as BrokerManifest;
}

if (require.main === module) {
  const app = new App();
  const file = app.node.tryGetContext('manifest') ?? 'broker-manifest.json';
  buildProduct(app, readManifest(String(file)));
}
