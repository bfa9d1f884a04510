"""Fingerprints follow content, through the files that name other files (portal/static_files.py)."""

from __future__ import annotations

import re

import pytest

from portal.static_files import StaticFiles


def build(root, files: dict[str, str]) -> StaticFiles:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return StaticFiles(root)


SITE = {
    "assets/fonts/font.woff2": "font v1",
    "assets/images/crest.svg": "<svg/>",
    "css/site.css": "@font-face{src:url(/assets/fonts/font.woff2)}"
    ".logo{background:url(/assets/images/crest.svg)}.x{background:url(/assets/nothing.png)}",
    "js/site.mjs": 'import { a } from "/static/js/lib.js";\nconst site = "/static/";\n',
    "js/lib.js": "export const a = 1;",
    "assets/manifest.json": '{"icons": [{"src": "images/crest.svg"}, {"src": "https://x/y.png"}]}',
}


def test_references_are_fingerprinted_and_hashes_cover_them(tmp_path):
    files = build(tmp_path, SITE)
    css = files.files["css/site.css"].body.decode()
    font = files.files["assets/fonts/font.woff2"]
    assert f"url(/assets/fonts/font.{font.digest}.woff2)" in css
    assert re.search(r"url\(/assets/images/crest\.[0-9a-f]{12}\.svg\)", css)
    assert "url(/assets/nothing.png)" in css  # not ours: left alone
    module = files.files["js/site.mjs"].body.decode()
    assert re.search(r'from "/static/js/lib\.[0-9a-f]{12}\.js"', module)
    assert 'const site = "/static/";' in module
    manifest = files.files["assets/manifest.json"].body.decode()
    assert re.search(r'"src": "images/crest\.[0-9a-f]{12}\.svg"', manifest)
    assert '"src": "https://x/y.png"' in manifest
    # A new font: a new name for the font, and so for the stylesheet that names it.
    before = files.files["css/site.css"].digest
    (tmp_path / "assets/fonts/font.woff2").write_text("font v2")
    after = StaticFiles(tmp_path)
    assert after.files["assets/fonts/font.woff2"].digest != font.digest
    assert after.files["css/site.css"].digest != before
    assert after.files["js/lib.js"].digest == files.files["js/lib.js"].digest


def test_names_are_found_with_or_without_a_fingerprint(tmp_path):
    files = build(tmp_path, SITE)
    digest = files.files["css/site.css"].digest
    assert files.url_filename("static", "css/site.css") == f"css/site.{digest}.css"
    assert files.url_filename("assets.static", "images/crest.svg").startswith("images/crest.")
    assert files.url_filename("static", "css/missing.css") == "css/missing.css"
    assert files.find("static", f"css/site.{digest}.css") == (files.files["css/site.css"], True)
    assert files.find("static", "css/site.css") == (files.files["css/site.css"], False)
    assert files.find("static", "css/site.0123456789ab.css") == (files.files["css/site.css"], False)
    assert (
        files.find("assets.static", "fonts/font.woff2")[0] is files.files["assets/fonts/font.woff2"]
    )
    assert files.find("static", "css/other.css") == (None, False)


def test_compressed_once_and_only_when_smaller(tmp_path):
    files = build(tmp_path, {"css/big.css": ".a{color:red}" * 200, "css/tiny.css": "a{}"})
    big = files.files["css/big.css"]
    assert len(big.encoded("br")) < len(big.body) / 10
    assert big.encoded("br") is big.encoded("br")
    assert files.files["css/tiny.css"].encoded("gzip") is None


def test_files_that_name_each_other_in_a_loop_are_refused(tmp_path):
    with pytest.raises(ValueError, match="loop"):
        build(tmp_path, {"a.css": "url(/static/b.css)", "b.css": "url(/static/a.css)"})
