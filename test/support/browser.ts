import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` overrides it. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The Chromium executable, or an error that says how to install it. The browser tests never
 * skip: CI installs Chromium (.ci/run), so a missing browser is a broken machine, not a reason
 * to pass.
 */
export function chromiumPath(): string {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CANDIDATES;
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error(
      `Chromium is not installed (looked for ${candidates.join(', ')}). The browser tests drive ` +
        "Debian's chromium package with puppeteer-core and never download a browser. Install it " +
        'with: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH to a Chromium ' +
        'executable).',
    );
  }
  return found;
}

/** A page to open. */
export interface PageRequest {
  /** A file:// URL. */
  readonly url: string;
  /** Where to save a PNG screenshot, if wanted. */
  readonly screenshot?: string;
  /** The element to photograph (CSS selector); the full page when absent. */
  readonly selector?: string;
  readonly viewport?: { width: number; height: number; deviceScaleFactor?: number };
  /** How many times to load the page, timing each load. @default 1 */
  readonly timings?: number;
}

/** A picture as the browser drew it. */
export interface FigureFacts {
  readonly role: string | null;
  /** The accessible name: the text of the elements `aria-labelledby` names. */
  readonly name: string;
  readonly width: number;
  readonly nodes: readonly { id: string; classes: string[] }[];
  readonly clusters: readonly { id: string; classes: string[] }[];
  readonly edges: readonly { id: string; classes: string[] }[];
  /** Nodes whose text runs over the edge of their box. */
  readonly overflowing: readonly string[];
  /** The height of the smallest text in the picture, in CSS pixels. */
  readonly minTextPx: number;
}

/** What the browser saw on a page. */
export interface PageResult {
  readonly consoleErrors: readonly string[];
  /** Every request other than the page itself (each was refused). */
  readonly requests: readonly string[];
  readonly facts: {
    readonly title: string;
    readonly lang: string;
    readonly h1: readonly string[];
    readonly h2: readonly string[];
    readonly tables: number;
    readonly tablesWithoutHeaders: number;
    readonly links: readonly string[];
    readonly scripts: number;
    readonly accessPathRows: readonly string[][];
    readonly figures: readonly FigureFacts[];
  };
  /** Milliseconds from navigation start to the second frame after load, one per load. */
  readonly timings: readonly number[];
}

/** Opens the pages in one headless Chromium (test/support/browser-driver.mjs) and reports on each. */
export function openPages(
  pages: readonly PageRequest[],
): Promise<{ version: string; pages: PageResult[] }> {
  const executablePath = chromiumPath();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'browser-driver.mjs')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the browser driver failed (exit ${code}): ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin.end(JSON.stringify({ executablePath, pages }));
  });
}
