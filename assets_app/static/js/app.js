// Confirmation before destructive actions: <button data-confirm="…"> (no inline scripts: CSP).
document.addEventListener("submit", function (event) {
  const button = event.submitter;
  const message = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
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
