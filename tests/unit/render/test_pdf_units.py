"""The PDF renderer's print adaptations of the pandoc AST, and the small helpers (no WeasyPrint run)."""

from __future__ import annotations

import datetime as dt

from guidebuilder.pandoc import ast as A
from guidebuilder.render.paged.fonts import _unicode_ranges
from guidebuilder.render.pdf.book import citation, print_blocks
from guidebuilder.model.schema import GuideConfig


def _config(**extra) -> GuideConfig:
    base = dict(title="Guía de prueba", subtitle="Un subtítulo", slug="guia", edition="Primera edición",
                date=dt.date(2026, 11, 22), publisher="Editorial de prueba", licence="CC BY 4.0",
                url="https://guia-de-prueba.mx/guia/", chapters=["a.md"])
    return GuideConfig(**{**base, **extra})


def _html(inlines: list) -> str:
    """Inlines as text, raw HTML kept, a span.gb-nowrap (a word and its call) shown as [..]."""
    def one(n: dict) -> str:
        if n["t"] == "Span" and "gb-nowrap" in n["c"][0][1]:
            return "[" + _html(n["c"][1]) + "]"
        return n["c"][1] if n["t"] == "RawInline" else " " if n["t"] == "Space" else A.stringify(n)

    return "".join(one(n) for n in inlines)


def test_notes_become_linked_calls_and_note_elements_with_their_inlines():
    note = {"t": "Note", "c": [A.para("Primera parte."), A.para(A.link("fuente", "https://example.org/x"))]}
    inlines = print_blocks([A.para("Texto", note)], prefix="cap-")[0]["c"]
    html = _html(inlines)
    assert html.startswith('[Texto<a class="gb-note-call" href="#nota-cap-1">1</a>]'  # a call never starts a line
                           '<gb-note class="footnote" id="nota-cap-1"><span class="gb-note-number">1.</span> ')
    assert html.endswith("</gb-note>") and "Primera parte. fuente" in html
    assert any(n.get("t") == "Link" for n in inlines)


def test_an_identical_note_just_after_another_is_printed_once_and_called_by_its_number():
    note = lambda text: {"t": "Note", "c": [A.para(text)]}  # noqa: E731
    blocks = print_blocks([A.para("Uno", note("Fuente A.")), A.para("Dos", note("Fuente  A.")),
                           A.para("Tres", note("Fuente B.")), A.para("Cuatro", note("Fuente A."))], prefix="c-")
    html = [_html(b["c"]) for b in blocks]
    assert html[1] == '[Dos<a class="gb-note-call" href="#nota-c-1">1</a>]'
    assert 'href="#nota-c-2">2</a>]<gb-note' in html[2]
    assert 'href="#nota-c-3">3</a>]<gb-note' in html[3]  # not consecutive: printed again


def test_links_get_print_classes_and_addresses_print_decoded():
    blocks = print_blocks([A.para(A.link("ver", "#canales"), A.link("sitio", "https://example.org/a%C3%B1o"),
                                  A.link("https://example.org/", "https://example.org/"), A.link("roto", "#"))])
    links = [n for n in blocks[0]["c"] if n["t"] == "Link"]
    assert [n["c"][0][1] for n in links] == [["xref"], ["url"], ["bare-url"], []]
    assert ["url", "https://example.org/año"] in [list(kv) for kv in links[1]["c"][0][2]]


def test_a_paragraph_ending_in_a_colon_is_kept_with_the_figure_or_table_it_introduces():
    figure = {"t": "Figure", "c": [A.attr("f", ["gb-chart"]), [None, []], [A.plain("x")]]}
    out = print_blocks([A.para("Así se ve:"), figure, A.para("Y esto sigue."), figure])
    assert out[0]["t"] == "Div" and out[0]["c"][0][1] == ["gb-intro"]
    assert out[2]["t"] == "Para"


def test_a_call_is_kept_with_the_word_before_it():
    note = {"t": "Note", "c": [A.para("Una nota larga que termina.")]}
    out = print_blocks([A.para("Un texto con contenido final", note)])[0]["c"]
    assert _html(out).startswith('Un texto con contenido [final<a class="gb-note-call"')


