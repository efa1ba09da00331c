// Catalogue pages: type words to narrow the list shown. Only an improvement: the filter links
// (pre-built pages) work without JavaScript.
(function () {
  var list = document.querySelector("main .item-list");
  if (!list) return;
  var items = Array.prototype.slice.call(list.children);
  var box = document.createElement("div");
  box.className = "quick-filter";
  var label = document.createElement("label");
  label.htmlFor = "filtro-rapido";
  label.textContent = "Filtrar esta lista por palabra";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "filtro-rapido";
  input.autocomplete = "off";
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  status.className = "quick-status";
  box.append(label, input, status);
  list.parentNode.insertBefore(box, list);
  function norm(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var texts = items.map(function (li) { return norm(li.textContent); });
  input.addEventListener("input", function () {
    var words = norm(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      li.hidden = !ok;
      if (ok) shown++;
    });
    status.textContent = words.length ? shown + " de " + items.length + " en la lista" : "";
  });
})();
