/* The service worker of Aset Dukcapil, served as /sw.js (scope "/"). Workbox from
 * /static/vendor/workbox/ (never a CDN). It keeps the pages a camat needs offline
 * (the daily report and the ticket form: network first, the last copy when offline) and the
 * static files (cache first, refreshed in the background). Submissions are not cached: the
 * page queues them in IndexedDB (static/js/offline.js) and sends them when online. */
importScripts("/static/vendor/workbox/workbox-sw.js");
workbox.setConfig({ debug: false, modulePathPrefix: "/static/vendor/workbox/" });

var OFFLINE_PAGES = ["/lapor-harian", "/tiket/baru"];
var PAGES = "halaman-v1";
var STATIC = "statis-v1";

workbox.routing.registerRoute(
  function (ctx) {
    return ctx.request.mode === "navigate" && ctx.url.origin === self.location.origin &&
      OFFLINE_PAGES.indexOf(ctx.url.pathname) >= 0;
  },
  new workbox.strategies.NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 5,
    matchOptions: { ignoreVary: true, ignoreSearch: false },
    plugins: [{
      // keep only the page itself, never a login page it was redirected to
      cacheWillUpdate: function (p) {
        return p.response && p.response.ok && !p.response.redirected ? p.response : null;
      }
    }]
  })
);

workbox.routing.registerRoute(
  function (ctx) { return ctx.url.origin === self.location.origin && /^(\/bootstrap)?\/static\//.test(ctx.url.pathname); },
  new workbox.strategies.StaleWhileRevalidate({ cacheName: STATIC })
);

// The static files a page refers to (its <link href> and <script src> under /static/ and /bootstrap/static/).
function staticOf(html) {
  var out = [], re = /(?:href|src)="((?:\/bootstrap)?\/static\/[^"]+)"/g, m;
  while ((m = re.exec(html))) out.push(m[1].replace(/&amp;/g, "&"));
  return out;
}

self.addEventListener("install", function (event) {
  self.skipWaiting();
  // the offline pages, with the session of whoever installed the worker, and their files
  event.waitUntil(Promise.all([caches.open(PAGES), caches.open(STATIC)]).then(function (c) {
    return Promise.all(OFFLINE_PAGES.map(function (path) {
      return fetch(path, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok || r.redirected) return null;
        return r.clone().text().then(function (html) {
          return Promise.all([c[0].put(path, r)].concat(staticOf(html).map(function (url) {
            return c[1].add(url).catch(function () {});
          })));
        });
      }).catch(function () {});
    }));
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});
