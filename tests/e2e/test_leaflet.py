"""Leaflets: print geometry, PDF/X colour, fonts, image resolution, entity editions, print package.

One build of a small fixture guide (mini + an image + fictional entities) with `--entity all`,
shared by the module; the PDFs are measured with pikepdf and poppler.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from guidebuilder.render.paged import printing as P
from guidebuilder.checks.preflight import analyse, check

from conftest import FIXTURES, run_cli, tree_hashes


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


SLUG = "guia-transparencia-proactiva"
MM = 25.4 / 72

ENTITIES = """\
- id: villa-prueba
  name: Villa de Prueba (ficticia)
  kind: municipality
  fictional: true
  contact:
    address: Calle del Ensayo 11, Villa de Prueba
    hours: Lunes a viernes, 8:00 a 13:00
    phone: 81 0000 1111
    bulletin_board: Portal de la presidencia (ficticio)
- id: instituto-prueba
  name: Instituto de Prueba (ficticio)
  kind: institution
  fictional: true
  contact:
    address: Plaza Simulada 22, Colonia Demostración
    hours: Martes y jueves, 10:00 a 12:00
    phone: 81 0000 2222
    bulletin_board: Vestíbulo del Instituto de Prueba (ficticio)
- id: pueblo-sin-datos
  name: Pueblo Sin Datos (ficticio)
  kind: municipality
  fictional: true
- id: aldea-sin-datos
  name: Aldea Sin Datos (ficticia)
  kind: municipality
  fictional: true
