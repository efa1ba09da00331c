"""The build summary: every output under the audience that receives it, the main files by whole name."""

from __future__ import annotations

from guidebuilder.cli import _main_file, audience


def test_each_output_goes_to_its_audience():
    assert audience("docx/guia-revision.docx")[0] == "Revisores"
    assert audience("docx/guia.docx")[0] == "Funcionarios: DOCX"
    assert audience("leaflet/print/guia-imprenta.zip")[0] == "Imprenta"
    assert audience("leaflet/guia-letter.pdf")[0] == "Público: folleto"
    assert audience("html/catalogo/canales.html")[0] == "Público: sitio web"
    assert audience("consulta/guia-consulta.xlsx")[0] == "Consulta ciudadana"


def test_only_the_sites_home_and_single_file_are_listed_by_name():
    assert _main_file("html/index.html") and _main_file("html/guia-completa.html")
    assert not _main_file("html/que-es.html") and not _main_file("html/pagefind/pagefind.js")
    assert _main_file("pdf/guia.pdf") and _main_file("consulta/guia-consulta-captura.csv")
