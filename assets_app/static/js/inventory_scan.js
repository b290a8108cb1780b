// Inventarisasi scan page: reads a label's QR code from the camera or from a photo (jsQR),
// fills the form, and sends finds with an Idempotency-Key. A find that cannot be sent (weak
// network) is kept in localStorage and sent again when the connection is back.
(function () {
  "use strict";
  const root = document.getElementById("inv-scan");
  if (!root) return;
  const statusBox = document.getElementById("inv-status");
  const queueBox = document.getElementById("inv-queue");
  const form = document.getElementById("inv-form");
  const unreg = document.getElementById("inv-unreg");
  const code = document.getElementById("scan-code");
  const video = document.getElementById("inv-video");
  const canvas = document.getElementById("inv-canvas");
  const queueKey = root.dataset.queueKey;
  const MAX_QUEUED_PHOTO = 700 * 1024;
  let stream = null;

  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "alert small py-2 alert-" + (kind || "secondary");
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // --- decoding ---------------------------------------------------------------------------
  function decodeFrom(source, width, height) {
    const scale = Math.min(1, 1200 / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return window.jsQR ? jsQR(img.data, img.width, img.height) : null;
  }

  function found(text) {
    code.value = text;
    say("Label terbaca. Pilih kondisi lalu tekan Catat ditemukan.", "info");
    const cond = document.getElementById("scan-condition");
    if (cond) cond.focus();
  }

  document.getElementById("inv-file").addEventListener("change", function (event) {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    // A data: URL, not blob: (the CSP allows img-src 'self' data: only).
    const reader = new FileReader();
    reader.onload = function () {
      const img = new Image();
      img.onload = function () {
        const result = decodeFrom(img, img.naturalWidth, img.naturalHeight);
        if (result && result.data) found(result.data);
        else say("Kode QR tidak terbaca dari foto ini. Foto lebih dekat dan terang, atau ketik nomor register.", "warning");
      };
      img.onerror = function () { say("Berkas ini bukan gambar.", "warning"); };
      img.src = reader.result;
    };
    reader.onerror = function () { say("Berkas tidak dapat dibaca.", "warning"); };
    reader.readAsDataURL(file);
    event.target.value = "";
  });

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.classList.add("d-none");
    document.getElementById("inv-camera").textContent = "Buka kamera";
  }

  function tick() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      const result = decodeFrom(video, video.videoWidth, video.videoHeight);
      if (result && result.data) { stopCamera(); found(result.data); return; }
    }
    requestAnimationFrame(tick);
  }

  document.getElementById("inv-camera").addEventListener("click", function () {
    if (stream) { stopCamera(); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("Kamera tidak tersedia di peramban ini (perlu HTTPS). Gunakan foto label.", "warning");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.classList.remove("d-none");
        document.getElementById("inv-camera").textContent = "Tutup kamera";
        video.play();
        requestAnimationFrame(tick);
      })
      .catch(function () { say("Kamera tidak dapat dibuka. Izinkan kamera, atau gunakan foto label.", "warning"); });
  });

  // --- sending and the queue ---------------------------------------------------------------
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) {
    try { localStorage.setItem(queueKey, JSON.stringify(items)); } catch (e) { /* full: keep in memory */ }
    showQueue(items);
  }
  function showQueue(items) {
    items = items || loadQueue();
    queueBox.textContent = items.length ? items.length + " temuan tersimpan di perangkat; dikirim otomatis saat jaringan kembali." : "";
    queueBox.classList.toggle("d-none", !items.length);
  }

  function errorsText(body) {
    const errors = (body && body.errors) || {};
    return Object.keys(errors).map(function (k) { return [].concat(errors[k]).join(" "); }).join(" ") || "Temuan ditolak.";
  }

  function csrf() {
    const input = form.querySelector("input[name='csrf_token']");
    return input ? input.value : "";
  }

  function post(url, data, key) {
    data.set("csrf_token", csrf());
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Idempotency-Key": key },
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) {
        return { status: resp.status, body: body };
      });
    });
  }

  function toEntry(url, data, key) {
    const fields = [];
    let photo = null;
    data.forEach(function (value, name) {
      if (value instanceof File) { if (value.size) photo = { name: name, file: value }; }
      else if (name !== "csrf_token") fields.push([name, value]);
    });
    return { url: url, key: key, fields: fields, photo: photo };
  }

  function fromEntry(entry) {
    const data = new FormData();
    entry.fields.forEach(function (f) { data.append(f[0], f[1]); });
    if (entry.photoData) {
      const parts = entry.photoData.split(",");
      const bytes = atob(parts[1]);
      const arr = new Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
      data.append(entry.photoField, new Blob([arr], { type: parts[0].split(":")[1].split(";")[0] }), "foto");
    }
    return data;
  }

  function enqueue(entry) {
    const keep = function (photoData) {
      const items = loadQueue();
      items.push({ url: entry.url, key: entry.key, fields: entry.fields, photoField: entry.photo && entry.photo.name, photoData: photoData });
      saveQueue(items);
      say("Jaringan terputus: temuan tersimpan di perangkat" + (entry.photo && !photoData ? " (tanpa foto, terlalu besar)" : "") + ".", "warning");
    };
    if (entry.photo && entry.photo.file.size <= MAX_QUEUED_PHOTO) {
      const reader = new FileReader();
      reader.onload = function () { keep(reader.result); };
      reader.onerror = function () { keep(null); };
      reader.readAsDataURL(entry.photo.file);
    } else keep(null);
  }

  function bump(url) {
    const el = document.getElementById(url.indexOf("tidak-terdaftar") >= 0 ? "inv-unreg-count" : "inv-found");
    if (el) el.textContent = String((parseInt(el.textContent, 10) || 0) + 1);
  }

  function handle(result, target) {
    if (result.status < 400) {
      if (result.body.created) bump(target ? target.action : "");
      say(result.body.message || "Tercatat.", result.body.created === false ? "info" : "success");
      if (target) { target.reset(); if (target === form) code.value = ""; }
      return true;
    }
    say(errorsText(result.body), "danger");
    return false;
  }

  function submit(event) {
    event.preventDefault();
    const target = event.target;
    const data = new FormData(target);
    const key = newKey();
    say("Mengirim…", "secondary");
    post(target.action, data, key).then(function (result) {
      if (result.status >= 500) { enqueue(toEntry(target.action, data, key)); target.reset(); return; }
      handle(result, target);
    }).catch(function () { enqueue(toEntry(target.action, data, key)); target.reset(); });
  }

  let flushing = false;
  function flush() {
    const items = loadQueue();
    if (!items.length || flushing || navigator.onLine === false) { showQueue(items); return; }
    flushing = true;
    const entry = items[0];
    post(entry.url, fromEntry(entry), entry.key).then(function (result) {
      flushing = false;
      if (result.status >= 500) return;
      saveQueue(loadQueue().filter(function (e) { return e.key !== entry.key; }));
      if (result.status < 400) {
        if (result.body.created) bump(entry.url);
        say("Temuan dari perangkat terkirim: " + (result.body.message || ""), "success");
      }
      else say("Temuan dari perangkat ditolak: " + errorsText(result.body), "danger");
      flush();
    }).catch(function () { flushing = false; });
  }

  form.addEventListener("submit", submit);
  if (unreg) unreg.addEventListener("submit", submit);
  window.addEventListener("online", flush);
  setInterval(flush, 20000);
  showQueue();
  flush();
})();
