#!/usr/bin/env python3
"""Write an ILLUSTRATIVE consultation sample: fictional answers, fixed seed, same file every run.

    python scripts/make_sample_consultation.py [OUT.csv]   (default: tests/fixtures/sample-consultation/answers.csv)

Nothing here is a real answer: the municipalities are invented, the names, e-mails and phone
numbers in the personal columns are made up (example.org addresses, 555 numbers), and the
schema marks the set `illustrative: true`, so every table and chart made from it says so.
A few rows exercise the privacy guard: personal columns filled in, and publishable comments
carrying an e-mail address, a phone number or a respondent's name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

SEED = 20230215
ROWS = 96
HEADER = ["fecha", "municipio", "grupo_edad", "canal_respuesta", "temas", "canales_preferidos", "comentario",
          "publicable", "nombre", "correo", "telefono"]
MUNICIPALITIES = ["villa-ejemplo", "san-ficticio", "cerro-modelo", "valle-muestra"]
AGES = ["15-29", "30-44", "45-59", "60-o-mas"]
ANSWER = ["formulario-en-linea", "papel", "telefono", "presencial"]
TOPICS = ["salud", "educacion", "seguridad", "agua", "transporte", "obras-publicas", "programas-sociales",
          "presupuesto"]
DIGITAL = ["portal-web", "redes-sociales", "whatsapp"]
NON_DIGITAL = ["radio", "perifoneo", "tablero-avisos", "reunion-comunitaria", "impreso"]
COMMENTS = [
    "Quisiera saber cuándo llega el agua a mi colonia.",
    "Que publiquen los horarios de las clínicas en el tablero de la presidencia.",
    "En mi comunidad no hay internet; la radio es lo que escuchamos.",
    "Me gustaría ver en qué se gasta el presupuesto de obras.",
    "Los avisos en papel se mojan; mejor en la tienda de la esquina.",
    "Que las reuniones sean en la tarde, cuando ya salimos del trabajo.",
    "Información de becas para estudiantes, por favor.",
    "Rutas y horarios del transporte en un solo lugar.",
]
# Fictional people for the personal columns (never shown: the loader drops these columns).
PEOPLE = [("Persona Ficticia Uno", "persona.uno@example.org", "81 5550 0101"),
          ("Persona Ficticia Dos", "persona.dos@example.org", "81 5550 0102"),
          ("Persona Ficticia Tres", "", "81 5550 0103"),
          ("Persona Ficticia Cuatro", "persona.cuatro@example.org", ""),
          ("Persona Ficticia Cinco", "persona.cinco@example.org", "81 5550 0105")]
# Publishable comments the guard must keep out of the guide, and one hostile but clean one it keeps.
SPECIAL = {
    7: ("Escríbanme a vecina.ficticia@example.org para avisarme de las obras.", "sí"),
    19: ("Llámenme al 81 5550 0199, quiero saber del programa social.", "sí"),
    31: ("Soy Persona Ficticia Dos y quiero saber de la escuela.", "sí"),
    43: ("Comentario privado: no lo publiquen.", "no"),
    55: ("<b>Presupuesto</b> por colonia & [un mapa](https://example.org) en vez de tablas.\n"
         "Segunda línea del comentario.", "sí"),
}


def pick(rng: random.Random, pool: list[str], k_min: int, k_max: int, bias: list[str] | None = None) -> list[str]:
    k = rng.randint(k_min, k_max)
    weights = [3 if bias and x in bias else 1 for x in pool]
    chosen: list[str] = []
    while len(chosen) < k:
        x = rng.choices(pool, weights)[0]
        if x not in chosen:
            chosen.append(x)
    return [x for x in pool if x in chosen]


def rows() -> list[list[str]]:
    rng = random.Random(SEED)
    start = dt.date(2023, 2, 6)
    out = []
    for i in range(ROWS):
        date = start + dt.timedelta(days=rng.randint(0, 40))
        municipality = rng.choices(MUNICIPALITIES, [4, 3, 2, 2])[0]
        age = rng.choices(AGES, [3, 3, 2, 2])[0]
        older = age in ("45-59", "60-o-mas")
        answer = rng.choices(ANSWER, [2, 5, 2, 3] if older else [6, 2, 1, 1])[0]
        offline = answer != "formulario-en-linea"
        topics = pick(rng, TOPICS, 1, 3, ["agua", "salud", "seguridad"])
        preferred = pick(rng, DIGITAL + NON_DIGITAL, 1, 3, NON_DIGITAL if offline or older else DIGITAL)
        comment, publishable = "", ""
        if i in SPECIAL:
            comment, publishable = SPECIAL[i]
        elif rng.random() < 0.3:
            comment, publishable = rng.choice(COMMENTS), rng.choice(["sí", "sí", "no"])
        else:
            publishable = "no"
        name = email = phone = ""
        if i % 19 == 3:
            name, email, phone = PEOPLE[(i // 19) % len(PEOPLE)]
        out.append([date.isoformat(), municipality, age, answer, ";".join(topics), ";".join(preferred), comment,
                    publishable, name, email, phone])
    out.sort(key=lambda r: r[0])
    return out


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "tests/fixtures/sample-consultation/answers.csv"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buf.getvalue(), encoding="utf-8")
    print(f"{target}: {ROWS} illustrative answers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
