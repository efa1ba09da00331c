#!/usr/bin/env python3
"""Write a synthetic guide for the benchmark: the real guide's shape, about 30,000 words × scale.

The text is pseudo-Spanish from a fixed vocabulary with a fixed seed, so the same command always
writes the same guide. Every entity is fictional. Usage:
    python scripts/make_synthetic_guide.py OUT_DIR [--scale N]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = ("información pública útil población institución canal consulta transparencia proactiva datos "
         "abiertos formato lenguaje claro comunidad municipio servicio trámite radio cartel asamblea "
         "ventanilla módulo teléfono portal red social mensaje audiencia necesidad tema prioridad "
         "evaluación seguimiento difusión publicación preparación identificación persona grupo sector "
         "lectura acceso derecho gobierno abierto participación ciudadana calidad oportuna accesible "
         "sencilla completa verificable reutilizable documento guía paso método ejemplo práctica").split()
VERBS = "publica identifica prepara difunde evalúa consulta revisa mejora comparte explica".split()
STEPS = [("identificar", "Identificar las necesidades"), ("preparar", "Preparar la información"),
         ("publicar", "Publicar por los canales adecuados"), ("difundir", "Difundir y explicar"),
         ("evaluar", "Evaluar y dar seguimiento")]
CHANNELS = [("portal-web", "Portal web", "digital"), ("datos-abiertos", "Datos abiertos", "digital"),
            ("redes-sociales", "Redes sociales", "digital"), ("mensajeria", "Mensajería", "digital"),
            ("radio", "Radio", "non-digital"), ("radio-comunitaria", "Radio comunitaria", "non-digital"),
            ("folletos", "Folletos impresos", "non-digital"), ("carteles", "Carteles", "non-digital"),
            ("tableros", "Tableros de avisos", "non-digital"), ("modulos", "Módulos itinerantes", "non-digital"),
            ("telefono", "Teléfono", "non-digital"), ("asambleas", "Asambleas comunitarias", "non-digital"),
            ("lenguas", "Lenguas indígenas", "non-digital"), ("senas", "Lengua de señas", "non-digital")]
TOPICS = ["salud", "educacion", "seguridad", "agua", "obras", "presupuesto"]


def sentence(rng: random.Random) -> str:
    n = rng.randint(8, 18)
    words = [rng.choice(WORDS) for _ in range(n)]
    words.insert(rng.randint(1, n - 1), rng.choice(VERBS))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def chapter(rng: random.Random, number: int, title: str, words: int) -> str:
    out = [f"# {title}", "", paragraph(rng, 4), ""]
    written, section, note = 0, 0, 0
    while written < words:
        section += 1
        out += [f"## Sección {number}.{section}", ""]
        for _ in range(3):
            text = paragraph(rng, rng.randint(4, 7))
            if rng.random() < 0.3:
                note += 1
                text += f"[^n{note}]"
                out += [text, "", f"[^n{note}]: {sentence(rng)}", ""]
            else:
                out += [text, ""]
            written += len(text.split())
        if section % 3 == 0:
            out += [f"- {sentence(rng)}" for _ in range(4)] + [""]
        if section % 4 == 0:
            out += ["| Tema | Canal | Frecuencia |", "|---|---|---|"]
            out += [f"| {rng.choice(TOPICS)} | {rng.choice(CHANNELS)[1]} | {rng.randint(1, 12)} al año |"
                    for _ in range(5)]
            out += ["", f"Table: Ejemplo de calendario {number}.{section}", ""]
    out += ["::: {.lista-verificacion}", *[f"- [ ] {sentence(rng)}" for _ in range(5)], ":::", ""]
    return "\n".join(out)


def write(out: Path, scale: int = 1) -> None:
    rng = random.Random(20261122)
    if out.exists():
        shutil.rmtree(out)
    (out / "chapters").mkdir(parents=True)
    (out / "data").mkdir()
    (out / "leaflet").mkdir()
    chapters = []
    step_chapter = {}
    for k in range(12 * scale):
        name = f"capitulo-{k + 1:02d}.md"
        body = chapter(rng, k + 1, f"Capítulo {k + 1}: {sentence(rng)[:-1][:60]}", 1900)
        if k < len(STEPS):
            step_chapter[STEPS[k][0]] = name
            body += f"\n## Prácticas de este paso\n\n::: {{.practices step=\"{STEPS[k][0]}\" layout=\"table\" caption=\"Prácticas del paso {k + 1}\"}}\n:::\n"
        if k == 0:
            body += "\n## Datos\n\n::: {.indicators group=\"diagnostico\" caption=\"Indicadores\"}\n:::\n\n" \
                    "::: {.chart group=\"diagnostico\" caption=\"Indicadores del diagnóstico\"}\n:::\n"
        (out / "chapters" / name).write_text(body, encoding="utf-8")
        chapters.append(name)
    (out / "chapters" / "canales.md").write_text(
        "# Canales\n\n" + paragraph(rng) + "\n\n::: {.channels}\n:::\n", encoding="utf-8")
    (out / "chapters" / "practicas.md").write_text(
        "# Buenas prácticas\n\n" + paragraph(rng) + "\n\n::: {.practices}\n:::\n", encoding="utf-8")
    chapters += ["canales.md", "practicas.md"]
    entities = [(f"entidad-{i:02d}", f"Entidad ficticia {i:02d}", f"81 5550 {i:04d}") for i in range(1, 52)]
    allow = "\n".join(f"    - \"{phone}\"" for _, _, phone in entities)
    (out / "guide.yml").write_text(f"""title: Guía sintética para medir
