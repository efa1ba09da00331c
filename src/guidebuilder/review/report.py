"""The feedback report: counts per chapter and reviewer, and an internal HTML page (build/feedback/).

The page names reviewers and shows their text: it is autoescaped, marked noindex, and never
written under build/html/.
"""

from __future__ import annotations

from guidebuilder.review.reader import place_key
from guidebuilder.review.store import STATUSES


def summary(items: list, order: list[str]) -> list[tuple[str, str, dict]]:
    """(chapter, reviewer, {status: count}) rows in reading order; unplaced last."""
    rows: dict[tuple[str, str], dict] = {}
    for item in items:
        key = (item.chapter or "", item.author or "(sin autor)")
        counts = rows.setdefault(key, {s: 0 for s in STATUSES})
        counts[item.status] += 1
    rank = {c: i for i, c in enumerate(order)}

    def sort_key(key: tuple[str, str]):
        chapter, author = key
        return (not chapter, rank.get(chapter, len(rank)), chapter, author.casefold())

    return [(c or "", a, rows[(c, a)]) for c, a in sorted(rows, key=sort_key)]


def document_order(items: list, order: list[str]) -> list:
    """Items in reading order: chapters as guide.yml lists them, then where they are in the document."""
    rank = {c: i for i, c in enumerate(order)}
    return sorted(items, key=lambda i: (rank.get(i.chapter or "", len(rank)), i.chapter or "~", place_key(i.place),
                                        i.date, i.id))


def report_html(items: list, order: list[str], guide_title: str) -> str:
    """The report page: a table per chapter and reviewer, then every item by reviewer, in reading
    order; a reply shows the question it answers (and links to it when it was imported)."""
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(REPORT_TEMPLATE)
    by_author: dict[str, list] = {}
    for item in document_order(items, order):
        by_author.setdefault(item.author or "(sin autor)", []).append(item)
    totals = {s: sum(1 for i in items if i.status == s) for s in STATUSES}
    return template.render(title=guide_title, rows=summary(items, order), statuses=STATUSES, totals=totals,
                           ids={i.id for i in items},
                           total=len(items), by_author=sorted(by_author.items(), key=lambda kv: kv[0].casefold()),
                           unplaced=[i for i in items if not i.chapter])


REPORT_TEMPLATE = """<!DOCTYPE html>
<html lang="es-MX">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comentarios de revisión — {{ title }}</title>
<style>
body { font-family: "Atkinson Hyperlegible", system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
.aviso { background: #fff4d6; border: 1px solid #c9a227; padding: .6rem 1rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #dce6f0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.status-open { color: #8a1c1c; font-weight: bold; }
blockquote { margin: .2rem 0; color: #444; border-left: 3px solid #ccc; padding-left: .5rem; }
.texto { white-space: pre-wrap; }
.pregunta { margin: .2rem 0; color: #444; font-style: italic; }
</style>
</head>
<body>
<h1>Comentarios de revisión</h1>
<p>{{ title }}. {{ total }} comentarios y cambios:
{% for s in statuses %}{{ totals[s] }} {{ s }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>
<p class="aviso">Documento interno: contiene los nombres de quienes revisaron. No lo publique.</p>
<h2>Por capítulo y revisor</h2>
<table>
<thead><tr><th scope="col">Capítulo</th><th scope="col">Revisor</th>
{% for s in statuses %}<th scope="col">{{ s }}</th>{% endfor %}<th scope="col">total</th></tr></thead>
<tbody>
{% for chapter, author, counts in rows %}<tr><td>{{ chapter or "sin ubicar" }}</td><td>{{ author }}</td>
{% for s in statuses %}<td class="n">{{ counts[s] }}</td>{% endfor %}<td class="n">{{ counts.values()|sum }}</td></tr>
{% endfor %}</tbody>
</table>
{% if unplaced %}<h2>Sin ubicar ({{ unplaced|length }})</h2>
<p>Comentarios que no se pudieron asociar a un capítulo; se listan también abajo, con su revisor.</p>{% endif %}
<h2>Por revisor</h2>
{% for author, list in by_author %}
<h3>{{ author }} ({{ list|length }})</h3>
<table>
<thead><tr><th scope="col">Dónde</th><th scope="col">Comentario</th><th scope="col">Estado</th>
<th scope="col">Respuesta</th></tr></thead>
<tbody>
{% for i in list %}<tr id="{{ i.id }}">
<td>{% if i.chapter %}{{ i.chapter }}<br>{{ i.heading_title or "" }}{% else %}<em>sin ubicar</em>{% endif %}
{% if i.table %}<br><em>tabla {{ i.table }}, fila {{ i.row }}, columna {{ i.column }}{% if i.cell %}
(«{{ i.cell }}»){% endif %}</em>{% elif i.in_table %}<br><em>(en una tabla)</em>{% endif %}
{% if i.footnote %}<br><em>en la nota al pie {{ i.footnote }}</em>{% endif %}</td>
<td>{% if i.anchor %}<blockquote>{{ i.anchor }}</blockquote>{% endif %}
{% if i.kind == "reply" %}<p class="pregunta">En respuesta a{% if i.reply_to in ids %} <a href="#{{ i.reply_to }}">este
comentario</a>{% endif %}: «{{ i.in_reply_to or "(comentario no encontrado)" }}»</p>{% endif %}
<div class="texto">{% if i.automatic %}Pregunta automática de la edición de revisión: {% elif i.kind == "insertion" %}Insertó: {% elif i.kind == "deletion" %}Borró: {% elif i.kind == "reply" %}Respuesta: {% endif %}{{ i.text }}</div>
<small>{{ i.date }} · {{ i.round }} · {{ i.id }}</small></td>
<td class="status-{{ i.status }}">{{ i.status }}</td>
<td class="texto">{{ i.response }}</td></tr>
{% endfor %}</tbody>
</table>
{% endfor %}
</body>
</html>
"""