def test_task_lists_keep_their_boxes_and_plain_lists_stay():
    task = {"t": "BulletList", "c": [[A.plain("☐ uno")], [A.plain("☒ dos")]]}
    plain = A.bullet_list([[A.plain("uno")]])
    out = print_blocks([task, plain])
    assert out[0]["t"] == "Div" and out[0]["c"][0][1] == ["task-list"]
    first = out[0]["c"][1][0]["c"][0][0]["c"][0]
    assert first["t"] == "Span" and first["c"][0][1] == ["gb-check"] and A.stringify(first) == "☐"
    assert out[1]["t"] == "BulletList"


def test_numbers_keep_their_units():
    out = print_blocks([A.para("Creció 83.1 % en 2024 y 5 km más.")])
    assert "83.1\u00a0% en" in A.stringify(out[0]) and "5\u00a0km" in A.stringify(out[0])
    assert "Creció 83.1" in A.stringify(out[0])


def test_words_that_belong_together_keep_a_no_break_space():
    para = A.para("De 18 a 24 años (n = 30), el paso 1, la tabla 3.2 y el anexo B: capacitó a 200 personas;",
                  {"t": "SoftBreak"}, "mujer de 80", {"t": "SoftBreak"}, "años y 6 gatos.")
    text = A.stringify(print_blocks([para])[0])
    for kept in ("18\u00a0a\u00a024\u00a0años", "(n\u00a0=\u00a030)", "paso\u00a01", "tabla\u00a03.2", "anexo\u00a0B",
                 "200\u00a0personas", "80\u00a0años"):
        assert kept in text, kept
    assert "6 gatos" in text and "De 18" in text and "el paso" in text
    # across elements: a label before a link, a number inside emphasis before its unit
    linked = A.para("del", {"t": "Space"}, "paso", {"t": "Space"}, A.link("1", "#paso-1"), {"t": "Space"},
                    {"t": "Emph", "c": A.inlines("tiene 30")}, {"t": "Space"}, "años")
    out = print_blocks([linked])[0]["c"]
    assert out[3] == {"t": "Str", "c": "\u00a0"} and out[7] == {"t": "Str", "c": "\u00a0"}
    assert out[1] == {"t": "Space"}


def test_forms_get_room_to_write_and_data_tables_do_not():
    form = A.table(["Mensaje", "Canal"], [["", ""], ["", ""]], "Tabla 1.2. Formato")
    data = A.table(["Indicador", "Valor", "Referencia"], [["Uso", "83.1 %", ""]])
    out = print_blocks([form, data])
    fills = lambda t: sum(1 for row in t["c"][4][0][3] for cell in row[1] for b in cell[4]
                          if b["t"] == "Plain" and b["c"][0]["t"] == "Span" and b["c"][0]["c"][0][1] == ["gb-fill"])
    assert fills(out[0]) == 4 and fills(out[1]) == 0
    wide = A.table(["Mensaje", "Población", "Canal", "Fechas"], [["", "", "", ""]], "Tabla 1.3. Plan")
    cards = print_blocks([wide], large=True)[0]
    row = cards["c"][1][1]
    assert [b["c"][0][1] for b in row["c"][1]] == [["gb-fill"]] * 4
    assert A.stringify(row) == "Mensaje:Población:Canal:Fechas:"


def test_narrow_forms_keep_room_to_write_in_large_print():
    """A form of fewer than four columns stays a table in large print, and its empty cells still get room."""
    form = A.table(["Pregunta", "Respuesta"], [["¿Qué necesita saber?", ""], ["", ""]], "Tabla 1.4. Cuestionario")
    out = print_blocks([form], large=True)[0]
    assert out["t"] == "Table"
    cells = [cell[4] for row in out["c"][4][0][3] for cell in row[1]]
    fills = [b for blocks in cells for b in blocks if b["t"] == "Plain" and b["c"][0]["t"] == "Span"
             and b["c"][0]["c"][0][1] == ["gb-fill"]]
    assert len(fills) == 3


def test_citation_from_cite_as_or_built_from_the_config():
    assert citation(_config(cite_as="Cita fija.")) == "Cita fija."
    text = citation(_config())
    assert text == ("Editorial de prueba (2026). Guía de prueba: Un subtítulo. Primera edición. "
                    "https://guia-de-prueba.mx/guia/")
    # a draft (placeholder address) never prints the address: the pending note stands in its place
    assert citation(_config(url="https://example.org/guia/")).endswith(
        "Primera edición. Dirección del sitio: pendiente de publicar.")
    assert citation(_config(cite_as="Guía (2026). https://example.org/guia/")) == \
        "Guía (2026). Dirección del sitio: pendiente de publicar"
    with_authors = citation(_config(authors=["Ana Autora", "Beto Autor"]))
    assert with_authors.startswith("Ana Autora; Beto Autor (2026).") and "Editorial de prueba." in with_authors


