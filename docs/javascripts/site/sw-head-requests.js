// Part of the service worker: the generated sw.js loads it with importScripts (see
// tools/build_service_worker.mjs). Workbox answers GET requests only; this answers HEAD requests for
// precached files from the precache, so a reachability check (the engine worker probes the wasm with a
// HEAD request when its boot is slow) succeeds offline instead of reporting the runtime as missing.
// Not a page module: nothing on the page loads it.

const PRECACHE_PREFIX = "b12-calc-precache-";

async function headFromPrecache(request) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PRECACHE_PREFIX)) continue;
    // Precache keys carry a ?__WB_REVISION__=<hash> parameter: match on the path.
    const hit = await (await caches.open(name)).match(request.url, { ignoreSearch: true });
    if (hit) {
      return new Response(null, { status: hit.status, statusText: hit.statusText, headers: hit.headers });
    }
  }
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method === "HEAD" && new URL(request.url).origin === self.location.origin) {
    event.respondWith(headFromPrecache(request));
  }
});
