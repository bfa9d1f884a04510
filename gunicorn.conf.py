"""gunicorn's settings for the portal, read from the working directory by default
(`gunicorn wsgi:app`; the command line still wins): the README's "Running in
production", `make bench` and the browser tests' live server all use it.

Each worker's threads would otherwise each get a malloc arena of their own from glibc
(up to 8 a core), which holds freed memory: a worker of 8 threads grew to 190-205 MB
under `make bench` at national scale. Two arenas a worker keep it near its working set
(the budget is 150 MB a worker); the threads wait on Python's lock anyway.

Once a worker has loaded the app, it compiles every template before it takes a request
(each thread would otherwise compile the ones it needs at once, after each start). Then
what it made (modules, the app, its routes and templates: most of the objects the worker
will ever hold) is frozen out of the garbage collector's way (gc.freeze). A full
collection scanned all of it while every thread waited: 50-150 ms pauses, the slowest 1%
of requests. Python's collection thresholds stay as they are, so cyclic garbage made by
requests is collected as often as before.
"""

import contextlib
import ctypes
import ctypes.util
import gc

worker_class = "gthread"
workers = 2
threads = 8
control_socket_disable = True

#: glibc's mallopt() parameter for the most arenas (malloc.h: M_ARENA_MAX).
M_ARENA_MAX = -8
ARENAS = 2


def post_fork(server, worker):
    """Before the worker starts its threads: at most ARENAS malloc arenas (glibc only)."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to set
        ctypes.CDLL(libc_name).mallopt(M_ARENA_MAX, ARENAS)


def post_worker_init(worker):
    """The app is loaded: compile its templates (portal.rendering.compile_templates), then
    freeze what it made (after collecting what it left)."""
    from flask import Flask

    if isinstance(worker.wsgi, Flask):
        from portal.rendering import compile_templates

        compile_templates(worker.wsgi)
    gc.collect()
    gc.freeze()
