// Regenerates docs/office-zones.png, the README's picture of the reference: `npm run screenshot`.
// Synthesizes the reference (no Lambda bundling, no validation), writes the reports as
// `cdk synth` does, and photographs the architecture picture of cdk.out/office-zones.html in
// headless Chromium (Debian's chromium package: apt-get install -y chromium).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { parseBlueprint, REFERENCE_BLUEPRINT } from '../lib/blueprint';
import { writeReports } from '../lib/reports';
import { OFFICE_ZONES_PAGE_FILE } from '../lib/reports/office-zones-page';
import { buildOfficeZones } from '../lib/stacks/office-zones';
import { openPages } from '../test/support/browser';
import { CDK_CONTEXT } from '../test/helpers';

async function main() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'oz-screenshot-'));
  try {
    const app = new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const blueprint = parseBlueprint(REFERENCE_BLUEPRINT);
    const stacks = buildOfficeZones(app, blueprint);
    app.synth();
    writeReports({ outdir, blueprint, stacks });
    const file = path.join(__dirname, '..', 'docs', 'office-zones.png');
    const { pages } = await openPages([
      {
        url: pathToFileURL(path.join(outdir, OFFICE_ZONES_PAGE_FILE)).href,
        screenshot: file,
        selector: '#figure-whole .svg svg',
        viewport: { width: 1400, height: 900 },
      },
    ]);
    if (pages[0].consoleErrors.length > 0) throw new Error(pages[0].consoleErrors.join('\n'));
    console.log(`wrote ${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
