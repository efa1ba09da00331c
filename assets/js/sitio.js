// Small improvements on every page; without JavaScript the page works as it is.
(function () {
  // Checklists: ticks kept in this browser only (localStorage), by page and box.
  var boxes = document.querySelectorAll("main input.tick");
  var key = "gb-ticks:" + location.pathname;
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
  boxes.forEach(function (box, i) {
    box.checked = !!saved[i];
    box.addEventListener("change", function () {
      if (box.checked) saved[i] = 1; else delete saved[i];
      try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* private mode: not kept */ }
    });
  });
  // Copy-link buttons beside section headings.
  if (!navigator.clipboard) return;
  document.querySelectorAll("main h2[id], main h3[id], main section[id] > h2, main section[id] > h3").forEach(function (h) {
    var id = h.id || (h.parentElement && h.parentElement.id);
    if (!id || h.querySelector(".copy-link") || h.closest(".filters, .finder-step, .downloads")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-link";
    b.setAttribute("aria-label", "Copiar el enlace a «" + h.textContent.trim() + "»");
    b.textContent = "#";
    b.addEventListener("click", function () {
      var url = location.href.split("#")[0] + "#" + id;
      navigator.clipboard.writeText(url).then(function () {
        b.textContent = "Enlace copiado";
        setTimeout(function () { b.textContent = "#"; }, 2000);
      });
    });
    h.append(" ", b);
  });
})();
