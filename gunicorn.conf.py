"""gunicorn's settings for the portal, read from the working directory by default
(`gunicorn wsgi:app`; the command line still wins): the README's "Running in
production", `make bench` and the browser tests' live server all use it.

Each worker's threads would otherwise each get a malloc arena of their own from glibc
(up to 8 a core), which holds freed memory: a worker of 8 threads grew to 190-205 MB
under `make bench` at national scale. Two arenas a worker keep it near its working set
(the budget is 150 MB a worker); the threads wait on Python's lock anyway.
"""

import contextlib
import ctypes
import ctypes.util

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