"""


SITE = "https://guia-transparencia-proactiva.mx/"  # a published-looking address: the leaflet prints its QR code
PENDING = "Dirección del sitio: pendiente de publicar"


def make_guide(base: Path) -> Path:
    guide = base / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    (guide / "data" / "entities.yml").write_text(ENTITIES, encoding="utf-8")
    # fictional entities get leaflet editions only in a sample build; a real address gets a QR code
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "url: https://example.org/guia-transparencia-proactiva/", f"url: {SITE}\nsample: true"), encoding="utf-8")
    images = guide / "images"
    images.mkdir()
    im = Image.new("RGB", (1200, 500), (30, 110, 160))
    ImageDraw.Draw(im).ellipse((100, 50, 500, 450), fill=(250, 170, 30))
    im.save(images / "foto.png")
    im.resize((300, 125)).save(images / "foto-baja.png")
    with (guide / "leaflet" / "inside-2.md").open("a", encoding="utf-8") as fh:
        fh.write("\n![Ilustración de ejemplo](../images/foto.png)\n")
    return guide


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("leaflet")
    guide = make_guide(base)
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "leaflet", "--entity", "all", "-q",
                     "--lang", "en")  # this module reads its messages in English
    assert result.returncode == 0, result.stderr
    return {"guide": guide, "out": out / "leaflet", "stderr": result.stderr, "base": base}


def boxes(path: Path):
    pdf = pikepdf.open(path)
    out = []
    for page in pdf.pages:
        out.append({k: [float(v) * MM for v in page.obj[k]] for k in ("/MediaBox", "/TrimBox", "/BleedBox")})
    return out


@pytest.mark.parametrize("size", ["letter", "a4"])
def test_print_file_boxes(built, size):
    w, h = P.TRIM[size]
    pages = boxes(built["out"] / "print" / f"{SLUG}-{size}-pdfx.pdf")
    assert len(pages) == 2
    for b in pages:
        t, bl, m = b["/TrimBox"], b["/BleedBox"], b["/MediaBox"]
        assert abs((t[2] - t[0]) - w) < 0.01 and abs((t[3] - t[1]) - h) < 0.01
        for i, sign in enumerate((-1, -1, 1, 1)):
            assert abs(bl[i] - (t[i] + sign * 3.0)) < 0.01  # exactly 3 mm of bleed on every side
            assert sign * (m[i] - bl[i]) >= 5.0  # room for the crop marks outside the bleed
    # the screen edition is the finished size, nothing more
    for b in boxes(built["out"] / f"{SLUG}-{size}.pdf"):
        m = b["/MediaBox"]
        assert abs((m[2] - m[0]) - w) < 0.01 and abs((m[3] - m[1]) - h) < 0.01
        assert b["/TrimBox"] == m


def test_fold_geometry():
    letter, a4 = P.geometry("letter"), P.geometry("a4")
    assert letter.outside == (91.8, 93.8, 93.8) and letter.inside == (93.8, 93.8, 91.8)
    assert a4.outside == (97.6, 99.7, 99.7) and a4.inside == (99.7, 99.7, 97.6)
    for g in (letter, a4):
        assert abs(sum(g.outside) - g.width) < 1e-6
        assert 1.9 <= g.full - g.narrow <= 2.2
        # the same two creases seen from both faces
        assert sorted(round(g.width - f, 2) for f in g.folds_inside) == list(g.folds_outside)


def all_pdfs(built) -> list[Path]:
    return sorted(built["out"].rglob("*.pdf"))


def test_fonts_embedded_and_only_ours(built):
    pdfs = all_pdfs(built)
    assert len(pdfs) >= 12
    for path in pdfs:
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, path
        for row in rows:
            assert "Atkinson-Hyperlegible" in row, (path, row)
            assert " yes yes " in row, (path, row)  # embedded, subset
        assert "DejaVu" not in out


def test_pdfx_colour_and_output_intent(built):
    for size in ("letter", "a4"):
        path = built["out"] / "print" / f"{SLUG}-{size}-pdfx.pdf"
        report = check(analyse(path))
        assert report.ok, report.failures
        assert report.pdfx_version == "PDF/X-4"
        assert report.output_intents and report.output_intents[0][0] == "/GTS_PDFX"
        assert report.output_intents[0][3] == 4  # a CMYK profile
        assert report.operators.get("DeviceCMYK", 0) > 20
        assert not [k for k in report.operators if "RGB" in k]
        # raw check of the content streams too: no rg/RG operators at all
        pdf = pikepdf.open(path)
        for page in pdf.pages:
            ops = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            assert not ops & {"rg", "RG"}
        assert [im.colour_space for im in report.images] == ["DeviceCMYK"]
    entity_files = sorted((built["out"] / "entidades").rglob("*-pdfx.pdf"))
    assert len(entity_files) == 4
    for path in entity_files:
        report = check(analyse(path))
        assert report.ok and report.pdfx_version == "PDF/X-4", (path, report.failures)


def test_images_at_300_dpi_or_more(built):
    for path in (built["out"] / f"{SLUG}-letter.pdf", built["out"] / "print" / f"{SLUG}-a4-pdfx.pdf"):
        images = analyse(path).images
        assert len(images) == 1
        im = images[0]
        assert (im.width_px, im.height_px) == (1200, 500)
        assert 300 <= im.dpi < 500 and 70 < im.width_mm < 90


def test_entity_editions(built):
    ent = built["out"] / "entidades"
    assert sorted(p.name for p in ent.iterdir() if p.is_dir()) == ["instituto-prueba", "villa-prueba"]
    expected = {"villa-prueba": ("Calle del Ensayo 11", "81 0000 1111", "Portal de la presidencia"),
                "instituto-prueba": ("Plaza Simulada 22", "81 0000 2222", "Vestíbulo del Instituto")}
    for entity, needles in expected.items():
        other = next(v for k, v in expected.items() if k != entity)
        for size in ("letter", "a4"):
            for path in (ent / entity / f"{SLUG}-{entity}-{size}.pdf",
                         ent / entity / "print" / f"{SLUG}-{entity}-{size}-pdfx.pdf"):
                text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                      check=True).stdout
                for needle in needles:
                    assert needle in text, (path, needle)
                assert other[0] not in text
        with zipfile.ZipFile(ent / entity / "print" / f"{SLUG}-{entity}-imprenta.zip") as zf:
            names = zf.namelist()
            assert f"{SLUG}-{entity}-imprenta/{SLUG}-{entity}-letter-pdfx.pdf" in names
    assert "pueblo-sin-datos" in built["stderr"] and "aldea-sin-datos" in built["stderr"]
    assert "no contact data" in built["stderr"]
    report = (ent / "informe.txt").read_text(encoding="utf-8")
    assert "Sin edición por falta de datos de contacto (2)" in report
    assert not (ent / "pueblo-sin-datos").exists()


def test_print_package(built):
    folder = built["out"] / "print"
    spec = folder / f"{SLUG}-especificaciones.pdf"
    assert len(pikepdf.open(spec).pages) == 1
    text = subprocess.run(["pdftotext", "-layout", str(spec), "-"], capture_output=True, text=True).stdout
    for needle in ("279.4 × 215.9 mm", "297.0 × 210.0 mm", "91.8 mm y 185.6 mm", "97.6 mm y 197.3 mm",
                   "Cantidad", "Couché", "3.0 mm por lado"):
        assert needle in text, needle
    for col in P.PALETTE:
        assert col.name in text
    dummy = folder / f"{SLUG}-letter-maqueta.pdf"
    dtext = subprocess.run(["pdftotext", str(dummy), "-"], capture_output=True, text=True).stdout
    assert "Pliegue 1 · 91.8 mm" in dtext and "Pliegue 2 · 185.6 mm" in dtext
    with zipfile.ZipFile(folder / f"{SLUG}-imprenta.zip") as zf:
        infos = zf.infolist()
        names = sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(2026, 11, 22, 0, 0, 0)}
        assert zf.read(f"{SLUG}-imprenta/{SLUG}-a4-pdfx.pdf") == (folder / f"{SLUG}-a4-pdfx.pdf").read_bytes()
    assert names == sorted([f"{SLUG}-imprenta/{n}" for n in (
        f"{SLUG}-letter-pdfx.pdf", f"{SLUG}-a4-pdfx.pdf", f"{SLUG}-especificaciones.pdf",
        f"{SLUG}-letter-maqueta.pdf", f"{SLUG}-a4-maqueta.pdf", "LEEME.txt")])


def qr_scales(path: Path) -> list[float]:
    """The scale of each QR code drawn on the first page: WeasyPrint draws the SVG with a uniform scale
    (CSS px per SVG unit) inside a 0.75 pt/px page scale."""
    pdf = pikepdf.open(path)
    return [float(ops[0]) for ops, op in pikepdf.parse_content_stream(pdf.pages[0])
            if str(op) == "cm" and float(ops[0]) == float(ops[3]) and 1.5 < float(ops[0]) < 10]


def test_qr_code_size(built):
    """The QR code (vector, CMYK K only) is printed with modules of ≥ 0.5 mm, symbol ≥ 2 cm."""
    from guidebuilder.render.leaflet.leaflet import QR_BOX, qr_modules

    modules = qr_modules(SITE)
    scales = qr_scales(built["out"] / "print" / f"{SLUG}-letter-pdfx.pdf")
    assert len(scales) == 1
    module_mm = scales[0] * 0.75 * MM
    assert abs(module_mm * (modules + 8) - QR_BOX) < 0.1  # the box is the symbol plus a 4-module quiet zone
    assert module_mm * modules >= 20 and module_mm >= 0.5


def test_a_draft_leaflet_has_no_qr_code_and_says_why(built, built_mini):
    """mini's url is a placeholder (example.org): no code may lead there; the panel and the print shop's
    sheet say the address is pending. A real address gets its code and the address printed beside it."""
    draft = built_mini / "leaflet"
    for path in (draft / f"{SLUG}-letter.pdf", draft / "print" / f"{SLUG}-letter-pdfx.pdf"):
        text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
        assert PENDING in text and "example.org" not in text, path
        assert qr_scales(path) == [], path
    spec = " ".join(subprocess.run(["pdftotext", str(draft / "print" / f"{SLUG}-especificaciones.pdf"), "-"],
                                   capture_output=True, text=True).stdout.split())
    assert f"Código QR: ninguno. {PENDING}" in spec and "módulos más 4 por lado" not in spec
    published = " ".join(subprocess.run(["pdftotext", str(built["out"] / f"{SLUG}-letter.pdf"), "-"],
                                        capture_output=True, text=True).stdout.split())
    assert "proactiva.mx/" in published and PENDING not in published  # the address may wrap at its hyphen
    assert "MUESTRA — datos de ejemplo, no publicar" in published  # make_guide's guide is a sample build


def test_low_resolution_image_and_small_type_are_refused(tmp_path):
    guide = make_guide(tmp_path)
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("sizes: [letter, a4]", "sizes: [letter]"),
                      encoding="utf-8")
    with (guide / "leaflet" / "inside-1.md").open("a", encoding="utf-8") as fh:
        fh.write("\n![Foto pequeña](../images/foto-baja.png)\n")
    # a guide's own leaflet stylesheet that sets the flap's text too small
    css = (FIXTURES.parents[1] / "assets" / "templates" / "leaflet" / "leaflet.css").read_text(encoding="utf-8")
    own = guide / "assets" / "templates" / "leaflet"
    own.mkdir(parents=True)
    (own / "leaflet.css").write_text(css + "\n.flap p { font-size: 7pt; }\n", encoding="utf-8")
    out = tmp_path / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "leaflet", "-q")
    assert result.returncode == 1
    err = result.stderr
    assert "guide/images/foto-baja.png" in err and "300×125 px" in err and "below the 300 dpi" in err
    assert "guide/leaflet/flap.md" in err and "7.0 pt" in err
    assert "Traceback" not in err
    assert not (out / "leaflet").exists()


def test_rebuild_is_byte_identical(built, tmp_path):
    """A second, cold build (no cache, one size only) gives the same bytes for that size's files."""
    guide = make_guide(tmp_path)
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("sizes: [letter, a4]", "sizes: [letter]"),
                      encoding="utf-8")
    out = tmp_path / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "leaflet", "--no-cache", "-q")
    assert result.returncode == 0, result.stderr
    again = tree_hashes(out / "leaflet")
    first = tree_hashes(built["out"])
    same = [f"{SLUG}-letter.pdf", f"print/{SLUG}-letter-pdfx.pdf", f"print/{SLUG}-letter-maqueta.pdf"]
    for name in same:
        assert again[name] == first[name], name


