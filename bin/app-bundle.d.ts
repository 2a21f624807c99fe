// Types of bin/app-bundle.js, which is plain CommonJS because it runs before anything can
// compile TypeScript.

/** How many bundles of one entry the cache keeps (the newest). */
export declare const BUNDLES_KEPT: number;

/** How many entries' bundles the cache keeps (the newest used). */
export declare const SLOTS_KEPT: number;

/**
 * The bundle of a TypeScript entry point, made with esbuild unless the cache holds one whose
 * every source file is unchanged (always made when `OFFICE_ZONES_CACHE=off`).
 *
 * @param entry the TypeScript entry point (absolute path)
 * @param options.cacheDir where bundles are kept; inside the project's `node_modules`, so that
 *   the bundle resolves the project's packages
 * @returns the bundle to `require`, and whether it came from the cache
 * @throws Error when esbuild is not installed, the cache cannot be written, a source reads
 *   `require.main`, or esbuild cannot bundle the sources (one line per error:
 *   `file:line:column: message`, the file relative to the working folder)
 */
export declare function bundledEntry(
  entry: string,
  options: { readonly cacheDir: string },
): Promise<{ readonly file: string; readonly fromCache: boolean }>;

/**
 * Runs a TypeScript entry point from its bundle, with source-mapped stack traces; a bundling
 * failure is one line on stderr and exit code 1.
 */
export declare function runBundled(entry: string): void;

/** `node_modules/.cache/office-zones/app` of the project that `from` is in. */
export declare function defaultAppCacheDir(from: string): string;