subtitle: Texto generado; no es contenido real
slug: guia-sintetica
edition: Banco de pruebas
language: es-MX
date: 2026-11-22
publisher: Banco de pruebas de guidebuilder
institutions: [Institución ficticia]
licence: CC BY 4.0
url: https://example.org/guia-sintetica/
chapters:
{chr(10).join('  - ' + c for c in chapters)}
review:  # as in the real guide: the DOCX format also makes the review edition
  deadline: 2026-12-15
  contact_name: Equipo del banco de pruebas
  contact_email: banco@example.org
privacy:
  allow:
    - banco@example.org
{allow}
formats:
  leaflet:
    sizes: [letter]
""", encoding="utf-8")
    data = out / "data"
    data.joinpath("steps.yml").write_text("".join(
        f"- id: {sid}\n  number: {i + 1}\n  title: {title}\n  summary: {sentence(rng)}\n  chapter: {step_chapter[sid]}\n"
        for i, (sid, title) in enumerate(STEPS)), encoding="utf-8")
    data.joinpath("topics.yml").write_text("".join(f"- id: {t}\n  name: {t.capitalize()}\n" for t in TOPICS),
                                           encoding="utf-8")
    data.joinpath("channels.yml").write_text("".join(
        f"- id: {cid}\n  name: {name}\n  kind: {kind}\n  summary: {sentence(rng)}\n  when_to_use: {sentence(rng)}\n"
        f"  reach: {sentence(rng)}\n  cost: {rng.choice(['bajo', 'medio', 'alto'])}\n"
        f"  accessibility: {sentence(rng)}\n  populations: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
        for cid, name, kind in CHANNELS), encoding="utf-8")
    practices = []
    for i in range(40 * scale):
        chans = rng.sample([c[0] for c in CHANNELS], 2)
        practices.append(
            f"- id: practica-{i + 1:03d}\n  title: Práctica {i + 1} {sentence(rng)[:50]}\n"
            f"  institution: Institución ficticia {i % 9 + 1}\n  place: Lugar ficticio\n  country: México\n"
            f"  year: {2015 + i % 10}\n  channels: [{', '.join(chans)}]\n  steps: [{STEPS[i % 5][0]}]\n"
            f"  topics: [{TOPICS[i % 6]}]\n  summary: {paragraph(rng, 2)}\n"
            f"  sources:\n    - title: Fuente ficticia {i + 1}\n      url: https://example.org/fuente/{i + 1}\n"
            f"  verification: verificada\n")
    data.joinpath("practices.yml").write_text("".join(practices), encoding="utf-8")
    data.joinpath("indicators.yml").write_text("".join(
        f"- id: indicador-{i}\n  group: diagnostico\n  name: Indicador ficticio {i}\n  label: Indicador {i}\n"
        f"  value: {rng.randint(20, 95)}\n  reference_value: {rng.randint(20, 95)}\n  reference_label: referencia\n"
        f"  territory: Territorio ficticio\n  scale: 0-100\n  year: 2024\n"
        f"  source: {{title: Fuente ficticia, url: 'https://example.org/indicador/{i}'}}\n  verification: verificada\n"
        for i in range(1, 9)), encoding="utf-8")
    data.joinpath("entities.yml").write_text("".join(
        f"- id: {eid}\n  name: {name}\n  kind: municipality\n  fictional: true\n  contact:\n"
        f"    address: Calle Ficticia {i}, Centro\n    hours: Lunes a viernes, 9:00 a 15:00\n"
        f"    phone: \"{phone}\"\n    bulletin_board: Entrada del edificio ficticio\n"
        for i, (eid, name, phone) in enumerate(entities, start=1)), encoding="utf-8")
    leaflet = out / "leaflet"
    leaflet.joinpath("leaflet.yml").write_text("title: Folleto de prueba\n", encoding="utf-8")
    for role in ("cover", "back", "flap", "inside-1", "inside-2", "inside-3"):
        text = f"## {sentence(rng)[:40]}\n\n{paragraph(rng, 3)}\n"
        if role == "cover":
            text += "\n::: {.qr caption=\"Lee la guía\"}\n:::\n"
        if role == "back":
            text += "\n::: {.contact}\n:::\n"
        leaflet.joinpath(f"{role}.md").write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()
    write(args.out, args.scale)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in (args.out / "chapters").glob("*.md"))
    print(f"{args.out}: {words} words in chapters")


if __name__ == "__main__":
    main()
