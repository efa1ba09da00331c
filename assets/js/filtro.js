// Catalogue pages, only improvements: the filter links (pre-built pages) work without JavaScript.
// 1. On the full practice list: channel, step and topic combined (three menus, the same values as the
//    filter links; the choice kept in the address: ?canal=…&paso=…&tema=…).
// 2. On every list: type words to narrow the list shown.
(function () {
  var list = document.querySelector("main .item-list");
  if (!list) return;
  var items = Array.prototype.slice.call(list.children);
  function norm(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var texts = items.map(function (li) { return norm(li.textContent); });
  var chosen = {};
  var words = [];
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  status.className = "quick-status";

  function apply() {
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      Object.keys(chosen).forEach(function (attr) {
        if (chosen[attr] && (" " + li.getAttribute(attr) + " ").indexOf(" " + chosen[attr] + " ") < 0) ok = false;
      });
      li.hidden = !ok;
      if (ok) shown++;
    });
    var active = words.length || Object.keys(chosen).some(function (k) { return chosen[k]; });
    status.textContent = active ? shown + " de " + items.length + " en la lista" : "";
  }

  // the combined menus, from the filter links of the full practice list
  var groups = [["Canal", "canal", "data-canales", /practicas-canal-(.+)\.html/],
                ["Paso del método", "paso", "data-pasos", /practicas-paso-(.+)\.html/],
                ["Tema", "tema", "data-temas", /practicas-tema-(.+)\.html/]];
  var full = items.length && items[0].hasAttribute("data-canales") && !document.querySelector(".filters [aria-current=page]:not(.filter-all a)")
    && /practicas\.html$/.test(location.pathname);
  var params = new URLSearchParams(location.search);
  var box = document.createElement("div");
  box.className = "quick-filter";
  if (full) {
    var form = document.createElement("div");
    form.className = "combined";
    form.setAttribute("role", "group");
    form.setAttribute("aria-label", "Combinar filtros");
    groups.forEach(function (g) {
      var links = document.querySelectorAll('.filters ul[data-grupo="' + g[0] + '"] a');
      if (!links.length) return;
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.append(new Option("Todos", ""));
      links.forEach(function (a) {
        var m = a.getAttribute("href").match(g[3]);
        if (m) select.append(new Option(a.firstChild.textContent.trim(), m[1]));
      });
      select.value = params.get(g[1]) || "";
      if (select.selectedIndex < 0) select.value = "";  // a value with no practice: all
      chosen[g[2]] = select.value;
      select.addEventListener("change", function () {
        chosen[g[2]] = select.value;
        if (select.value) params.set(g[1], select.value); else params.delete(g[1]);
        var q = params.toString();
        history.replaceState(null, "", location.pathname + (q ? "?" + q : "") + "#lista");
        apply();
      });
      label.append(document.createTextNode(g[0]), select);
      form.append(label);
    });
    var title = document.createElement("p");
    title.className = "tag-label";
    title.textContent = "Combinar canal, paso y tema";
    box.append(title, form);
  }
  var label = document.createElement("label");
  label.htmlFor = "filtro-rapido";
  label.textContent = "Filtrar esta lista por palabra";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "filtro-rapido";
  input.autocomplete = "off";
  box.append(label, input, status);
  list.parentNode.insertBefore(box, list);
  input.addEventListener("input", function () {
    words = norm(input.value).split(/\s+/).filter(Boolean);
    apply();
  });
  if (full && Object.keys(chosen).some(function (k) { return chosen[k]; })) apply();
})();
