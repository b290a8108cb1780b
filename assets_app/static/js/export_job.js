// The export job page: polls the job's small JSON status while it is queued or running,
// moves the progress bar, then shows the download link (or the error). Without JS the page
// refreshes itself instead (<noscript> meta refresh).
(function () {
  "use strict";
  const box = document.querySelector("[data-export-job]");
  if (!box) return;
  const url = box.dataset.statusUrl;
  const every = parseInt(box.dataset.pollMs, 10) || 1500;
  const bar = box.querySelector("[data-export-bar]");
  const status = box.querySelector("[data-export-status]");
  const progress = box.querySelector("[data-export-progress]");
  const error = box.querySelector("[data-export-error]");
  const done = box.querySelector("[data-export-done]");
  const hint = box.querySelector("[data-export-hint]");
  const FINISHED = ["done", "failed", "expired"];
  let misses = 0;

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    status.textContent = job.status_label;
    progress.textContent = job.progress_label + " (" + job.percent + "%)";
    if (job.status === "failed") {
      error.textContent = job.error || "Ekspor gagal.";
      error.classList.remove("d-none");
    }
    if (job.status === "done") {
      done.classList.remove("d-none");
      const link = done.querySelector("a");
      if (link && job.download_url) link.href = job.download_url;
    }
    if (FINISHED.indexOf(job.status) >= 0 && hint) hint.remove();
    return FINISHED.indexOf(job.status) < 0;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (job) {
        misses = 0;
        if (show(job)) setTimeout(poll, every);
      })
      .catch(function () {
        // A server restart or a dropped connection: keep trying, more slowly.
        misses += 1;
        setTimeout(poll, Math.min(every * (1 + misses), 15000));
      });
  }

  if (FINISHED.indexOf(box.dataset.state || "") < 0) setTimeout(poll, every);
})();
