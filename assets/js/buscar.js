// The search page: pagefind's own API (pagefind/pagefind.js), results built as DOM text nodes.
// A classic script (not a module), so that opened from a file it can still say why search cannot work.
// Results come five at a time (each one fetches its fragment only when shown); typing searches as you go;
// a search that finds nothing tries the closest words of the guide (buscar-palabras.json).
(function () {
  var form = document.getElementById("buscar");
  var input = document.getElementById("q");
  var status = document.getElementById("estado");
  var list = document.getElementById("resultados");
  var more = document.getElementById("mas-resultados");
  var help = document.getElementById("sin-resultados");
  var PAGE = 5;
  var pagefind = null, words = null, current = null, shown = 0, serial = 0, timer = null;

  if (location.protocol === "file:") {
    status.textContent = "La búsqueda solo funciona cuando el sitio está publicado en la web o se abre con "
      + "«guidebuilder serve». Desde un archivo, use el índice de la guía, los catálogos o el archivo completo.";
    help.hidden = false;
    form.querySelector("button").disabled = true;
    return;
  }

  function load() {
    if (!pagefind) {
      pagefind = import("./pagefind/pagefind.js").then(function (pf) {
        return pf.options({ excerptLength: 24 }).then(function () { pf.init(); return pf; });
      });
    }
    return pagefind;
  }

  function excerpt(html) {
    // pagefind marks the matched words with <mark>; keep those, everything else as text
    var p = document.createElement("p");
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        p.append(m);
      } else {
        p.append(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function item(d) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = d.url.replace(/^\//, "");
    a.textContent = (d.meta && d.meta.title) || d.url;
    h.append(a);
    li.append(h);
    if (d.meta && d.meta.tipo) {
      var k = document.createElement("p");
      k.className = "result-kind";
      k.textContent = d.meta.tipo;
      li.append(k);
    }
    li.append(excerpt(d.excerpt || ""));
    return li;
  }

  function showMore(n) {
    var batch = current.results.slice(shown, shown + PAGE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
      if (n !== serial) return;
      data.forEach(function (d) { list.append(item(d)); });
      shown += batch.length;
      more.hidden = shown >= current.results.length;
    });
  }

  function norm(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  function distance(a, b) {
    // edits between two words, a swap of two neighbouring letters counting as one ("raido" → "radio")
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  function closest(q) {
    if (!words) words = fetch("buscar-palabras.json").then(function (r) { return r.json(); }).catch(function () { return []; });
    return words.then(function (list) {
      var changed = false;
      var out = q.split(/\s+/).filter(Boolean).map(function (w) {
        var n = norm(w), best = null, bestD = n.length > 6 ? 3 : 2;
        if (n.length < 4) return w;
        list.forEach(function (cand) {
          if (Math.abs(cand.length - n.length) >= bestD) return;
          var d = distance(n, norm(cand));
          if (d > 0 && d < bestD) { bestD = d; best = cand; }
          else if (d === 0) { bestD = 0; best = null; }
        });
        if (best) { changed = true; return best; }
        return w;
      });
      return changed ? out.join(" ") : null;
    });
  }

  function run(q, fallback) {
    var n = ++serial;
    list.replaceChildren();
    more.hidden = true;
    help.hidden = true;
    shown = 0;
    if (!q.trim()) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = "Buscando…";
    return load().then(function (pf) { return pf.search(q); }).then(function (search) {
      if (n !== serial) return;
      current = search;
      var total = search.results.length;
      if (total === 0 && !fallback) {
        return closest(q).then(function (other) {
          if (n !== serial) return;
          if (!other) {
            status.textContent = "No hay resultados para «" + q + "».";
            help.hidden = false;
            return;
          }
          return run(other, q);
        });
      }
      if (total === 0) {
        status.textContent = "No hay resultados para «" + fallback + "».";
        help.hidden = false;
        return;
      }
      return showMore(n).then(function () {
        if (n !== serial) return;
        var found = total + " " + (total === 1 ? "resultado" : "resultados");
        status.textContent = fallback
          ? "No hay resultados para «" + fallback + "». " + found + " para «" + q + "», la palabra más parecida de la guía."
          : found + " para «" + q + "».";
      });
    }).catch(function () {
      if (n === serial) status.textContent = "La búsqueda no está disponible en este momento. Use el índice de la guía o los catálogos.";
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var typed = input.value;
    load().then(function (pf) { if (typed.trim()) pf.preload(typed); });
    timer = setTimeout(function () {
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
      run(input.value);
    }, 350);
  });
  more.addEventListener("click", function () { showMore(serial); });
  var initial = new URLSearchParams(location.search).get("q") || "";
  if (initial) { input.value = initial; run(initial); } else { load(); }  // the bundle loads while one types
})();
