"""Readability of the guide's Spanish text: Szigriszt-Pazos (INFLESZ scale) and Fernández-Huerta.

The text measured is all the text a reader reads in a chapter and in the leaflet, taken from the
pandoc AST of the guide as built (directives expanded): paragraphs, list items, boxes, headings
(each one a sentence), tables (each row, header rows included, one sentence; the caption another),
figure captions, footnotes (web addresses included: they are printed), and the blocks generated
from the data sets (practices, channels, glossary, references, gathered checklists). Left out: code
and raw HTML.

Syllables and words are counted with textstat (Spanish: pyphen hyphenation). Sentences are split
here, not by textstat: its splitter breaks at every '.', so "0.35" or "art. 56" would end a
sentence, and it drops sentences of one or two words from the count while keeping their words.
Every paragraph, list item, heading, table row and definition also ends a sentence, with or without
a final stop. The formulas are the ones textstat uses:

- Szigriszt-Pazos (perspicuity): 206.835 - 62.3 * syllables/words - words/sentences
- Fernández-Huerta: 206.84 - 60 * syllables/words - 1.02 * words/sentences
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from guidebuilder.pandoc import ast as A

LONG_SENTENCE = 30  # words
INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"),
                 (float("-inf"), "muy difícil"))
SKIP_BLOCKS = {"CodeBlock", "RawBlock", "HorizontalRule"}
ABBREVIATIONS = {"art", "arts", "fr", "frs", "núm", "no", "p", "pp", "ej", "sr", "sra", "dr", "dra", "lic",
                 "ing", "mtro", "mtra", "c", "a", "s", "av", "col", "tel", "ed", "vol", "cap", "fig", "aprox"}
_SPLIT = re.compile(r"(?<=[.!?…])[\"»”')\]]*\s+(?=[¿¡«“\"(\[]?[A-ZÁÉÍÓÚÑÜ0-9])")

_textstat = None


def _ts():
    global _textstat
    if _textstat is None:
        import textstat

        textstat.set_lang("es")
        _textstat = textstat
    return _textstat


def inflesz_band(score: float) -> str:
    """The INFLESZ band (Barrio-Cantalejo et al., 2008) of a Szigriszt-Pazos score."""
    for floor, name in INFLESZ_BANDS:
        if score >= floor:
            return name
    return INFLESZ_BANDS[-1][1]


def split_sentences(text: str) -> list[str]:
    """Sentences of one block of text; a stop after a known abbreviation does not end one."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    pieces = _SPLIT.split(text)
    out: list[str] = []
    for piece in pieces:
        if out:
            last = re.search(r"(\w+)\.$", out[-1])
            if last and (last.group(1).lower() in ABBREVIATIONS):
                out[-1] += " " + piece
                continue
        out.append(piece)
    return [s for s in out if words(s)]


def words(text: str) -> int:
    return _ts().lexicon_count(text)


def syllables(text: str) -> int:
    return _ts().syllable_count(text)


@dataclass
class Sentence:
    text: str
    words: int
    file: str = ""
    line: int = 0


@dataclass
class Score:
    """The measures of one piece of text (a chapter, the leaflet, the whole guide)."""

    name: str
    file: str
    sentences: list[Sentence] = field(default_factory=list)
    syllable_count: int = 0

    @property
    def word_count(self) -> int:
        return sum(s.words for s in self.sentences)

    @property
    def sentence_count(self) -> int:
        return len(self.sentences)

    @property
    def avg_sentence(self) -> float:
        return self.word_count / self.sentence_count if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllable_count / self.word_count if self.word_count else 0.0

    @property
    def szigriszt(self) -> float:
        if not self.word_count:
            return 0.0
        return 206.835 - 62.3 * self.syllables_per_word - self.avg_sentence

    @property
    def fernandez_huerta(self) -> float:
        if not self.word_count:
            return 0.0
        return 206.84 - 60 * self.syllables_per_word - 1.02 * self.avg_sentence

    @property
    def band(self) -> str:
        return inflesz_band(self.szigriszt)

    @property
    def long_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if s.words > LONG_SENTENCE]

    def add(self, other: "Score") -> None:
        self.sentences.extend(other.sentences)
        self.syllable_count += other.syllable_count


def _text(inlines) -> str:
    """Plain text of inlines (footnotes are measured apart, after the chapter's text)."""
    return re.sub(r"\s+", " ", A.stringify(inlines)).strip()


def _table_rows(table: list) -> list[list]:
    """The rows of a pandoc Table (head, bodies, foot), each a list of cells' blocks."""
    _attr, _caption, _specs, head, bodies, foot = table
    rows = list(head[1])
    for body in bodies:
        rows += list(body[2]) + list(body[3])
    rows += list(foot[1])
    return [[cell[4] for cell in row[1]] for row in rows]