def test_unicode_ranges_are_read_from_the_font(tmp_path):
    from pathlib import Path

    font = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "noto-sans-symbols-2" / \
        "noto-sans-symbols-2-symbols-400-normal.ttf"
    ranges = _unicode_ranges(str(font), font.stat().st_mtime_ns)
    spans = [tuple(int(x, 16) for x in r[2:].split("-")) for r in ranges.split(", ")]
    covered = lambda code: any(s[0] <= code <= s[-1] for s in spans)  # noqa: E731
    assert covered(0x2610) and covered(0x2713) and not covered(0x41)
    assert _unicode_ranges(str(tmp_path / "missing.woff2"), 0) == ""


def test_large_print_turns_wide_tables_into_stacked_rows():
    wide = A.table(["Indicador", "Territorio", "Año", "Valor"], [["Uso de internet", "México", "2024", "83.1 %"]],
                   "Tabla 1.1. Datos")
    narrow = A.table(["Paso", "Nombre"], [["1", "Identificar"]])
    out = print_blocks([wide, narrow], large=True)
    assert out[0]["t"] == "Div" and out[0]["c"][0][1] == ["gb-table-cards"]
    text = A.stringify(out[0])
    assert "Tabla\u00a01.1. Datos" in text and "Territorio: México" in text and "Valor: 83.1\u00a0%" in text
    assert out[1]["t"] == "Table"
    assert print_blocks([wide])[0]["t"] == "Table"  # the regular edition keeps its tables


def test_definitions_are_grouped_per_term_and_nested_lists_left_alone():
    from guidebuilder.render.pdf.book import group_definitions

    html = ('<dl>\n<dt>Uno</dt>\n<dd>\n<p>Primero</p>\n</dd>\n<dt>Dos</dt>\n<dd>a</dd>\n<dd>b</dd>\n</dl>'
            '<p>x</p><dl><dt>A</dt><dd><dl><dt>B</dt><dd>c</dd></dl></dd></dl>')
    out = group_definitions(html)
    assert out.startswith('<dl>\n<div class="gb-entry"><dt>Uno</dt>\n<dd>\n<p>Primero</p>\n</dd></div>\n'
                          '<div class="gb-entry"><dt>Dos</dt>\n<dd>a</dd>\n<dd>b</dd></div>\n</dl>')
    assert out.count("gb-entry") == 2  # the list holding a list is as it was
    assert out.endswith("<p>x</p><dl><dt>A</dt><dd><dl><dt>B</dt><dd>c</dd></dl></dd></dl>")


def test_headers_are_found_wherever_a_block_can_be_and_in_order():
    def header(ident):
        return {"t": "Header", "c": [2, [ident, [], []], A.inlines(ident)]}

    cell = [["", [], []], {"t": "AlignDefault"}, 1, 1, [header("en-tabla")]]
    table = {"t": "Table", "c": [["", [], []], [None, []], [], [["", [], []], []],
                                 [[["", [], []], 0, [], [[["", [], []], [cell]]]]], [["", [], []], []]]}
    blocks = [header("a"), A.div([header("b"), {"t": "BlockQuote", "c": [header("c")]}], ["x"]),
              {"t": "BulletList", "c": [[header("d")], [A.para(A.strong("no"))]]},
              {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], [[header("e")]]]},
              {"t": "DefinitionList", "c": [[[A.strong("t")], [[header("f")]]]]}, table, A.para(A.strong("g"))]
    assert [h["c"][1][0] for h in A.headers(blocks)] == ["a", "b", "c", "d", "e", "f", "en-tabla"]


def test_print_reads_the_truetype_copy_of_each_woff2_font_and_the_copies_are_current():
    import subprocess
    import sys
    from pathlib import Path

    from guidebuilder.render.paged.fonts import print_font_files as _print_font_files

    root = Path(__file__).resolve().parents[3]
    check = subprocess.run([sys.executable, str(root / "scripts" / "fonts_to_ttf.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    folder = root / "assets" / "fonts" / "source-serif-4"
    used = _print_font_files(folder)
    assert used and all(p.suffix == ".ttf" for p in used)
    assert len(used) == len(list(folder.glob("*.woff2")))
