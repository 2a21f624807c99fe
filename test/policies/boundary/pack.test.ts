import * as fs from 'node:fs';
import * as path from 'node:path';
import { NagMessageLevel } from 'cdk-nag';
import { BOUNDARY_RULES, boundaryRuleId, BoundaryChecks } from '../../../policies/boundary/pack';
import { rulesTable, TABLE_END, TABLE_START } from '../../../policies/boundary/rules-table';
import { PROPS, zonedApp } from './fixtures';

const policies = path.join(__dirname, '..', '..', '..', 'policies');

describe('the boundary pack catalogue', () => {
  test('pins every rule id with its level', () => {
    expect(Object.fromEntries(BOUNDARY_RULES.map((r) => [boundaryRuleId(r), r.level]))).toEqual({
      'OfficeZonesBoundary-B1': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B2': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B3': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B4': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B5': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B6': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B7': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B8': NagMessageLevel.WARN,
      'OfficeZonesBoundary-B9': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B10': NagMessageLevel.ERROR,
      'OfficeZonesBoundary-B11': NagMessageLevel.WARN,
    });
  });

  test('every rule has its own file named after it, an info, an explanation and a fix', () => {
    const files = fs
      .readdirSync(path.join(policies, 'boundary', 'rules'))
      .filter((f) => /^[A-Z]/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(BOUNDARY_RULES.map((r) => r.name).sort());
    for (const rule of BOUNDARY_RULES) {
      expect({
        rule: rule.name,
        info: rule.info.length > 20,
        explanation: rule.explanation.length > 60,
        fix: rule.fix.length > 20,
      }).toEqual({
        rule: rule.name,
        info: true,
        explanation: true,
        fix: true,
      });
    }
  });

  test('the rules table in policies/README.md is the one generated from the catalogue', () => {
    const readme = fs.readFileSync(path.join(policies, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf(TABLE_START),
      readme.indexOf(TABLE_END) + TABLE_END.length,
    );
    // Prettier pads the cells; compare what they say.
    const normalize = (text: string) =>
      text
        .split('\n')
        .map((line) =>
          line
            .replace(/\s*\|\s*/g, '|')
            .replace(/-{3,}/g, '---')
            .trim(),
        )
        .filter(Boolean);
    expect(normalize(section)).toEqual(normalize(rulesTable()));
  });

  test('reports each finding with its fix, and records every rule as run', () => {
    const { app, back } = zonedApp();
    new (require('aws-cdk-lib/aws-ec2').CfnInternetGateway)(back, 'Igw');
    app.synth();
    const pack = new BoundaryChecks(undefined, PROPS);
    const report = pack.validateScope(app);
    expect(report.success).toBe(false);
    expect(report.violations).toEqual([
      expect.objectContaining({
        ruleName: 'OfficeZonesBoundary-B3[InternetGateway]',
        severity: 'error',
        fix: BOUNDARY_RULES.find((r) => r.id === 'B3')!.fix,
      }),
    ]);
    expect(pack.rulesRun().map((r) => r.id)).toEqual(BOUNDARY_RULES.map(boundaryRuleId));
  });

  test('fails with a clear message when the app has not been synthesized', () => {
    const { app } = zonedApp();
    expect(() => new BoundaryChecks(undefined, PROPS).validateScope(app)).toThrow(
      /synthesize the app before validating it/,
    );
  });
});
