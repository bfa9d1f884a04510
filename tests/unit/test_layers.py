"""One direction of travel: the domain knows nothing of Flask or the request."""

import ast
from pathlib import Path

from portal.config import PROJECT_ROOT

DOMAIN = PROJECT_ROOT / "portal" / "domain"
FORBIDDEN_IN_DOMAIN = ("flask", "werkzeug", "portal.public", "portal.register", "portal.account")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_modules_do_not_import_flask_or_views():
    offenders = {}
    for path in DOMAIN.rglob("*.py"):
        bad = {
            name
            for name in imports_of(path)
            if name.split(".")[0] in FORBIDDEN_IN_DOMAIN
            or any(name.startswith(f) for f in FORBIDDEN_IN_DOMAIN)
        }
        if bad:
            offenders[path.name] = bad
    assert not offenders


def test_the_checker_sees_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import flask\nfrom werkzeug import Request\n")
    assert imports_of(module) == {"flask", "werkzeug"}
