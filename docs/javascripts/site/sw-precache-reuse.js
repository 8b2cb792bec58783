// Part of the service worker: the generated sw.js loads it with importScripts before Workbox's own code
// (see tools/build_service_worker.mjs). Not a page module: nothing on the page loads it.
//
// Each file downloaded once per visit. Workbox's precache asks for every revisioned file with
// {cache: "reload"}, which skips the HTTP cache: installing the worker after a first visit downloaded again
// everything the page and the engine had just fetched (about 5.3 MB compressed, the runtime included).
// Every precache entry also carries its sha256 as `integrity` (written by the build), so the copy already
// in the browser's HTTP cache can be used safely: the same request is made with {cache: "default"}, and
// the browser checks the bytes against the hash whether they come from the cache or the network. A copy
// that does not match (an older deployment still fresh in the HTTP cache) fails that check and the file is
// fetched again as Workbox asked. Every other request goes to the network unchanged.

const networkFetch = self.fetch.bind(self);

self.fetch = (input, init) => {
  if (input instanceof Request && input.cache === "reload" && input.integrity && init === undefined) {
    return networkFetch(new Request(input, { cache: "default" })).catch(() => networkFetch(input));
  }
  return networkFetch(input, init);
};
