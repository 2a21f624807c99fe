'use strict';
// Runs a TypeScript entry point of this repository (bin/app.ts, or the one named on the command
// line) as one JavaScript file: esbuild bundles the entry and every source file it imports
// (packages stay in node_modules), the bundle is kept in node_modules/.cache/office-zones/app and
// made again only when a file it was made from changes (DEC-041). A synth then loads one compiled
// file instead of transpiling and resolving some 150 TypeScript modules one by one. Source maps
// keep every stack trace (the creation traces in validation-report.json included) pointing at the
// TypeScript sources.
//
// Plain CommonJS on purpose: it runs before anything can compile TypeScript.
const { Buffer } = require('node:buffer');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** How many bundles of one entry are kept (the newest), so that switching branches stays warm. */
const BUNDLES_KEPT = 4;

/**
 * How many entries' bundle folders are kept (the newest): one per entry, esbuild version, Node.js
 * major and tsconfig.json, so old ones go.
 */
const SLOTS_KEPT = 8;

/** Changes whenever this file changes what a bundle contains: older bundles are then not used. */
const FORMAT = 1;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Where the declarations of {@link projectSources} go: the bundle's first line, a banner. */
const LOCATIONS_BANNER = '/* office-zones: source locations */';

/** esbuild's loader for a source file of the project, by its extension; others keep esbuild's own. */
const LOADERS = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.js': 'js',
  '.cjs': 'js',
  '.mjs': 'js',
  '.json': 'json',
};

/**
 * The esbuild plugin that reads every source file of the project (not of packages) for the
 * bundle, and records the SHA-256 of exactly the bytes it gave esbuild in `digests`: a file saved
 * while the bundle is made is then not recorded with content the bundle does not have.
 *
 * It keeps `__dirname` and `__filename` of every source: a bundle runs from the cache folder, but
 * the sources find their handlers, policy documents and scripts beside themselves. In each source
 * that uses them, `__dirname` becomes `__dir0001` and `__filename` `__file0001` (as long as the
 * names they replace, so every line and column of the source map stays true), and
 * {@link declareLocations} declares those names on the bundle's banner line.
 *
 * A source that reads `require.main` is refused: in a bundle it is never the source's own module,
 * so a `require.main === module` guard would silently skip the app.
 */
function projectSources(locations, digests) {
  return {
    name: 'office-zones-sources',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
        const loader = LOADERS[path.extname(args.path)];
        if (!loader || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const bytes = await fs.promises.readFile(args.path);
        digests.set(args.path, sha256(bytes));
        const text = bytes.toString('utf8');
        if (loader === 'json') return { contents: text, loader };
        const main = /\brequire\.main\b/.exec(text);
        if (main) {
          const line = text.slice(0, main.index).split('\n').length;
          return {
            errors: [
              {
                text: 'reads require.main, which a bundle cannot answer for this file: run this entry with tsx',
                location: {
                  file: args.path,
                  line,
                  column: main.index - text.lastIndexOf('\n', main.index - 1) - 1,
                  lineText: text.split('\n')[line - 1],
                },
              },
            ],
          };
        }
        if (!/\b__(dirname|filename)\b/.test(text)) return { contents: text, loader };
        const id = String(locations.length).padStart(4, '0');
        if (id.length > 4) throw new Error('more than 10,000 source files use __dirname');
        locations.push(args.path);
        const contents = text
          .replace(/\b__dirname\b/g, `__dir${id}`)
          .replace(/\b__filename\b/g, `__file${id}`);
        return { contents, loader };
      });
    },
  };
}

/** The bundle's text with the names of {@link projectSources} declared on its banner line. */
function declareLocations(text, locations) {
  const names = locations.map((file, i) => {
    const id = String(i).padStart(4, '0');
    return `__dir${id} = ${JSON.stringify(path.dirname(file))}, __file${id} = ${JSON.stringify(file)}`;
  });
  const declaration = names.length > 0 ? `var ${names.join(', ')};` : '';
  if (!text.includes(LOCATIONS_BANNER)) throw new Error('the bundle has no banner line');
  return text.replace(LOCATIONS_BANNER, () => declaration);
}

/**
 * What the cache keeps for an entry: the bundle folder last made and every file it was made
 * from with its SHA-256.
 * @typedef {{ format: number, bundle: string, inputs: Array<[string, string]> }} BundleRecord
 */

