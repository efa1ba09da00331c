// The guided finder with JavaScript: the questions on one page, then straight to the plan (a static page,
// the same one the path of question pages without JavaScript ends on).
(function () {
  // On a plan: narrow its channels to those whose reach (populations in channels.yml) names a group.
  var slot = document.getElementById("grupo-filtro");
  if (slot) {
    var items = Array.prototype.slice.call(document.querySelectorAll("li[data-poblaciones]"));
    var count = {};
    items.forEach(function (li) {
      li.getAttribute("data-poblaciones").split("|").forEach(function (g) { count[g] = (count[g] || 0) + 1; });
    });
    var label = document.createElement("label");
    label.className = "group-filter";
    var select = document.createElement("select");
    select.append(new Option("Todos", ""));
    Object.keys(count).sort(function (a, b) { return count[b] - count[a] || a.localeCompare(b, "es"); })
      .forEach(function (g) { select.append(new Option(g + " (" + count[g] + ")", g)); });
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "quick-status";
    select.addEventListener("change", function () {
      var shown = 0;
      items.forEach(function (li) {
        var ok = !select.value || li.getAttribute("data-poblaciones").split("|").indexOf(select.value) >= 0;
        li.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = select.value ? shown + " de " + items.length + " canales llegan a " + select.value : "";
    });
    label.append(document.createTextNode("¿Quiere llegar a un grupo en especial?"), select);
    slot.append(label, status);
  }
  var data = document.getElementById("asistente-datos");
  var step = document.getElementById("pregunta");
  if (!data || !step) return;
  var questions = JSON.parse(data.textContent);
  var form = document.createElement("form");
  form.className = "finder-form";
  questions.forEach(function (q, i) {
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = (i + 1) + ". " + q.q;
    set.append(legend);
    q.options.forEach(function (o, j) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "q" + i;
      input.value = o[0];
      input.required = true;
      if (j === 0 && i > 0) input.checked = false;
      label.append(input, document.createTextNode(" " + o[1]));
      set.append(label);
    });
    form.append(set);
  });
  var button = document.createElement("button");
  button.type = "submit";
  button.textContent = "Ver mi plan";
  form.append(button);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var slugs = questions.map(function (q, i) { return form.elements["q" + i].value; });
    location.href = slugs.join("-") + ".html";
  });
  step.replaceWith(form);
})();
