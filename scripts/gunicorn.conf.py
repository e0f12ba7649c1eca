"""gunicorn settings that the command line cannot say (scripts/serve passes this file)."""

import os
import sys
from typing import Any


def post_fork(server: Any, worker: Any) -> None:
    # A thread hands the interpreter lock over after this many seconds (Python's default: 0.005). With
    # slow pages busy in a worker's other threads, a quick answer (the health check) waits for the lock
    # once per hand-over; a shorter interval lets it through sooner, at a small cost to throughput.
    sys.setswitchinterval(float(os.environ.get("GIL_SWITCH_INTERVAL", "0.001")))
