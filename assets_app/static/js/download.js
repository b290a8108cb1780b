// Downloads that can take a while (label sheets, exports): <a data-download href="…">.
// The link is disabled and says "Menyiapkan berkas…" until the file has arrived; the file is
// fetched and handed to the browser as a blob under the server's file name. A page instead
// of a file (a refusal shown as a flash message) is opened as a normal page.
(function () {
  "use strict";
  const BUSY = "Menyiapkan berkas…";

  function fileName(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    const plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function busy(link, on) {
    if (on) {
      link.dataset.label = link.textContent;
      link.textContent = BUSY;
      link.classList.add("disabled");
      link.setAttribute("aria-disabled", "true");
      link.setAttribute("aria-busy", "true");
    } else {
      link.textContent = link.dataset.label || link.textContent;
      link.classList.remove("disabled");
      link.removeAttribute("aria-disabled");
      link.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-download]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    busy(link, true);
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        const type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("text/html") === 0) {
          window.location.assign(response.url || link.href);
          return null;
        }
        return response.blob().then(function (blob) {
          const url = URL.createObjectURL(blob);
          const a = document.createElement("a");
          a.href = url;
          a.download = fileName(response, "berkas");
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        });
      })
      .catch(function () { window.location.assign(link.href); })
      .finally(function () { busy(link, false); });
  });
})();
