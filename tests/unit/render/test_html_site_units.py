"""Small pieces of the site (issue 19): English titles, cards indexed once, checklist boxes, downloads."""

from __future__ import annotations

from types import SimpleNamespace

from guidebuilder.render.html import downloads
from guidebuilder.render.html.pages import checklists, english, index_once, mark_english


def test_english_titles_are_marked_and_spanish_ones_not():
    assert english("Adopting a global standard for open contracting (Big Bold Cities)")
    assert not english("San Pedro invita a decidir destino de presupuesto (Players of Life)")
    assert not english("Ley General de Transparencia y Acceso a la Información Pública")
    html = '<a href="x">Freedom of Information publication scheme</a> <a href="y">Datos de la obra</a>'
    assert mark_english(html) == ('<a href="x"><span lang="en">Freedom of Information publication scheme</span></a> '
                                  '<a href="y">Datos de la obra</a>')


def test_cards_left_out_of_the_index_and_boxes_tickable():
    html = '<section id="practica-x" class="level3 gb-practice verificacion-verificada"><h3>X</h3></section>'
    assert index_once(html).startswith('<section data-pagefind-ignore="all" id="practica-x"')
    assert index_once('<section id="a" class="level2">') == '<section id="a" class="level2">'
    assert checklists('<li><label><input type="checkbox" />Hecho</label></li>') == \
        '<li><label><input type="checkbox" class="tick" />Hecho</label></li>'


def test_downloads_follow_the_configuration_and_what_the_builder_offers():
    formats = SimpleNamespace(pdf=SimpleNamespace(page_size="a4", large_print=False),
                              leaflet=SimpleNamespace(sizes=["letter"]))
    guide = SimpleNamespace(slug="g", config=SimpleNamespace(formats=formats))
    names = [d.name for d in downloads.candidates(guide)]
    assert names == ["g.pdf", "g.docx", "g-letter.pdf", "g-letter-pdfx.pdf", "g-completa.html"]
    assert downloads.candidates(guide)[0].paper == "tamaño A4"
    assert [d.name for d in downloads.offered(guide, {})] == ["g-completa.html"]  # an HTML-only build
    assert [d.href for d in downloads.offered(guide, {"downloads": ["g.pdf"]})] == ["descargas/g.pdf",
                                                                                    "descargas/g-completa.html"]


def test_the_consultation_files_are_placed_for_the_guide_s_links_but_not_listed():
    formats = SimpleNamespace(pdf=SimpleNamespace(page_size="a4", large_print=False),
                              leaflet=SimpleNamespace(sizes=[]))
    guide = SimpleNamespace(slug="g", config=SimpleNamespace(formats=formats),
                            data=SimpleNamespace(consultation=SimpleNamespace(schema=object())))
    placed = [d for d in downloads.candidates(guide) if d.fmt == "consulta"]
    assert [d.name for d in placed][:2] == ["g-consulta.xlsx", "g-consulta-carta.pdf"] and len(placed) == 7
    names = [d.name for d in placed]
    assert all(n not in [d.name for d in downloads.offered(guide, {"downloads": names})] for n in names)
    guide.data.consultation.schema = None
    assert not [d for d in downloads.candidates(guide) if d.fmt == "consulta"]
