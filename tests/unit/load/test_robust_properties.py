"""Property-based tests: no input makes the loaders or the directive parser fail with anything but
a guidebuilder error (a GuideError, or diagnostics collected in a Collector).

Runs are derandomised (the same examples every time) so a failure is reproducible; the number of
examples per property is EXAMPLES.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guidebuilder.load import directives
from guidebuilder.load.validate import validate
from guidebuilder.model import schema
from guidebuilder.model.errors import Collector, GuideError
from guidebuilder.load.loader import split_front_matter
from guidebuilder.load.sources import clean_untrusted, decode
from guidebuilder.load.yamlio import dump_yaml, load_yaml, parse_yaml, plain

from conftest import FIXTURES

EXAMPLES = 200
FILE = Path("guide/data/x.yml")
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])

# Pieces of YAML and Markdown that matter to the parsers, glued together at random.
YAML_PIECES = ["- ", "  ", "\t", ":", ": ", "\n", "---\n", "...\n", "&a ", "*a", "!!str ", "!!python/object ",
               "[", "]", "{", "}", ",", "'", '"', "#", "|\n", ">\n", "? ", "id", "name", "2026-13-45",
               "2026-11-22", "1e9999", "0x1F", "~", "null", "true", "sí", "\ufeff", "\u202e", "\x00", "\x85",
               "%YAML 1.2\n", "%TAG ! x\n", "<<: ", "é", "\\", "\r\n", "\r"]
MD_PIECES = [":::", "::::", " ", "{", "}", ".practices", ".nota", ".qr", "#id", "channel=", '"radio"', "'x'",
             "=", "\n", "```", "~~~", "caption=\"a b\"", "kind=digital", "ids=a,b", "\t", "---\n", "# Título",
             "\u202e", "é", ".", "-", "\\", "\"", "'"]

yaml_text = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join))
md_text = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(MD_PIECES), max_size=50).map("".join))

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["letter", "a4", "digital", "bajo", ""]))
keys = st.one_of(st.sampled_from(["id", "title", "slug", "chapters", "formats", "pdf", "page_size", "name",
                                  "kind", "contact", "phone", "value", "scale", "source", "url", "sizes"]),
                 st.text(min_size=1, max_size=10))
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(keys, inner, max_size=5)), max_leaves=25)


def _fixture_data(rel: str):
    return plain(load_yaml(FIXTURES / "mini" / rel, Collector()))


BASES = {
    "guide.yml": (schema.GuideConfig, _fixture_data("guide.yml")),
    "channels.yml": (list[schema.Channel], _fixture_data("data/channels.yml")),
    "practices.yml": (list[schema.Practice], _fixture_data("data/practices.yml")),
    "indicators.yml": (list[schema.Indicator], _fixture_data("data/indicators.yml")),
    "entities.yml": (list[schema.Entity], _fixture_data("data/entities.yml")),
    "steps.yml": (list[schema.Step], _fixture_data("data/steps.yml")),
}


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutated(draw):
    """A valid fixture file with one part replaced, deleted or added: near-misses reach deep code."""
    name = draw(st.sampled_from(sorted(BASES)))
    model, base = BASES[name]
    import copy

    data = copy.deepcopy(base)
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(trees)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(keys)] = draw(trees)
    else:
        parent.append(draw(trees))
    return model, data


def _check_collected(errors: Collector, result) -> None:
    for d in errors.items:
        assert d.line >= 0 and d.column >= 0 and d.message
    if result is None:
        assert errors.errors, "returned nothing without saying why"


@SETTINGS
@given(yaml_text)
def test_parse_yaml_never_crashes(text):
    errors = Collector()
    try:
        result = parse_yaml(text, FILE, errors)
    except GuideError:
        return
    if result is not None:
        plain(result)
    for d in errors.items:
        assert d.line >= 0


@SETTINGS
@given(st.binary(max_size=300) | yaml_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_decode_then_parse_never_crashes(raw):
    """The path of load_yaml: bytes → decode (UTF-8, BOM, CRLF, controls) → YAML."""
    errors = Collector()
    text = decode(raw, FILE, errors)
    if text is None:
        assert errors.errors
        return
    assert "\r" not in text and not text.startswith("\ufeff")
    parse_yaml(text, FILE, errors)


@SETTINGS
@given(st.sampled_from(sorted(BASES)), trees)
def test_validate_random_trees(name, data):
    model = BASES[name][0]
    errors = Collector()
    try:
        text = dump_yaml(data)
    except Exception:  # ruamel cannot write some generated values (e.g. odd floats); not our input
        return
    tree = parse_yaml(text, FILE, errors)
    if tree is None:
        return
    result = validate(model, plain(tree), tree, FILE, errors)
    _check_collected(errors, result)


@SETTINGS
@given(mutated())
def test_validate_near_misses(case):
    model, data = case
    errors = Collector()
    text = dump_yaml(data)
    tree = parse_yaml(text, FILE, errors)
    if tree is None:
        assert errors.errors
        return
    result = validate(model, plain(tree), tree, FILE, errors)
    _check_collected(errors, result)
    for d in errors.errors:  # every problem points into the file
        assert 1 <= d.line <= text.count("\n") + 1, (d, text)


@SETTINGS
@given(md_text)
def test_directive_parser_never_crashes(markdown):
    errors = Collector()
    parsed = directives.parse(markdown, Path("guide/chapters/x.md"), errors, first_line=3)
    assert parsed.markdown.count("\n") == markdown.count("\n"), "line numbers must survive the parser"
    for d in parsed.directives:
        assert d.name in directives.DIRECTIVES and d.line >= 3
    for d in errors.items:
        assert 3 <= d.line <= markdown.count("\n") + 3


@SETTINGS
@given(md_text)
def test_parse_attributes_never_crashes(text):
    result = directives.parse_attributes(text)
    assert isinstance(result, (str, tuple))
    if isinstance(result, tuple):
        classes, ident, attrs = result
        assert all(isinstance(c, str) for c in classes) and isinstance(ident, str)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in attrs.items())


@SETTINGS
@given(st.one_of(yaml_text.map(lambda t: "---\n" + t + "\n---\n# Título\n"), md_text,
                 yaml_text.map(lambda t: "---\n" + t)))
def test_split_front_matter_never_crashes(text):
    errors = Collector()
    values, tree, body, body_line = split_front_matter(text, Path("guide/chapters/x.md"), errors)
    assert isinstance(values, dict) and isinstance(body, str) and body_line >= 1
    assert text.endswith(body)
    if values:
        errors2 = Collector()
        result = validate(schema.ChapterFrontMatter, values, tree, Path("x.md"), errors2, line_offset=1)
        _check_collected(errors2, result)


@SETTINGS
@given(st.one_of(st.text(max_size=200), st.binary(max_size=100), st.integers(), st.none(),
                 st.lists(st.sampled_from(YAML_PIECES + MD_PIECES + ["\ud800", "\U0010ffff", "\u200f",
                                                                     "\u2028", "\ufffe"])).map("".join)))
def test_clean_untrusted_never_crashes(value):
    out = clean_untrusted(value)
    assert isinstance(out, str)
    out.encode("utf-8")  # no lone surrogates left: every writer can encode it
    assert clean_untrusted(out) == out, "cleaning twice changes nothing"


# ---------------------------------------------------------------- the personal data detector

@SETTINGS
@given(st.text(max_size=300))
def test_find_personal_data_never_crashes(text):
    from guidebuilder.checks.privacy import find_personal_data, normalise

    for kind, match in find_personal_data(text):
        assert match in text and kind in ("email", "phone", "curp", "rfc")
        normalise(kind, match)


@st.composite
def written_phone(draw):
    digits = str(draw(st.integers(min_value=2, max_value=9))) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    area = draw(st.sampled_from([2, 3]))
    a, b, c = digits[:area], digits[area:6], digits[6:]
    sep = draw(st.sampled_from([" ", "-", ".", ""]))
    style = draw(st.sampled_from(["plain", "paren", "country", "pairs"]))
    if style == "paren":
        text = f"({a}) {b}{sep}{c}"
    elif style == "pairs":
        text = " ".join(digits[i:i + 2] for i in range(0, 10, 2))
    else:
        text = f"{a}{sep}{b}{sep}{c}"
        if style == "country":
            text = draw(st.sampled_from(["+52 ", "+52", "52 ", "+52 1 "])) + text
    return digits, text


@SETTINGS
@given(written_phone(), st.sampled_from(["Llama al {}.", "Tel. {}", "({})", "{}", "teléfono: {}, de 9 a 15"]))
def test_every_way_of_writing_a_phone_is_found(phone, sentence):
    from guidebuilder.checks.privacy import find_personal_data, normalise

    digits, written = phone
    found = find_personal_data(sentence.format(written))
    assert [normalise(k, m) for k, m in found if k == "phone"] == [digits], (written, found)


# Pieces that make (or almost make) personal data, for the scan's one-pass shortcut below.
PD_PIECES = ["81", " ", "1234", "5678", "-", "(81)", "+52", "\n", "ana", "@", "correo.mx", " arroba ", " punto ",
             "mx", "[at]", "[dot]", "GODE", "561231", "HNLRRN", "09", "/", "https://x.mx/", "2024", ".", "é",
             "8112345678", "x-", "GODE561231GR8", "GODE561231HNLRRN09", "arro-\nba", "ar", "roba", "-\n", "＠",
             "８１", "[a-\nt]", "\t"]
pd_text = st.lists(st.sampled_from(PD_PIECES), max_size=25).map("".join)


@SETTINGS
@given(st.lists(pd_text, max_size=6))
def test_one_pass_over_a_file_misses_nothing_its_parts_hold(parts):
    """file_findings scans a file's parts joined by a blank line first, and its parts only when that
    finds something: so whenever any part holds personal data, the joined text must too."""
    from guidebuilder.checks.privacy import _flatten, find_personal_data

    in_parts = any(find_personal_data(flat) for part in parts for flat in _flatten(part))
    joined = any(find_personal_data(flat) for flat in _flatten("\n\n".join(parts)))
    assert joined or not in_parts


@SETTINGS
@given(pd_text)
@example("ana arro-\nba correo punto mx")  # a spoken address broken across lines
@example("ana [a-\nt] correo [dot] mx")
@example("ana＠correo.mx")  # a full-width at sign
def test_parts_skipped_by_the_cheap_check_hold_nothing(part):
    """texts_findings skips the parts may_hold rules out: none of them may hold personal data."""
    from guidebuilder.checks.privacy import _flatten, find_personal_data, may_hold

    if any(find_personal_data(flat) for flat in _flatten(part)):
        assert may_hold(part)
