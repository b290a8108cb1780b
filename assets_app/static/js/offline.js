/* Offline, exactly once: a form marked data-offline-queue="NAME" is sent with fetch and an
 * Idempotency-Key made here in the browser. When the network is down the submission is kept
 * in IndexedDB ("Tersimpan di perangkat — akan dikirim saat jaringan kembali") and sent again
 * when the browser is back online (and on every page load); the server accepts each key once
 * and answers a resend with the stored result, so a replay never writes twice.
 *
 * CSRF: a queued form keeps the token of the page it was filled on. The token lasts
 * WTF_CSRF_TIME_LIMIT (8 hours) and belongs to the login session; when a replay is refused
 * with 400 (token expired), a fresh token is fetched from data-token-url (same session) and
 * the submission is sent once more. When the session itself ended (the token URL answers with
 * the login page), the submission stays queued until the camat logs in again.
 *
 * The service worker (/sw.js, Workbox) keeps the pages and their static files for offline use.
 */
(function () {
  "use strict";
  var DB = "aset-dukcapil-antrian", STORE = "kiriman";
  var SAVED = "Tersimpan di perangkat — akan dikirim saat jaringan kembali.";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), out;
        var store = t.objectStore(STORE);
        out = work(store);
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }

  function put(item) { return tx("readwrite", function (s) { return s.put(item); }); }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function body(entries, token) {
    var fd = new FormData();
    entries.forEach(function (e) {
      fd.append(e[0], e[0] === "csrf_token" && token ? token : e[1]);
    });
    return fd;
  }

  function post(item, token) {
    return fetch(item.url, {
      method: "POST",
      body: body(item.entries, token),
      credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, "Accept": "application/json", "X-CSRFToken": token || item.token || "" }
    });
  }

  function freshToken(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!r.ok || !json) throw new Error("login");
        return r.json();
      })
      .then(function (d) { return d.csrf_token; });
  }

  /* Sends one item; resolves with the item updated (state: terkirim, ditolak, menunggu). */
  function send(item) {
    return post(item).then(function (r) {
      if (r.status === 400 && item.tokenUrl) {
        return freshToken(item.tokenUrl).then(function (t) { item.token = t; return post(item, t); });
      }
      return r;
    }).then(function (r) { return settle(item, r); }, function (err) {
      item.state = "menunggu";
      item.info = err && err.message === "login" ? "Masuk kembali untuk mengirim." : "";
      return item;
    });
  }

  function settle(item, r) {
    var type = r.headers.get("Content-Type") || "";
    if (r.ok && type.indexOf("application/json") === 0) {
      return r.json().then(function (d) {
        item.state = "terkirim"; item.at = new Date().toISOString(); item.info = d.message || "";
        return item;
      });
    }
    if (r.ok && r.redirected && r.url.indexOf("/login") < 0) {
      item.state = "terkirim"; item.at = new Date().toISOString(); item.link = r.url; item.info = "";
      return item;
    }
    if (r.ok && r.redirected) {
      item.state = "menunggu"; item.info = "Masuk kembali untuk mengirim.";
      return item;
    }
    if (r.status >= 500) { item.state = "menunggu"; item.info = ""; return item; }
    return (type.indexOf("application/json") === 0 ? r.json() : Promise.resolve({})).then(function (d) {
      item.state = "ditolak"; item.errors = d.errors || {};
      item.info = "Ditolak server (" + r.status + "): buka formulir dan perbaiki isinya.";
      return item;
    });
  }

  /* The user this page belongs to: a device shared by two people sends each one's queue
   * only in their own session (never someone else's report under another login). */
  function me() {
    var el = document.querySelector("[data-queue-user]");
    return el ? el.getAttribute("data-queue-user") : null;
  }

  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "menunggu" && i.user === me(); });
      return waiting.reduce(function (p, item) {
        return p.then(function () { return send(item).then(put); });
      }, Promise.resolve()).then(function () {
        if (!waiting.length) return;
        var box = document.querySelector("[data-queue-message]");
        if (box) {
          box.className = "alert alert-success";
          box.textContent = "Kiriman yang tersimpan di perangkat sudah dikirim; lihat daftar di bawah.";
        }
      });
    }).then(render, render).then(function () { flushing = null; }, function () { flushing = null; });
    return flushing;
  }

  /* Sends a stored item again whatever its state (a replay: the server answers with the
   * stored result and writes nothing). */
  function replay(key) {
    return all().then(function (items) {
      var item = items.filter(function (i) { return i.key === key; })[0];
      if (!item) return null;
      return post(item).then(function (r) { return r.status; });
    });
  }

  var LABEL = { menunggu: "Menunggu dikirim", terkirim: "Terkirim", ditolak: "Ditolak" };
  function render() {
    return all().then(function (items) {
      document.querySelectorAll("[data-queue-list]").forEach(function (list) {
        var name = list.getAttribute("data-queue-list");
        var mine = items.filter(function (i) { return i.queue === name && i.user === me(); })
          .sort(function (a, b) { return a.created < b.created ? 1 : -1; });
        var ul = list.querySelector("[data-queue-items]");
        ul.textContent = "";
        list.querySelector("[data-queue-empty]").hidden = mine.length > 0;
        mine.forEach(function (i) {
          var li = document.createElement("li");
          li.setAttribute("data-queue-state", i.state);
          li.className = "border-bottom py-1";
          var when = new Date(i.created).toLocaleString("id-ID");
          li.textContent = LABEL[i.state] + " · diisi " + when + (i.info ? " · " + i.info : "");
          if (i.link) {
            var a = document.createElement("a");
            a.href = i.link; a.textContent = " buka";
            li.appendChild(a);
          }
          ul.appendChild(li);
        });
      });
    });
  }

  function showErrors(form, errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    Object.keys(errors || {}).forEach(function (name) {
      var box = form.querySelector('[data-error-for="' + name + '"]');
      var input = form.querySelector('[name="' + name + '"]');
      if (input) input.classList.add("is-invalid");
      if (box) box.textContent = errors[name].join(" ");
      else showMessage(form, errors[name].join(" "), "danger");
    });
  }

  function showMessage(form, text, kind) {
    var box = document.querySelector("[data-queue-message]");
    if (!box) return;
    box.className = "alert alert-" + (kind || "info");
    box.textContent = text;
  }

  /* A new key for each page view (a page served from the cache must not resend the key it
   * was cached with); kept for resubmits of the same filling. */
  function freshKey(form) {
    var key = newKey(), field = form.querySelector('[name="idempotency_key"]');
    form.dataset.pendingKey = key;
    if (field) field.value = key;
  }

  function onSubmit(ev) {
    var form = ev.target;
    if (form.dataset.native === "1") return;  // the server renders the refusal itself
    // data-offline-only: online the browser posts the form itself (the server's own pages
    // and messages); only a submission made offline is queued.
    if (form.hasAttribute("data-offline-only") && navigator.onLine) return;
    ev.preventDefault();
    var keyField = form.querySelector('[name="idempotency_key"]');
    var key = form.dataset.pendingKey || newKey();
    form.dataset.pendingKey = key;
    if (keyField) keyField.value = key;
    var entries = [];
    new FormData(form).forEach(function (v, k) { entries.push([k, v]); });
    var item = {
      key: key, queue: form.getAttribute("data-offline-queue"), url: form.action || location.href,
      user: form.getAttribute("data-queue-user"),
      entries: entries, tokenUrl: form.getAttribute("data-token-url"), state: "menunggu",
      created: new Date().toISOString()
    };
    var button = form.querySelector('[type="submit"]');
    if (button) button.disabled = true;
    post(item).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (r.ok || type.indexOf("application/json") === 0) {
        return settle(item, r).then(function (done) {
          if (done.state === "ditolak") {
            showErrors(form, done.errors);
            showMessage(form, "Laporan belum tersimpan: perbaiki isian yang ditandai.", "danger");
            return;
          }
          freshKey(form);
          return put(done).then(function () {
            if (done.link) { location.href = done.link; return; }
            showErrors(form, {});
            showMessage(form, done.info || "Terkirim.", "success");
          });
        });
      }
      // A refusal rendered as a page (the ticket form): let the browser post it, same key.
      form.dataset.native = "1";
      form.submit();
    }, function () {
      return put(item).then(function () {
        // a ticket queued is done: an empty form, so a second tap is not a second ticket
        if (form.hasAttribute("data-offline-only")) form.reset();
        freshKey(form);
        showMessage(form, SAVED, "warning");
      });
    }).then(render).then(function () { if (button) button.disabled = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-offline-queue]").forEach(function (form) {
      freshKey(form);
      form.addEventListener("submit", onSubmit);
    });
    document.querySelectorAll("[data-device-status]").forEach(function (sel) {
      sel.addEventListener("change", function () {
        var box = sel.closest("[data-device]").querySelector("[data-device-down]");
        box.hidden = sel.value === "operasional";
      });
    });
    render().then(flush);
    setInterval(function () { if (navigator.onLine) flush(); }, 10000);
  });
  window.addEventListener("online", flush);
  window.offlineQueue = { flush: flush, replay: replay, all: all, render: render };
})();
