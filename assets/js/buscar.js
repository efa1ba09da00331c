// The search page: pagefind's own API (pagefind/pagefind.js), results built as DOM text nodes.
const form = document.getElementById("buscar");
const input = document.getElementById("q");
const status = document.getElementById("estado");
const list = document.getElementById("resultados");
let pagefind = null;

function excerpt(html) {
  // pagefind marks the matched words with <mark>; keep those, everything else as text
  const p = document.createElement("p");
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const m = document.createElement("mark");
      m.textContent = node.textContent;
      p.append(m);
    } else {
      p.append(document.createTextNode(node.textContent));
    }
  }
  return p;
}

async function run(q) {
  list.replaceChildren();
  if (!q.trim()) { status.textContent = ""; return; }
  if (location.protocol === "file:") {
    status.textContent = "La búsqueda funciona cuando el sitio está publicado en la web. Sin conexión, use el índice de la guía o los catálogos.";
    return;
  }
  status.textContent = "Buscando…";
  try {
    pagefind = pagefind || await import("./pagefind/pagefind.js");
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, 25).map((r) => r.data()));
    for (const d of data) {
      const li = document.createElement("li");
      const h = document.createElement("h2");
      const a = document.createElement("a");
      a.href = d.url.replace(/^\//, "");
      a.textContent = (d.meta && d.meta.title) || d.url;
      h.append(a);
      li.append(h, excerpt(d.excerpt || ""));
      list.append(li);
    }
    const n = search.results.length;
    status.textContent = n === 0 ? `No hay resultados para «${q}».`
      : `${n} ${n === 1 ? "resultado" : "resultados"} para «${q}»${n > 25 ? " (se muestran los primeros 25)" : ""}.`;
  } catch (err) {
    status.textContent = "La búsqueda no está disponible en este momento.";
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const q = input.value;
  history.replaceState(null, "", `?q=${encodeURIComponent(q)}`);
  run(q);
});
const initial = new URLSearchParams(location.search).get("q") || "";
if (initial) { input.value = initial; run(initial); }