def test_entity_without_contact_requested_by_id_is_an_error(tmp_path):
    guide = make_guide(tmp_path)
    out = tmp_path / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "leaflet",
                     "--entity", "villa-prueba,pueblo-sin-datos", "-q")
    assert result.returncode == 1
    assert "pueblo-sin-datos" in result.stderr and "no contact data" in result.stderr
    assert "entities.yml" in result.stderr
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "leaflet",
                     "--entity", "villa-prueva", "-q")
    assert result.returncode == 1 and "did you mean 'villa-prueba'" in result.stderr
    assert not (out / "leaflet").exists()


# ---------------------------------------------------------------- preflight

def bad_pdf(path: Path) -> Path:
    """A PDF a print shop rejects: no TrimBox/BleedBox, RGB colour, a 72 dpi image, a font not embedded."""
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, bytes(60 * 60 * 3))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 60, 60, 8
    image.ColorSpace = pikepdf.Name.DeviceRGB
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    content = b"1 0 0 rg 0 0 100 100 re f q 60 0 0 60 10 10 cm /Im0 Do Q BT /F1 12 Tf 10 200 Td (Hola) Tj ET"
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 300, 300],
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image),
                                                           Font=pikepdf.Dictionary(F1=font)),
                              Contents=pikepdf.Stream(pdf, content))
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