/** @returns {BundleRecord | undefined} the record, when its bundle exists and every input is unchanged */
function freshRecord(recordFile, slot) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (
    !record ||
    record.format !== FORMAT ||
    typeof record.bundle !== 'string' ||
    !Array.isArray(record.inputs) ||
    record.inputs.length === 0 ||
    !complete(path.join(slot, record.bundle))
  )
    return undefined;
  try {
    return record.inputs.every(([file, digest]) => sha256(fs.readFileSync(file)) === digest)
      ? record
      : undefined;
  } catch {
    return undefined; // a source file was removed
  }
}

/** Removes all but the newest `kept` folders of `dir` (by modification time), never `keep`. */
function prune(dir, kept, keep) {
  let folders;
  try {
    folders = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => ({ name: d.name, time: fs.statSync(path.join(dir, d.name)).mtimeMs }))
      .sort((a, b) => b.time - a.time);
  } catch {
    return;
  }
  for (const { name } of folders.slice(kept)) {
    if (name !== keep) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** Whether a bundle folder holds both files a bundle is made of. */
const complete = (folder) =>
  fs.existsSync(path.join(folder, 'app.js')) && fs.existsSync(path.join(folder, 'app.js.map'));

/** An esbuild message as one line, `file:line:column: text`, the file relative to the working folder. */
function messageLine(m, root) {
  if (!m.location) return `  ${m.text}`;
  const { file, line, column, lineText } = m.location;
  // esbuild counts columns in UTF-8 bytes; editors, tsc and stack traces count characters from 1.
  const characters =
    typeof lineText === 'string'
      ? Buffer.from(lineText).subarray(0, column).toString('utf8').length
      : column;
  return `  ${path.relative(process.cwd(), path.resolve(root, file))}:${line}:${characters + 1}: ${m.text}`;
}

/**
 * The bundle of a TypeScript entry point, made with esbuild unless the cache holds one whose
 * every source file is unchanged (always made when `OFFICE_ZONES_CACHE=off`).
 *
 * @param {string} entry the TypeScript entry point (absolute path)
 * @param {{ cacheDir: string }} options `cacheDir`: where bundles are kept; it must be inside the
 *   project's `node_modules`, so that the bundle resolves the project's packages
 * @returns {Promise<{ file: string, fromCache: boolean }>} the bundle to `require`, and whether
 *   it came from the cache
 * @throws {Error} when esbuild is not installed, the cache cannot be written, a source reads
 *   `require.main`, or esbuild cannot bundle the sources (one line per error:
 *   `file:line:column: message`, the file relative to the working folder)
 */
async function bundledEntry(entry, { cacheDir }) {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error(
      'esbuild is not installed: run `npm ci` in the repository (esbuild is a development dependency)',
    );
  }
  const root = path.dirname(entry);
  const tsconfig = findUp(root, 'tsconfig.json');
  const target = `node${process.versions.node.split('.')[0]}`;
  const slotKey = sha256(
    JSON.stringify([
      FORMAT,
      path.resolve(entry),
      esbuild.version,
      target,
      tsconfig ? sha256(fs.readFileSync(tsconfig)) : null,
    ]),
  ).slice(0, 16);
  const slot = path.join(cacheDir, slotKey);
  const recordFile = path.join(slot, 'inputs.json');
  const off = process.env.OFFICE_ZONES_CACHE === 'off';

  const fresh = off ? undefined : freshRecord(recordFile, slot);
  if (fresh) {
    try {
      fs.utimesSync(slot, new Date(), new Date()); // the newest slot, for prune
    } catch {
      // a cache this user may read but not write: reading is enough
    }
    return { file: path.join(slot, fresh.bundle, 'app.js'), fromCache: true };
  }

  // Built in a folder at the same depth as the final one, so the source map's relative paths
  // hold after the move; moved in whole, so a concurrent synth never reads half a bundle.
  let staging;
  try {
    fs.mkdirSync(slot, { recursive: true });
    staging = fs.mkdtempSync(path.join(slot, '.tmp-'));
    fs.chmodSync(staging, 0o755); // readable by every user of the checkout, as node_modules is
  } catch (e) {
    throw new Error(
      `cannot write the bundle cache ${cacheDir} (${e.code || e.message}): make it writable, or delete it`,
    );
  }
  try {
    let result;
    const locations = [];
    const digests = new Map();
    try {
      result = await esbuild.build({
        entryPoints: [entry],
        absWorkingDir: root,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target,
        packages: 'external',
        ...(tsconfig ? { tsconfig } : {}),
        outfile: path.join(staging, 'app.js'),
        sourcemap: 'linked',
        sourcesContent: false,
        keepNames: true,
        metafile: true,
        write: false,
        logLevel: 'silent',
        banner: { js: LOCATIONS_BANNER },
        plugins: [projectSources(locations, digests)],
      });
    } catch (e) {
      // One line per error, so that editors and terminals link to the place.
      const messages = Array.isArray(e && e.errors)
        ? e.errors.map((m) => messageLine(m, root))
        : [`  ${e instanceof Error ? e.message : String(e)}`];
      throw new Error(
        `esbuild could not bundle ${path.relative(process.cwd(), entry)}:\n${messages.join('\n')}`,
      );
    }
    for (const out of result.outputFiles) {
      fs.writeFileSync(
        out.path,
        out.path.endsWith('.js') ? declareLocations(out.text, locations) : out.contents,
      );
    }
    // Each input with the digest of what esbuild read (a file of another kind: as it is now).
    const inputs = Object.keys(result.metafile.inputs)
      .map((input) => path.resolve(root, input))
      .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`))
      .map((file) => [file, digests.get(file) ?? sha256(fs.readFileSync(file))]);
    const name = sha256(JSON.stringify(inputs)).slice(0, 16);
    const folder = path.join(slot, name);
    // With the cache off, or over a damaged folder, the bundle just made replaces what is there.
    if (off || !complete(folder)) fs.rmSync(folder, { recursive: true, force: true });
    if (fs.existsSync(folder)) {
      fs.utimesSync(folder, new Date(), new Date()); // the newest again, for prune
    } else {
      try {
        fs.renameSync(staging, folder);
      } catch (e) {
        // Another synth may have moved the same bundle in first; it is as good as this one.
        if (!complete(folder))
          throw new Error(`cannot move the bundle into ${folder}: ${e.message}`);
      }
    }
    /** @type {BundleRecord} */
    const record = { format: FORMAT, bundle: name, inputs };
    const temporary = path.join(slot, `.inputs-${process.pid}.json`);
    fs.writeFileSync(temporary, JSON.stringify(record));
    fs.renameSync(temporary, recordFile);
    prune(slot, BUNDLES_KEPT, name);
    prune(cacheDir, SLOTS_KEPT, slotKey);
    return { file: path.join(folder, 'app.js'), fromCache: false };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function findUp(from, name) {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The cache folder of bundled entry points of the project that `from` is in:
 * `node_modules/.cache/office-zones/app` in the nearest folder above `from` that has a
 * `node_modules` (as constructs/shared/cache-dir.ts finds it for the other caches).
 */
function defaultAppCacheDir(from) {
  const modules = findUp(from, 'node_modules');
  if (!modules) throw new Error(`no node_modules above ${from}: run \`npm ci\` first`);
  return path.join(modules, '.cache', 'office-zones', 'app');
}

