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
// Each file is downloaded once per visit: every entry also carries its sha256 as `integrity`, and
// javascripts/site/sw-precache-reuse.js lets the install take a file from the browser's HTTP cache (where the
// page and the engine have just put it) when its bytes match that hash, instead of Workbox's re-download.
// A mistyped address while offline gets the site's 404 page from the precache (a navigation that is not a
// precached page goes to the network; if the network fails, 404.html answers).
//
// Update policy (docs/javascripts/site/offline.js is the page side): a new worker installs its precache next
// to the old one and then WAITS (no skipWaiting, no clientsClaim), so an open page keeps being served the
// version it was loaded with. The page offers a reload; on the reader's yes it posts {type: "SKIP_WAITING"},
// the new worker activates and deletes the old revisions, and the page reloads into the new version.
// Versions are never mixed silently. The Workbox runtime is inlined into sw.js: nothing from a CDN.
// Workbox only ever deletes its own caches (names "b12-calc-precache-v2-<scope>"); caches made by other
// code (e.g. an engine snapshot) are left alone.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateSW, getManifest } from "workbox-build";

export const SW_FILE = "sw.js";
// Our own additions to the worker, loaded before Workbox's code (same origin, precached like every file).
const IMPORTED_SCRIPTS = ["javascripts/site/sw-precache-reuse.js", "javascripts/site/sw-head-requests.js"];
const NOT_FOUND_PAGE = "404.html";

/** The precache configuration shared by the manifest listing and the worker generation. */
export function precacheConfig(siteDir) {
  return {
    globDirectory: siteDir,
    globPatterns: ["**/*"],
    globIgnores: [SW_FILE, "**/*.full.zip", "**/*.gz", "**/*.map", "downloads/**"],
    // Workbox skips files over 2 MiB by default; the Pyodide wasm is 9.6 MB. Anything bigger than this
    // limit fails the build below instead of silently breaking offline use.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    manifestTransforms: [withIntegrity(siteDir)],
  };
}

/** A manifest transform: each entry gets the sha256 of its file as a Subresource Integrity value. */
function withIntegrity(siteDir) {
  return async (entries) => ({
    manifest: entries.map((entry) => ({
      ...entry,
      integrity: `sha256-${createHash("sha256").update(readFileSync(join(siteDir, entry.url))).digest("base64")}`,
    })),
    warnings: [],
  });
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
  for (const script of [...IMPORTED_SCRIPTS, NOT_FOUND_PAGE]) {
    if (!existsSync(`${siteDir}/${script}`)) {
      console.error(`service worker: ${siteDir}/${script} is missing`);
      return 1;
    }
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
    // Our own additions (same origin, precached like every file): precache installs that reuse the HTTP
    // cache, and HEAD requests answered from the precache, which Workbox does not do.
    importScripts: IMPORTED_SCRIPTS,
    // Navigations to a page that is not precached (a mistyped address) go to the network, which answers
    // with the site's 404 page; offline, the precached 404.html answers instead of the browser's error.
    runtimeCaching: [{
      urlPattern: ({ request }) => request.mode === "navigate",
      handler: "NetworkOnly",
      options: { precacheFallback: { fallbackURL: NOT_FOUND_PAGE } },
    }],
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
