// The field app's shell, kept on the phone: after the first visit the app opens with no network at all.
// API calls are never cached here: reports live in the outbox (IndexedDB), and the last briefing is kept there too.
const CACHE = "coordinator-field-v1";
const SHELL = [
  "/field/", "/field/app.js", "/field/store.js", "/field/outbox.js", "/field/forms.js", "/field/field.css",
  "/field/icon.svg", "/field/manifest.webmanifest", "/dom.js", "/i18n.js", "/operation.js", "/i18n/en.json", "/i18n/ar.json",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Cached first, so a page opened underground never waits for a network that is not there; refreshed behind,
// so the next start has what the node serves now.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  const key = event.request.mode === "navigate" ? "/field/" : url.pathname;
  if (!SHELL.includes(key)) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(key);
    // Past the browser's own cache: a copy refreshed from it could be as old as the one it replaces.
    const fresh = fetch(event.request, { cache: "no-cache" }).then((r) => { if (r.ok) cache.put(key, r.clone()); return r; });
    if (cached) { event.waitUntil(fresh.catch(() => undefined)); return cached; }
    return fresh;
  }));
});