def test_preflight_good_file(built):
    path = built["out"] / "print" / f"{SLUG}-letter-pdfx.pdf"
    result = run_cli("preflight", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "PDF/X version: PDF/X-4" in out
    assert "TrimBox [0.00 0.00 279.40 215.90] mm" in out
    assert "BleedBox [-3.00 -3.00 282.40 218.90] mm" in out
    assert "bleed: left 3.00, bottom 3.00, right 3.00, top 3.00 mm" in out
    assert "Atkinson-Hyperlegible" in out and "embedded, subset" in out
    assert "1200×500 px" in out and "DeviceCMYK" in out
    assert out.rstrip().endswith("pass")


def test_preflight_bad_files(built, tmp_path):
    bad = bad_pdf(tmp_path / "malo.pdf")
    result = run_cli("preflight", "--cmyk", str(bad))
    assert result.returncode == 1
    out = result.stdout
    assert "FAILED" in out
    assert "no TrimBox" in out and "no BleedBox" in out
    assert "Helvetica" in out and "not embedded" in out
    assert "Im0 is 60×60 px" in out and "72 dpi" in out
    assert "RGB colour in a CMYK print file: DeviceRGB ×1" in out
    assert "RGB images in a CMYK print file" in out and "no output intent" in out
    # the screen edition is not a print file: no bleed
    screen = run_cli("preflight", "-q", str(built["out"] / f"{SLUG}-a4.pdf"))
    assert screen.returncode == 1 and "bleed 0.00 mm, less than 3 mm" in screen.stdout
    missing = run_cli("preflight", str(tmp_path / "no-such.pdf"))
    assert missing.returncode == 1 and "no such file" in missing.stderr and "Traceback" not in missing.stderr


def test_entity_selection_from_config_and_cli():
    from types import SimpleNamespace

    from guidebuilder.model.errors import GuideError
    from guidebuilder.render.leaflet.leaflet import select_entities
    from guidebuilder.model.schema import Contact, Entity

    contact = Contact(address="Calle Ficticia 1", hours="9 a 14", phone="81 0000 0000", bulletin_board="Entrada")
    ents = (Entity(id="a", name="A (ficticia)", kind="municipality", fictional=True, contact=contact),
            Entity(id="b", name="B (ficticia)", kind="municipality", fictional=True),
            Entity(id="c", name="C (ficticia)", kind="institution", fictional=True, contact=contact))

    def guide(config):
        return SimpleNamespace(config=SimpleNamespace(formats=SimpleNamespace(leaflet=SimpleNamespace(entities=config)),
                                                      sample=True),  # fictional entities: a sample build
                               data=SimpleNamespace(entities=ents, where={}))

    ids = lambda xs: [e.id for e in xs]  # noqa: E731
    built, missing, _ = select_entities(guide("none"), None)
    assert built == [] and missing == []
    built, missing, _ = select_entities(guide("all"), None)
    assert ids(built) == ["a", "c"] and ids(missing) == ["b"]
    built, _, explicit = select_entities(guide(["c", "a"]), None)
    assert ids(built) == ["c", "a"] and explicit
    built, missing, _ = select_entities(guide("none"), "all")  # the command line wins over guide.yml
    assert ids(built) == ["a", "c"] and ids(missing) == ["b"]
    with pytest.raises(GuideError, match="'b'.*no contact data"):
        select_entities(guide("none"), "a,b")
    with pytest.raises(GuideError, match="did you mean 'c'"):
        select_entities(guide(["cc"]), None)
    # outside a sample build fictional entities get no edition: left out of 'all', refused by name
    real = guide("all")
    real.config.sample = False
    assert select_entities(real, None)[:2] == ([], [])
    with pytest.raises(GuideError, match="'a'.*es ficticia"):
        select_entities(real, "a")


def test_the_leaflets_alone_come_out_the_same_without_drawing_the_chapters_charts(built_mini, tmp_path):
    # built_mini drew the chart of que-es.md for the other formats; a build of the leaflets alone
    # does not (matplotlib is not even imported), and its leaflets are the same bytes.
    import sys

    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    assert ".chart" in (guide / "chapters" / "que-es.md").read_text(encoding="utf-8")
    out = tmp_path / "build"
    code = ("import sys; from guidebuilder.cli import main; "
            f"code = main(['build', '--guide', {str(guide)!r}, '--out', {str(out)!r}, '--format', 'leaflet', "
            "'--no-cache', '-q']); print('matplotlib' in sys.modules); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    alone = {k: v for k, v in tree_hashes(out).items() if k.startswith("leaflet/")}
    together = {k: v for k, v in tree_hashes(built_mini).items() if k.startswith("leaflet/")}
    assert alone and alone == together