def _notes(node, out: list) -> None:
    """Every footnote's blocks under a node, in reading order."""
    if isinstance(node, list):
        for n in node:
            _notes(n, out)
    elif isinstance(node, dict):
        if node.get("t") == "Note":
            out.append(node["c"])
        _notes(node.get("c"), out)


def prose_blocks(blocks, notes: bool = True) -> list[str]:
    """The text of each sentence-ending unit a reader reads: blocks, headings, table rows, notes."""
    out: list[str] = []

    def add(text: str) -> None:
        if text:
            out.append(text)

    def go(node) -> None:
        if isinstance(node, list):
            for n in node:
                go(n)
            return
        if not isinstance(node, dict) or node.get("t") in SKIP_BLOCKS:
            return
        t, c = node.get("t"), node.get("c")
        if t in ("Para", "Plain"):
            add(_text(c))
        elif t == "Header":
            add(_text(c[2]))
        elif t == "LineBlock":
            for line in c:
                add(_text(line))
        elif t in ("Div", "BlockQuote", "Figure"):
            if t == "Figure":
                go(c[1][1])
            go(c[-1] if t != "BlockQuote" else c)
        elif t in ("BulletList", "OrderedList"):
            go(c if t == "BulletList" else c[1])
        elif t == "DefinitionList":
            for term, defs in c:
                add(_text(term))
                go(defs)
        elif t == "Table":
            go(c[1][1])
            for row in _table_rows(c):
                add(" ".join(x for x in (" ".join(prose_blocks(cell, False)) for cell in row) if x))

    go(list(blocks))
    found: list = []
    if notes:
        _notes(list(blocks), found)
    for note in found:
        go(note)
    return out


def _locate(source_text: str, sentence: str, first_line: int) -> int:
    """The line of the source file where a sentence starts (0 when it cannot be found)."""
    head = [w for w in re.findall(r"\w+", sentence)][:5]
    if not head:
        return 0
    pattern = re.compile(r"\W+(?:\S*\W+)?".join(re.escape(w) for w in head))
    match = pattern.search(source_text)
    if not match:
        match = re.search(re.escape(head[0]) + r"\W+" + re.escape(head[1]) if len(head) > 1 else re.escape(head[0]),
                          source_text)
    return first_line + source_text.count("\n", 0, match.start()) if match else 0


def measure(name: str, file: str, texts: list[str], source_text: str = "", first_line: int = 1) -> Score:
    score = Score(name=name, file=file)
    for block in texts:
        for sentence in split_sentences(block):
            n = words(sentence)
            line = _locate(source_text, sentence, first_line) if n > LONG_SENTENCE and source_text else 0
            score.sentences.append(Sentence(sentence, n, file, line))
            score.syllable_count += syllables(sentence)
    return score


def measure_text(text: str, name: str = "texto") -> Score:
    """Measure plain text; blank lines separate blocks."""
    return measure(name, name, [b for b in re.split(r"\n\s*\n", text) if b.strip()])


@dataclass
class Report:
    chapters: list[Score]
    leaflet: Score | None
    total: Score

    def failures(self, min_chapter: float, min_leaflet: float, min_average: float) -> list[str]:
        out = []
        for s in self.chapters:
            if s.word_count and s.szigriszt < min_chapter:
                out.append(f"{s.file}: Szigriszt-Pazos {s.szigriszt:.1f} is under {min_chapter:g}")
        if self.leaflet is not None and self.leaflet.szigriszt < min_leaflet:
            out.append(f"{self.leaflet.file}: Szigriszt-Pazos {self.leaflet.szigriszt:.1f} is under {min_leaflet:g}")
        if self.total.szigriszt < min_average:
            out.append(f"guide average: Szigriszt-Pazos {self.total.szigriszt:.1f} is under {min_average:g}")
        return out


def guide_report(guide) -> Report:
    """Measure every chapter and the leaflet of a loaded (and transformed) Guide."""
    chapters: list[Score] = []
    total = Score(name="guía completa", file="")
    for chapter in guide.chapters:
        source = _read(chapter.path)
        offset = 1
        if chapter.markdown and chapter.markdown in source:
            offset = 1 + source.count("\n", 0, source.index(chapter.markdown))
            source = chapter.markdown
        score = measure(chapter.short_title, chapter.file, prose_blocks(chapter.blocks), source, offset)
        chapters.append(score)
        total.add(score)
    leaflet = None
    if guide.leaflet is not None:
        leaflet = Score(name="folleto", file=str(Path(next(iter(guide.leaflet.files.values()), "leaflet/x")).parent))
        for role, blocks in guide.leaflet.panels.items():
            file = guide.leaflet.files.get(role, role)
            path = guide.root.parent / file
            leaflet.add(measure(role, file, prose_blocks(blocks), _read(path), 1))
    return Report(chapters, leaflet, total)


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