/**
 * Runs a TypeScript entry point from its bundle, with source-mapped stack traces. A bundling
 * failure is one clear message on stderr and exit code 1.
 *
 * @param {string} entry the TypeScript entry point (absolute path)
 */
function runBundled(entry) {
  bundledEntry(entry, { cacheDir: defaultAppCacheDir(path.dirname(entry)) }).then(
    ({ file }) => {
      process.setSourceMapsEnabled(true);
      require(file);
    },
    (e) => {
      process.stderr.write(`Office Zones could not start: ${e instanceof Error ? e.message : e}\n`);
      process.exitCode = 1;
    },
  );
}

module.exports = { bundledEntry, runBundled, defaultAppCacheDir, BUNDLES_KEPT, SLOTS_KEPT };

// `node bin/app-bundle.js <entry.ts>` runs another TypeScript app of the repository the same way,
// e.g. `npx cdk synth --app "node bin/app-bundle.js examples/boundary-violations/app.ts"`.
if (require.main === module) {
  const entry = process.argv[2];
  if (!entry || !/\.[cm]?ts$/.test(entry)) {
    process.stderr.write('usage: node bin/app-bundle.js <entry.ts>\n');
    process.exitCode = 1;
  } else {
    runBundled(path.resolve(entry));
  }
}
