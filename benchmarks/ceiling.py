"""The ceiling: the fastest page this stack serves. A bare Flask view renders a Jinja page
of about the portal's start page's size (CEILING_BYTES) after one indexed query (a case by
its primary key) on the benchmark's database (DATABASE_URL), under the same gunicorn
settings as the portal: `gunicorn benchmarks.ceiling:app`."""

from __future__ import annotations

import os
import random

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body>
<header><a href="/">Victim Contact Scheme</a></header>
<main>
<h1>{{ title }}</h1>
<p>Case {{ reference }}</p>
{% for line in lines %}<p class="line">{{ line }}</p>
{% endfor %}
</main>
<footer>Crown copyright</footer>
</body>
</html>
"""
LINE = "Victims of serious crime can be told about the sentence and the offender's release."


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "sqlite:///instance/bench/ceiling.db")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_app() -> Flask:
    app = Flask(__name__)
    engine = create_engine(_database_url(), pool_size=10)
    with engine.connect() as connection:
        largest = connection.scalar(text("SELECT max(id) FROM cases")) or 1
    size = int(os.environ.get("CEILING_BYTES", "12000"))
    lines = [f"{LINE} ({n})" for n in range(max(1, size // (len(LINE) + 30)))]

    @app.get("/")
    def page():
        with engine.connect() as connection:
            reference = connection.scalar(
                text("SELECT reference FROM cases WHERE id = :id"),
                {"id": random.randint(1, largest)},
            )
        return render_template_string(PAGE, title="The ceiling", reference=reference, lines=lines)

    return app
