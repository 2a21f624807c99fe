import { CfnResource, Fn } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { findings, zonedApp } from '../fixtures';

describe('B2 CrossZoneReference', () => {
  test('fails when a front-office resource uses a back-office value through a cross-stack reference', () => {
    const { app, front, back } = zonedApp();
    const queue = new sqs.Queue(back, 'Intake');
    new ssm.StringParameter(front, 'Copy', { stringValue: queue.queueUrl });
    expect(findings(app, 'B2')).toEqual([
      {
        id: 'OfficeZonesBoundary-B2[StackOutput::OfficeZones-test-BackOffice]',
        path: 'OfficeZones-test-Product-shop/Copy/Resource',
      },
    ]);
  });

  test('fails when a front-office resource imports a back-office export, or reads a back-office parameter', () => {
    const { app, front, back } = zonedApp();
    const queue = new sqs.Queue(back, 'Intake');
    back.exportValue(queue.queueArn, { name: 'BackOfficeIntakeArn' });
    new ssm.StringParameter(back, 'Published', {
      parameterName: '/office-zones/test/back-office/intake',
      stringValue: 'x',
    });
    new ssm.StringParameter(front, 'Imported', {
      stringValue: Fn.importValue('BackOfficeIntakeArn'),
    });
    new ssm.StringParameter(front, 'Read', {
      stringValue: ssm.StringParameter.valueForStringParameter(
        front,
        '/office-zones/test/back-office/intake',
      ),
    });
    expect(findings(app, 'B2').map((f) => `${f.path} ${f.id}`)).toEqual([
      'OfficeZones-test-Product-shop/Imported/Resource OfficeZonesBoundary-B2[Export::BackOfficeIntakeArn]',
      'OfficeZones-test-Product-shop/Read/Resource OfficeZonesBoundary-B2[Parameter::/office-zones/test/back-office/intake]',
    ]);
  });

  test('fails for an L1 escape hatch whose property names a back-office stack literally', () => {
    const { app, front } = zonedApp();
    new CfnResource(front, 'Raw', {
      type: 'AWS::SSM::Parameter',
      properties: { Type: 'String', Value: 'OfficeZones-test-BackOffice-LedgerA1B2-XYZ' },
    });
    expect(findings(app, 'B2').map((f) => f.id)).toEqual([
      'OfficeZonesBoundary-B2[Name::OfficeZones-test-BackOffice]',
    ]);
  });

  test('fails on the stack when a front-office stack only depends on a back-office stack', () => {
    const { app, front, back } = zonedApp();
    new sqs.Queue(back, 'Intake');
    front.addStackDependency(back);
    new sqs.Queue(front, 'Own');
    expect(findings(app, 'B2')).toEqual([
      {
        id: 'OfficeZonesBoundary-B2[DependsOn::OfficeZones-test-BackOffice]',
        path: 'OfficeZones-test-Product-shop',
      },
    ]);
  });

  test('passes references to the broker and within the front office', () => {
    const { app, front, broker } = zonedApp();
    const manifest = new ssm.StringParameter(broker, 'Manifest', { stringValue: '{}' });
    new ssm.StringParameter(front, 'Manifest', { stringValue: manifest.parameterName });
    const own = new sqs.Queue(front, 'Own');
    new ssm.StringParameter(front, 'OwnUrl', { stringValue: own.queueUrl });
    expect(findings(app, 'B2')).toEqual([]);
  });
});
