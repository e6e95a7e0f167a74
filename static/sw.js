// The playground's service worker: once the page has loaded, it keeps working offline.
// Every same-origin GET is answered from the network when it can be (so a new build is
// picked up at once) and from the cache when it cannot. At install it caches the page and
// what the page loads (Trunk's hashed file names are read from index.html), the
// CloudFormation worker and the parameter schema, so templates and the inspector work
// offline too.
"use strict";

const CACHE = "loosely";
// Loaded on demand by the page, so not named in index.html: the CloudFormation worker and
// the parameter schema the inspector reads.
const WORKER_FILES = [
  "cfn-worker_loader.js",
  "cfn-worker.js",
  "cfn-worker_bg.wasm",
  "scenario-schema.json",
];

async function precache() {
  const cache = await caches.open(CACHE);
  const page = await fetch("./", { cache: "no-cache" });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put("./", page);
  const files = new Set(WORKER_FILES);
  for (const match of html.matchAll(/(?:href|src)="\.?\/?([^"?#:]+\.(?:js|wasm|css|html))"/g)) {
    files.add(match[1]);
  }
  await Promise.all(
    [...files].map(async (file) => {
      try {
        const response = await fetch(file, { cache: "no-cache" });
        if (response.ok) await cache.put(file, response);
      } catch (_) {
        // Offline already, or the file is gone: the fetch handler caches what loads later.
      }
    })
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(async () => {
        const cached =
          (await caches.match(request, { ignoreSearch: true })) ||
          (request.mode === "navigate" ? await caches.match("./") : undefined);
        return cached || Response.error();
      })
  );
});
