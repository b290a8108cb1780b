// Asset picker on the ticket form (/tiket/baru): narrows the grouped <select> to the chosen
// kecamatan and to the words typed in the search box, and shows the "move to gangguan"
// option only once an asset is chosen. Without JavaScript the full grouped list still works.
(function () {
  const picker = document.querySelector("[data-asset-picker]");
  if (!picker) return;
  const select = picker.querySelector("select");
  const search = picker.querySelector("[data-asset-search]");
  const onlyWithAsset = picker.querySelector("[data-asset-only]");
  const region = document.getElementById("region_code");
  // The full list, kept aside: options are rebuilt (hiding <option> does not work everywhere).
  const blank = select.options[0].cloneNode(true);
  const groups = Array.from(select.querySelectorAll("optgroup")).map(function (g) {
    return { code: g.dataset.region, label: g.label,
             options: Array.from(g.children).map(function (o) { return o.cloneNode(true); }) };
  });

  function regionOf(value) {
    for (const g of groups) {
      if (g.options.some(function (o) { return o.value === value; })) return g.code;
    }
    return null;
  }

  function rebuild() {
    const keep = select.value;
    const words = (search.value || "").toLowerCase().split(/\s+/).filter(Boolean);
    const within = region && region.value ? region.value : null;
    select.replaceChildren(blank.cloneNode(true));
    let shown = 0;
    for (const g of groups) {
      if (within && g.code !== within) continue;
      const matches = g.options.filter(function (o) {
        const text = o.textContent.toLowerCase();
        return words.every(function (w) { return text.includes(w); });
      });
      if (!matches.length) continue;
      const group = document.createElement("optgroup");
      group.label = g.label;
      group.dataset.region = g.code;
      matches.forEach(function (o) { group.appendChild(o.cloneNode(true)); });
      select.appendChild(group);
      shown += matches.length;
    }
    select.value = keep;
    if (select.value !== keep) select.value = "";
    select.options[0].textContent = words.length && !shown
      ? "— tidak ada aset yang cocok —" : blank.textContent;
    toggle();
  }

  function toggle() {
    const chosen = Boolean(select.value);
    onlyWithAsset.hidden = !chosen;
    if (!chosen) onlyWithAsset.querySelector("input").checked = false;
  }

  search.hidden = false;
  search.addEventListener("input", rebuild);
  select.addEventListener("change", function () {
    const code = regionOf(select.value);
    if (region && code && region.value !== code) {
      region.value = code;
      rebuild();
    }
    toggle();
  });
  if (region) region.addEventListener("change", rebuild);
  rebuild();
})();
