// Confirmation before destructive actions: <button data-confirm="…"> (no inline scripts: CSP).
document.addEventListener("submit", function (event) {
  const button = event.submitter;
  const message = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
// Logging out empties the browser's offline queues (the server sends Clear-Site-Data): ask
// first when something is still waiting in them — reports and tickets (IndexedDB, offline.js)
// or stocktake findings (localStorage, inventory_scan.js). Before the one-click guard, so
// "Batal" leaves the button usable.
function findingsOnDevice() {
  let n = 0;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith("inventory-queue-")) n += JSON.parse(localStorage.getItem(key) || "[]").length;
    }
  } catch (e) { /* storage blocked or unreadable: nothing we can count */ }
  return n;
}
function waitingOnDevice() {
  const NAME = "aset-dukcapil-antrian", STORE = "kiriman";
  return indexedDB.databases().then(function (dbs) {
    if (!dbs.some(function (d) { return d.name === NAME; })) return 0;  // open() would create it
    return new Promise(function (resolve, reject) {
      const req = indexedDB.open(NAME);
      req.onerror = function () { reject(req.error); };
      req.onsuccess = function () {
        const db = req.result;
        if (!db.objectStoreNames.contains(STORE)) { db.close(); resolve(0); return; }
        const get = db.transaction(STORE).objectStore(STORE).getAll();
        get.onsuccess = function () {
          db.close();
          resolve(get.result.filter(function (i) { return i.state === "menunggu"; }).length);
        };
        get.onerror = function () { db.close(); reject(get.error); };
      };
    });
  });
}
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.hasAttribute("data-logout") || !(window.indexedDB && indexedDB.databases)) return;
  event.preventDefault();
  waitingOnDevice().then(function (reports) {
    const n = reports + findingsOnDevice();
    if (n && !window.confirm(n + " kiriman di perangkat ini belum terkirim dan akan terhapus bila Anda keluar. Tetap keluar?")) return;
    form.submit();
  }, function () { form.submit(); });
});
// One-click guard: a form cannot be submitted twice while the first request runs.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  const form = event.target;
  if (form.dataset.submitting === "1") { event.preventDefault(); return; }
  form.dataset.submitting = "1";
  setTimeout(function () { form.dataset.submitting = ""; }, 5000);
});
document.addEventListener("click", function (event) {
  const el = event.target.closest("[data-print]");
  if (el) { event.preventDefault(); window.print(); }
});
// Phone tables (app.css, "Tables on a phone"): every list table gets the class `table-stack`
// and each cell a data-label with its column's header text, unless the template set one.
// A table marked `table-nostack` keeps its grid.
function labelTable(table) {
  if (table.classList.contains("table-nostack")) return;
  const rows = table.tHead ? table.tHead.rows : [];
  if (!rows.length) {
    // no header: each row becomes one card whose cells flow as a line of text
    table.classList.add("table-stack", "table-stack-flow");
    return;
  }
  const headers = [];
  for (const th of rows[rows.length - 1].cells) {
    const text = th.dataset.label !== undefined ? th.dataset.label : th.textContent.replace(/[▲▼]/g, "").replace(/\s+/g, " ").trim();
    for (let i = 0; i < (th.colSpan || 1); i++) headers.push(text);
  }
  for (const body of [...table.tBodies, table.tFoot].filter(Boolean)) {
    for (const row of body.rows) {
      let col = 0;
      for (const cell of row.cells) {
        if (!cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", cell.colSpan > 1 ? "" : headers[col] || "");
        }
        if (!cell.textContent.trim() && !cell.querySelector("img, svg, input, select, button, textarea")) {
          cell.classList.add("cell-empty");
        }
        col += cell.colSpan || 1;
      }
    }
  }
  table.classList.add("table-stack");
}
document.querySelectorAll("main table.table").forEach(labelTable);
// Region pickers above one kab/kota list a region's children only once it is chosen (issue 19):
// choosing a region marked "▸" in a filter form shows the page for it, whose picker then
// offers the next level. Without JavaScript the "Tampilkan" button does the same.
document.addEventListener("change", function (event) {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.multiple) return;
  const form = select.form;
  const option = select.options[select.selectedIndex];
  if (!form || !option || (form.method || "get").toLowerCase() !== "get") return;
  if (option.text.trim().endsWith("▸")) form.requestSubmit ? form.requestSubmit() : form.submit();
});
