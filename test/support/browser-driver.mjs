// Opens pages in headless Chromium (Debian's package, driven by puppeteer-core; no browser is
// ever downloaded) and reports what a reader would get. puppeteer-core is an ES module, which
// jest's CommonJS module system cannot load, so the tests run this script as a child process
// (test/support/browser.ts): a JSON request on stdin, a JSON answer on stdout.
//
// Request: { executablePath, pages: [{ url, screenshot?, clip?, viewport?, timings? }] }
// Answer:  { version, pages: [{ consoleErrors, requests, facts, timings }] }
/* global document, requestAnimationFrame, performance -- readFacts and the timing run in the page */
import { Buffer } from 'node:buffer';
import puppeteer from 'puppeteer-core';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const browser = await puppeteer.launch({
  executablePath: request.executablePath,
  headless: true,
  // Root in CI containers: Chromium's sandbox needs user namespaces that containers lack.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

/** Facts about the page, read in the page. */
function readFacts() {
  const textOf = (ids) =>
    (ids ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
  const figures = [...document.querySelectorAll('figure svg')].map((svg) => {
    const overflowing = [];
    let minTextPx = Infinity;
    for (const node of svg.querySelectorAll('g.node')) {
      const shape = node.querySelector('path, polygon, ellipse');
      const box = shape.getBoundingClientRect();
      for (const text of node.querySelectorAll('text')) {
        const t = text.getBoundingClientRect();
        minTextPx = Math.min(minTextPx, t.height);
        if (t.left < box.left - 0.5 || t.right > box.right + 0.5) overflowing.push(node.id);
      }
    }
    return {
      role: svg.getAttribute('role'),
      name: textOf(svg.getAttribute('aria-labelledby')),
      width: svg.getBoundingClientRect().width,
      nodes: [...svg.querySelectorAll('g.node')].map((g) => ({
        id: g.id,
        classes: [...g.classList],
      })),
      clusters: [...svg.querySelectorAll('g.cluster')].map((g) => ({
        id: g.id,
        classes: [...g.classList],
      })),
      edges: [...svg.querySelectorAll('g.edge')].map((g) => ({
        id: g.id,
        classes: [...g.classList],
      })),
      overflowing: [...new Set(overflowing)],
      minTextPx,
    };
  });
  return {
    title: document.title,
    lang: document.documentElement.lang,
    h1: [...document.querySelectorAll('h1')].map((h) => h.textContent),
    h2: [...document.querySelectorAll('h2')].map((h) => h.textContent),
    tables: document.querySelectorAll('table').length,
    tablesWithoutHeaders: [...document.querySelectorAll('table')].filter(
      (t) =>
        t.querySelectorAll('thead th[scope="col"]').length === 0 || !t.querySelector('caption'),
    ).length,
    links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
    scripts: document.querySelectorAll('script').length,
    accessPathRows: [...document.querySelectorAll('#security table')]
      .filter((t) => t.caption?.textContent === 'Access paths and their decisions')
      .flatMap((t) => [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent))),
    figures,
  };
}

const answer = { version: await browser.version(), pages: [] };
try {
  for (const spec of request.pages) {
    const page = await browser.newPage();
    await page.setViewport(spec.viewport ?? { width: 1400, height: 900 });
    const consoleErrors = [];
    const requests = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      // The page itself is the only thing to load; anything else is recorded and refused.
      if (r.url() === spec.url) return r.continue();
      requests.push(r.url());
      return r.abort();
    });
    const timings = [];
    for (let i = 0; i < (spec.timings ?? 1); i++) {
      await page.goto(spec.url, { waitUntil: 'load' });
      // From navigation start to the second frame after load: parsed, laid out and painted.
      timings.push(
        await page.evaluate(
          () =>
            new Promise((resolve) =>
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))),
            ),
        ),
      );
    }
    const facts = await page.evaluate(readFacts);
    if (spec.screenshot) {
      if (spec.selector) {
        const element = await page.$(spec.selector);
        await element.screenshot({ path: spec.screenshot });
      } else {
        await page.screenshot({ path: spec.screenshot, fullPage: true });
      }
    }
    answer.pages.push({ consoleErrors, requests, facts, timings });
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(answer));
