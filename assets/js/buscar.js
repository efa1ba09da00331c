// The search page: pagefind's own API (pagefind/pagefind.js), results built as DOM text nodes.
// A classic script (not a module), so that opened from a file it can still say why search cannot work.
// Results come five at a time (each one fetches its fragment only when shown); typing searches as you go;
// a search that finds nothing tries the closest words of the guide (buscar-palabras.json). While the
// bundle is still loading (a slow line), the page and section titles (buscar-titulos.json, a few KB) are
// searched at once and shown first; the full results replace them.
(function () {
  var form = document.getElementById("buscar");
  var input = document.getElementById("q");
  var status = document.getElementById("estado");
  var list = document.getElementById("resultados");
  var more = document.getElementById("mas-resultados");
  var help = document.getElementById("sin-resultados");
  var PAGE = 5;
  var pagefind = null, ready = false, words = null, titles = null, current = null, shown = 0, serial = 0, timer = null;

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
        return pf.options({ excerptLength: 24 }).then(function () { pf.init(); ready = true; return pf; });
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
    if (d.excerpt) li.append(excerpt(d.excerpt));
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

  function stem(w) { return w.length > 5 ? w.slice(0, w.length > 7 ? w.length - 2 : 5) : w; }

  function quick(q, n) {
    // titles whose words start with every word asked for (its first letters: "radios" finds "Radio")
    if (!titles) {
      titles = fetch("buscar-titulos.json", { credentials: "same-origin", mode: "cors" })
        .then(function (r) { return r.json(); }).catch(function () { return null; });
    }
    var asked = norm(q).split(/[^a-z0-9ñ]+/).filter(function (w) { return w.length > 1 || /\d/.test(w); }).map(stem);
    return titles.then(function (t) {
      if (!t || n !== serial || ready || !asked.length) return;
      var found = t.r.filter(function (row) {
        var ws = norm(row[0]).split(/[^a-z0-9ñ]+/);
        return asked.every(function (a) { return ws.some(function (w) { return w.indexOf(a) === 0; }); });
      }).slice(0, PAGE);
      if (!found.length || list.children.length) return;
      found.forEach(function (row) { list.append(item({ url: row[1], meta: { title: row[0], tipo: t.k[row[2]] } })); });
      status.textContent = "Primeros resultados, en los títulos. Buscando en todo el texto…";
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
    // on a slow line the titles come first, then the bundle (which would otherwise share the line)
    var first = ready ? Promise.resolve() : quick(q, n);
    return first.then(load).then(function (pf) { return pf.search(q); }).then(function (search) {
      if (n !== serial) return;
      current = search;
      list.replaceChildren();
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
