"""Static files: fingerprinted, cached for a year, compressed once at the highest level.

Every file under static/ is read when the app starts and named by a hash of its
content. `url_for("static", filename="css/portal.css")` (and the GOV.UK assets'
`url_for("assets.static", ...)`) gives `/static/css/portal.<hash>.css`, served
`Cache-Control: public, max-age=31536000, immutable`: a browser never asks for
it again, and a changed file gets a new name. The plain name (`/static/css/
portal.css`) still works, as `no-cache` with an ETag, so an address kept from
before is checked rather than kept stale.

Files that name other static files are rewritten as they are read, so that
what they name is fingerprinted too: the stylesheets' `url(/assets/fonts/...)`
(GOV.UK Frontend's fonts and crest), the module's `import ... from
"/static/..."` and the web manifest's icons. A file's hash is the hash of the
rewritten content, so a new font gives the stylesheet a new name as well.

Text (CSS, JavaScript, SVG, JSON, the icon) is sent compressed with brotli or
gzip, whichever the browser accepts (brotli first), and `Vary: Accept-Encoding`.
Each file is compressed once per worker, at the highest level (brotli 11, gzip
9; about 0.6 s of CPU for all of them together), the first time it is asked
for, and kept in memory. Fonts and PNG files are compressed already and sent as
they are. Pages are compressed by portal.compression, at a cheaper level.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import mimetypes
import posixpath
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from flask import Flask, Response, abort, current_app, request

from portal.config import PROJECT_ROOT

STATIC_ROOT = PROJECT_ROOT / "static"

#: The endpoints that serve static files, and the folder under static/ each serves.
#: GOV.UK Frontend's compiled CSS asks for its fonts and images under /assets/.
ROOTS = {"static": "", "assets.static": "assets/"}
#: Where each endpoint is mounted (what the files' own references start with).
MOUNTS = {"/static/": "", "/assets/": "assets/"}

#: A year: the longest a cache keeps anything (RFC 9111 advises no more).
IMMUTABLE = "public, max-age=31536000, immutable"
#: A plain (unfingerprinted) name: keep it, but check with the server each time.
REVALIDATE = "no-cache"

DIGEST_LENGTH = 12
#: `name.<hash>.suffix`: the fingerprinted form of `name.suffix`.
FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$"
)
#: An absolute reference to a static file, in CSS (`url(/assets/...)`) or JavaScript
#: (`from "/static/..."`).
REFERENCE = re.compile(r"(?<![\w/.-])(?P<mount>/static/|/assets/)(?P<path>[\w./-]+\.[A-Za-z0-9]+)")
#: A web manifest's icon, named relative to the manifest.
MANIFEST_SOURCE = re.compile(r'("src"\s*:\s*")(?P<path>[^"]+)(")')

#: Files that may name other static files, and so are rewritten.
REWRITTEN_SUFFIXES = frozenset({".css", ".js", ".mjs", ".json"})

MIMETYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".ico": "image/vnd.microsoft.icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".png": "image/png",
}
COMPRESSIBLE = frozenset(
    {
        "text/css",
        "text/javascript",
        "application/json",
        "image/svg+xml",
        "image/vnd.microsoft.icon",
    }
)
#: The encodings offered, best first.
ENCODINGS = ("br", "gzip")

#: Talisman's options for the static files' view (what its per-view decorator sets): a
#: stylesheet, script, font, icon or PNG is not a document, so a document's policies
#: (CSP, frame options, permissions) would only add 450 bytes to every file. nosniff and
#: the referrer policy stay. An SVG opened on its own is a document: it gets SVG_POLICY.
TALISMAN_OPTIONS = {
    "content_security_policy": None,
    "frame_options": None,
    "permissions_policy": None,
}
#: Nothing loads or runs inside one of our SVG pictures opened on its own, nor frames it.
SVG_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@dataclass
class StaticFile:
    """One file under static/, as served: its content (references fingerprinted) and hash."""

    name: str  # relative to static/, with forward slashes
    body: bytes
    digest: str
    mimetype: str
    _encoded: dict[str, bytes | None] = field(default_factory=dict, repr=False)

    @property
    def compressible(self) -> bool:
        return self.mimetype in COMPRESSIBLE

    @property
    def fingerprinted_name(self) -> str:
        stem, suffix = posixpath.splitext(self.name)
        return f"{stem}.{self.digest}{suffix}"

    def encoded(self, encoding: str) -> bytes | None:
        """The content compressed with `encoding`, or None when that is no smaller."""
        if encoding not in self._encoded:
            if encoding == "br":
                data = brotli.compress(self.body, quality=11)
            else:
                data = gzip.compress(self.body, compresslevel=9, mtime=0)
            self._encoded[encoding] = data if len(data) < len(self.body) else None
        return self._encoded[encoding]


#: Numbers each reading of the static files (StaticFiles.generation).
_generations = itertools.count(1)


class StaticFiles:
    """Every file under `root`, read once and fingerprinted."""

    def __init__(self, root: Path) -> None:
        self.root = root
        #: A new number each time the files are read (a file changed): what a part of a
        #: page rendered once with their fingerprinted addresses is keyed by (`version`).
        self.generation = next(_generations)
        self.signature = _signature(root)
        self.checked_at = time.monotonic()
        self.files: dict[str, StaticFile] = {}
        sources = {name: (root / name).read_bytes() for name in self.signature_names()}
        for name in sorted(sources):
            self._load(name, sources, ())

    def signature_names(self) -> list[str]:
        return [name for name, *_ in self.signature]

    def _load(self, name: str, sources: dict[str, bytes], chain: tuple[str, ...]) -> StaticFile:
        if name in self.files:
            return self.files[name]
        if name in chain:
            raise ValueError(f"Static files name each other in a loop: {' > '.join(chain)}")
        body = sources[name]
        suffix = posixpath.splitext(name)[1].lower()
        if suffix in REWRITTEN_SUFFIXES:
            body = self._rewrite(name, body, sources, (*chain, name))
        mimetype = MIMETYPES.get(suffix) or mimetypes.guess_type(name)[0]
        file = StaticFile(
            name=name,
            body=body,
            digest=hashlib.sha256(body).hexdigest()[:DIGEST_LENGTH],
            mimetype=mimetype or "application/octet-stream",
        )
        self.files[name] = file
        return file

    def _rewrite(
        self, name: str, body: bytes, sources: dict[str, bytes], chain: tuple[str, ...]
    ) -> bytes:
        text = body.decode("utf-8")

        def absolute(match: re.Match[str]) -> str:
            mount, path = match["mount"], match["path"]
            target = MOUNTS[mount] + path
            if target not in sources:
                return match[0]
            fingerprinted = self._load(target, sources, chain).fingerprinted_name
            return mount + fingerprinted.removeprefix(MOUNTS[mount])

        def relative(match: re.Match[str]) -> str:
            here = posixpath.dirname(name)
            target = posixpath.normpath(posixpath.join(here, match["path"]))
            if "://" in match["path"] or target not in sources:
                return match[0]
            fingerprinted = self._load(target, sources, chain).fingerprinted_name
            return match[1] + posixpath.relpath(fingerprinted, here or ".") + match[3]

        text = REFERENCE.sub(absolute, text)
        if name.endswith(".json") and _is_web_manifest(text):
            text = MANIFEST_SOURCE.sub(relative, text)
        return text.encode("utf-8")

    def find(self, endpoint: str, filename: str) -> tuple[StaticFile | None, bool]:
        """The file a request for `filename` under `endpoint` means, and whether the
        request named it by its current fingerprint."""
        name = ROOTS[endpoint] + filename
        if name in self.files:
            return self.files[name], False
        match = FINGERPRINTED.match(name)
        if match is None:
            return None, False
        file = self.files.get(match["stem"] + match["suffix"])
        if file is None:
            return None, False
        return file, match["digest"] == file.digest

    def url_filename(self, endpoint: str, filename: str) -> str:
        """The fingerprinted `filename` for url_for (unchanged when there is no such file)."""
        file = self.files.get(ROOTS[endpoint] + filename)
        if file is None:
            return filename
        return file.fingerprinted_name.removeprefix(ROOTS[endpoint])


def _is_web_manifest(text: str) -> bool:
    try:
        return isinstance(json.loads(text).get("icons"), list)
    except (ValueError, AttributeError):
        return False


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Each file's name, size and modification time: changes when a file does."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            stat = path.stat()
            found.append((relative.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


_loaded: StaticFiles | None = None


def load(root: Path = STATIC_ROOT) -> StaticFiles:
    """The static files, read again only when one has changed (every app in a process
    shares them: the test suite builds many apps)."""
    global _loaded
    if _loaded is None or _loaded.root != root or _loaded.signature != _signature(root):
        _loaded = StaticFiles(root)
    return _loaded


#: With STATIC_FILES_RELOAD, how often static/ is looked at again (a look takes a few ms).
RELOAD_EVERY_SECONDS = 1.0


def _files() -> StaticFiles:
    app = current_app
    files: StaticFiles = app.extensions["static_files"]
    if (
        app.config["STATIC_FILES_RELOAD"]
        and time.monotonic() - files.checked_at > RELOAD_EVERY_SECONDS
    ):
        files.checked_at = time.monotonic()
        if files.signature != _signature(files.root):
            files = app.extensions["static_files"] = load(files.root)
    return files


def serve(filename: str) -> Response:
    """A static file: immutable when named by its fingerprint, compressed when it helps."""
    file, fingerprinted = _files().find(request.endpoint or "static", filename)
    if file is None:
        abort(404)
    body, encoding = file.body, None
    if file.compressible:
        offered = [name for name in ENCODINGS if request.accept_encodings[name]]
        for name in sorted(offered, key=lambda name: -request.accept_encodings[name]):
            if (data := file.encoded(name)) is not None:
                body, encoding = data, name
                break
    response = Response(body, mimetype=file.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if file.compressible:
        response.vary.add("Accept-Encoding")
    if file.mimetype == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = IMMUTABLE if fingerprinted else REVALIDATE
    response.set_etag(f"{file.digest}-{encoding or 'identity'}")
    return response.make_conditional(request)


def version() -> int:
    """The current reading of the static files (`static_version()` in templates): a
    cached part of a page with their addresses in it has this in its key, so it is
    rendered again when a file changes (STATIC_FILES_RELOAD, in development)."""
    return _files().generation


def _fingerprint_urls(endpoint: str, values: dict) -> None:
    if endpoint in ROOTS and isinstance(values.get("filename"), str):
        values["filename"] = _files().url_filename(endpoint, values["filename"])


def init_app(app: Flask) -> None:
    """Serve /static/ and /assets/ from the fingerprinted files (after the assets
    blueprint is registered), and fingerprint every url_for to them."""
    app.config.setdefault("STATIC_FILES_RELOAD", False)
    app.extensions["static_files"] = load(Path(app.static_folder or STATIC_ROOT))
    for endpoint in ROOTS:
        app.view_functions[endpoint] = _view()
    app.url_defaults(_fingerprint_urls)
    app.add_template_global(version, "static_version")


def _view():
    """`serve` with Talisman's options, on a function of its own for each app and
    endpoint (Talisman fills in the app's other settings on that function's options)."""

    def serve_static_file(filename: str) -> Response:
        return serve(filename)

    serve_static_file.talisman_view_options = dict(TALISMAN_OPTIONS)  # type: ignore[attr-defined]
    return serve_static_file
