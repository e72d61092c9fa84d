// Linli's service worker: the pages that must open without signal (a building's survey walk, a
// household's survey form, a helper's check-ins) are kept as they were last loaded, and so are the
// stylesheet and scripts. Pages come from the network first; the kept copy only when there is none.
'use strict';
var CACHE = 'linli-offline-v1';
var PAGES = /^\/care\/(surveys\/\d+\/(buildings|households)\/\d+$|mine$|checkins(\/|$))/;

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });

// The copy is kept without the one-off banner (?notice=...), so the page reloads from it.
function key(url) {
  var copy = new URL(url);
  copy.searchParams.delete('notice');
  copy.hash = '';
  return copy.toString();
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Signing out forgets the kept pages: the next person on this phone must not read them.
  if (request.method === 'POST' && url.pathname === '/logout') { event.waitUntil(caches.delete(CACHE)); return; }
  if (request.method !== 'GET') return;
  if (url.pathname.indexOf('/assets/') === 0) {
    // Fingerprinted: a name never changes its bytes.
    event.respondWith(caches.match(request).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok) { var copy = response.clone(); caches.open(CACHE).then(function (cache) { cache.put(request, copy); }); }
        return response;
      });
    }));
    return;
  }
  if (!PAGES.test(url.pathname)) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(key(request.url), copy); }));
    }
    return response;
  }, function () {
    return caches.match(key(request.url)).then(function (kept) { return kept || Response.error(); });
  }));
});
