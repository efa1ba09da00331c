// The guided finder with JavaScript: the questions on one page, then straight to the plan (a static page,
// the same one the path of question pages without JavaScript ends on).
(function () {
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
