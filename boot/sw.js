// Margin Lab's service worker: after the first visit the app opens offline.
//
// The build writes the list of its files and a version made from their contents into this file
// (boot/precache.mjs, a Trunk post-build hook), so every deployment is a new worker with its own
// cache, installed in the background and the old cache deleted when it takes over. The page is
// fetched network-first (a new deployment is used as soon as the network answers; the cached page
// is only the offline fallback); everything else is cache-first: the JS, wasm and CSS are named by
// their content hash, and the recorded prices are checked against their SHA-256 by the app.
const VERSION = '__MARGIN_LAB_VERSION__';
const FILES = __MARGIN_LAB_FILES__;
const CACHE = `margin-lab-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('margin-lab-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'version') event.source?.postMessage({ version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) => cache.match('./index.html').then((hit) => hit ?? Response.error())),
      ),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true }).then((hit) => hit ?? fetch(request))),
  );
});
