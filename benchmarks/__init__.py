"""`make bench` (issue 17): the portal under load against the stack's ceiling.

`python -m benchmarks` builds (or reuses) national-scale data on SQLite and
PostgreSQL, serves the portal and a bare ceiling app under the same gunicorn
settings, drives every page in `benchmarks.pages.PAGES` with wrk, checks the
budgets (`benchmarks.budgets`) and writes JSON, Markdown and an SVG chart to
benchmarks/results/. The README's "Benchmarks" section says what each column means.
"""
