// Generate the site's service worker, <site>/sw.js, with Workbox (npm workbox-build, pinned in
// package.json), after mkdocs has written the site (scripts/lib.sh: build_site).
//
//   node tools/build_service_worker.mjs SITE_DIR              write SITE_DIR/sw.js, print a summary
//   node tools/build_service_worker.mjs SITE_DIR --manifest   print the precache manifest as JSON only
//
// What it precaches: every file of the built site (pages, theme, our modules, the search index, the
// Pyodide runtime including the 9.6 MB wasm, the standard library zip, the lockfile and our wheel), each
// with a revision = hash of its content. So after one visit every page and the calculator work with the
// network off, and a deployment that changes any file changes sw.js, which the browser notices.
// Left out: a fallback full stdlib (*.full.zip, only fetched if the trimmed one fails), compressed
// duplicates (*.gz: the sitemap), and the worker itself.
//
// Update policy (docs/javascripts/offline.js is the page side): a new worker installs its precache next
// to the old one and then WAITS (no skipWaiting, no clientsClaim), so an open page keeps being served the
// version it was loaded with. The page offers a reload; on the reader's yes it posts {type: "SKIP_WAITING"},
// the new worker activates and deletes the old revisions, and the page reloads into the new version.
// Versions are never mixed silently. The Workbox runtime is inlined into sw.js: nothing from a CDN.
// Workbox only ever deletes its own caches (names "b12-calc-precache-v2-<scope>"); caches made by other
// code (e.g. an engine snapshot) are left alone.

import { existsSync } from "node:fs";
import { generateSW, getManifest } from "workbox-build";

export const SW_FILE = "sw.js";
const HEAD_REQUESTS_SCRIPT = "javascripts/sw-head-requests.js";

/** The precache configuration shared by the manifest listing and the worker generation. */
export function precacheConfig(siteDir) {
  return {
    globDirectory: siteDir,
    globPatterns: ["**/*"],
    globIgnores: [SW_FILE, "**/*.full.zip", "**/*.gz", "**/*.map", "downloads/**"],
    // Workbox skips files over 2 MiB by default; the Pyodide wasm is 9.6 MB. Anything bigger than this
    // limit fails the build below instead of silently breaking offline use.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
  };
}

async function main(argv) {
  const [siteDir, flag] = argv;
  if (!siteDir || (flag !== undefined && flag !== "--manifest")) {
    console.error("usage: node tools/build_service_worker.mjs SITE_DIR [--manifest]");
    return 2;
  }
  if (flag === "--manifest") {
    const { manifestEntries, count, size, warnings } = await getManifest(precacheConfig(siteDir));
    console.log(JSON.stringify({ count, size, warnings, entries: manifestEntries }));
    return 0;
  }
  const started = Date.now();
  if (!existsSync(`${siteDir}/${HEAD_REQUESTS_SCRIPT}`)) {
    console.error(`service worker: ${siteDir}/${HEAD_REQUESTS_SCRIPT} is missing (docs/javascripts/)`);
    return 1;
  }
  const { count, size, warnings } = await generateSW({
    ...precacheConfig(siteDir),
    swDest: `${siteDir}/${SW_FILE}`,
    cacheId: "b12-calc",
    // A request for <page>/ is answered with <page>/index.html (mkdocs' directory URLs).
    directoryIndex: "index.html",
    // The theme's search links add ?h=<term>; no resource of this static site depends on a query.
    ignoreURLParametersMatching: [/.*/],
    cleanupOutdatedCaches: true,
    // Our own addition to the worker (same origin, precached like every file): HEAD requests answered
    // from the precache, which Workbox does not do.
    importScripts: [HEAD_REQUESTS_SCRIPT],
    skipWaiting: false,
    clientsClaim: false,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: "production",
  });
  if (warnings.length > 0) {
    // e.g. a file over the size limit was skipped: the site would not work offline.
    console.error(`service worker: ${warnings.join("\n")}`);
    return 1;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`    ${siteDir}/${SW_FILE}: precaches ${count} files, ${size} bytes (${seconds} s)`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
