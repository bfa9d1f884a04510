"""wrk, driven by a Lua script written for each page: the requests (cookies, CSRF tokens,
a new submission key and number for every POST) and, when wrk is done, one line of JSON
with the latency distribution, which `parse` reads back."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

#: What wrk is run with: the same for every page and for the ceiling.
CONNECTIONS = 16
THREADS = 2
#: Requests are sent as a browser would ask (so compression, when on, is paid for).
BROWSER_HEADERS = (("Accept", "text/html,*/*"), ("Accept-Encoding", "gzip, deflate, br"))
PERCENTILES = (50, 90, 95, 99)
MARKER = "WRK_JSON "
#: The one-time submission keys the benchmark makes all start so (a UUID, as
#: portal.forms.is_submission_key wants it): the data can be told apart and cleaned.
KEY_PREFIX = "bbbbbbbb"


@dataclass(frozen=True)
class Target:
    """One kind of request wrk sends, as an identity makes it: `body` may hold {key} and
    {n}, filled for each request."""

    path: str
    cookie: str = ""
    body: str = ""


@dataclass
class Result:
    requests: int
    seconds: float
    latency_ms: dict[str, float]
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _lua_string(value: str) -> str:
    if any(not (32 <= ord(c) < 127) for c in value):
        raise ValueError(f"only printable ASCII goes into a wrk script: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def script(
    method: str,
    targets: list[Target],
    headers: tuple[tuple[str, str], ...] = (),
    nonce: int = 0,
) -> str:
    """The Lua script for one page: `targets` taken in turn, request by request."""
    if not targets:
        raise ValueError("a page needs at least one target")
    all_headers = list(BROWSER_HEADERS) + list(headers)
    if method != "GET":
        all_headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    header_lines = "\n".join(
        f"  h[{_lua_string(name)}] = {_lua_string(value)}" for name, value in all_headers
    )
    rows = "\n".join(
        f"  {{path = {_lua_string(t.path)}, cookie = {_lua_string(t.cookie)}, "
        f"body = {_lua_string(t.body)}}},"
        for t in targets
    )
    percentiles = ", ".join(
        f'string.format(\'"%s": %.3f\', "{p}", latency:percentile({p}) / 1000)' for p in PERCENTILES
    )
    return f"""-- Written by benchmarks/wrk.py for one page: do not edit.
local method = {_lua_string(method)}
local nonce = {nonce % 0x10000}
local targets = {{
{rows}
}}
local threads = {{}}
thread_id = 0
local counter = 0
local fixed = {{}}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local function headers(target)
  local h = {{}}
{header_lines}
  if target.cookie ~= "" then h["Cookie"] = target.cookie end
  return h
end

function init(args)
  for i, target in ipairs(targets) do
    if target.body == "" or not (target.body:find("{{key}}", 1, true) or
        target.body:find("{{n}}", 1, true)) then
      local body = nil
      if target.body ~= "" then body = target.body end
      fixed[i] = wrk.format(method, target.path, headers(target), body)
    end
  end
end

function request()
  counter = counter + 1
  local n = counter * 16 + thread_id
  local i = (n % #targets) + 1
  if fixed[i] then return fixed[i] end
  local target = targets[i]
  local key = string.format("{KEY_PREFIX}-%04x-4%03x-8%03x-%012x", nonce, thread_id % 4096,
    math.floor(counter / 4294967296) % 4096, counter % 281474976710656)
  local body = target.body:gsub("{{key}}", key)
  body = body:gsub("{{n}}", tostring(nonce) .. "x" .. tostring(n))
  return wrk.format(method, target.path, headers(target), body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local p = table.concat({{{percentiles}}}, ", ")
  io.write("{MARKER}" .. string.format(
    '{{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {{"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}, ' ..
    '"latency_ms": {{"mean": %.3f, "max": %.3f, %s}}}}',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean / 1000, latency.max / 1000, p) .. "\\n")
end
"""


def parse(output: str) -> Result:
    """wrk's output: the JSON line `done` wrote (errors.status counts the answers that
    were neither 2xx nor 3xx)."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            errors = data["errors"]
            return Result(
                requests=data["requests"],
                seconds=data["duration_us"] / 1_000_000,
                latency_ms={key: float(value) for key, value in data["latency_ms"].items()},
                non_2xx_3xx=errors["status"],
                socket_errors=errors["connect"]
                + errors["read"]
                + errors["write"]
                + errors["timeout"],
                errors=errors,
            )
    raise ValueError("wrk printed no result line: " + _tail(output))


def _tail(output: str) -> str:
    return " | ".join(output.strip().splitlines()[-5:])


def run(base: str, lua: str, seconds: int, workdir: Path) -> Result:
    """Run wrk against `base` with the script `lua` for `seconds`."""
    path = workdir / "page.lua"
    path.write_text(lua)
    completed = subprocess.run(
        [
            wrk_binary(),
            "-t",
            str(THREADS),
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(path),
            base,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {_tail(completed.stderr)}")
    return parse(completed.stdout)


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    return found
