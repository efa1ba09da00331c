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
  // The search field in the header: once it has the focus, the search page's files start coming (into the
  // browser's cache) while the words are typed, and so do the index chunks the typed words need (the same
  // rule as buscar.js: buscar-titulos.json "x" holds each chunk's first and last word), so that on a slow
  // line the results wait less.
  var top = document.getElementById("q-top");
  if (top && top.form) {
    var fetched = {}, table = null;
    var prefetch = function (file) {
      if (fetched[file]) return fetched[file];
      var l = document.createElement("link");
      l.rel = "prefetch";
      l.href = new URL(file, top.form.action).href;
      fetched[file] = new Promise(function (done) { l.onload = l.onerror = done; });
      document.head.append(l);
      return fetched[file];
    };
    top.addEventListener("focus", function () {
      var lang = (document.documentElement.lang || "unknown").toLowerCase();
      ["buscar.js", "pagefind/pagefind.js"].forEach(prefetch);
      // the chunks only once the WebAssembly has come: sharing a slow line, neither would be there in time
      table = prefetch("pagefind/wasm." + lang + ".pagefind").then(function () {
        return fetch(new URL("buscar-titulos.json", top.form.action).href);
      }).then(function (r) { return r.json(); }).catch(function () { return null; });
    }, { once: true });
    top.addEventListener("input", function () {
      var typed = top.value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(function (w) {
        return w.slice(0, 4);
      });
      if (table) {
        table.then(function (t) {
          ((t && t.x) || []).forEach(function (c) {
            if (typed.some(function (f) { return c[0] <= f + "\uffff" && f <= c[1]; })) prefetch(c[2]);
          });
        });
      }
    });
  }
  // "Sugerir un cambio": the page it came from (?pagina=) written into the text and the e-mail.
  var text = document.getElementById("sugerencia");
  if (text) {
    var from = new URLSearchParams(location.search).get("pagina") || "";
    if (/^[\w\-\/.]+\.html$/.test(from)) {
      var address = new URL(from, location.href).href;
      text.value = text.value.replace(/^Página: .*$/m, "Página: " + address);
    }
    var mail = document.getElementById("sugerir-correo");
    var sync = function () { if (mail) mail.href = mail.href.split("&body=")[0] + "&body=" + encodeURIComponent(text.value); };
    sync();
    text.addEventListener("input", sync);
    var copy = document.getElementById("copiar-sugerencia");
    if (navigator.clipboard && copy) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(text.value).then(function () {
          document.getElementById("copiada").textContent = "Texto copiado.";
        });
      });
    }
  }
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
