"""A render worker (render_pool.py): reads calls from its input and writes their results to its
output, each a length-prefixed pickle, until its input ends (the build closed it, or is gone).

    python -m styrdok.convert.render_worker
"""

from __future__ import annotations

import pickle
import signal
import sys
import traceback


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops its workers itself
    calls, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the channel
    from styrdok.convert.render_pool import TASKS
    from styrdok.writers import docx  # noqa: F401  imported while the build loads its sources

    while True:
        size = calls.read(8)
        if len(size) < 8:
            return  # the build closed the pipe, or has died
        task, args = pickle.loads(calls.read(int.from_bytes(size, "big")))
        try:
            answer = pickle.dumps((True, TASKS[task](*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:
            answer = _failure(e)
        try:
            answers.write(len(answer).to_bytes(8, "big") + answer)
            answers.flush()
        except BrokenPipeError:
            return


def _failure(e: Exception) -> bytes:
    """The exception, as the build re-raises it: a user's error or the system's as it is, a bug
    with the worker's traceback in its message."""
    from styrdok.errors import StyrdokError

    if not isinstance(e, StyrdokError | OSError):  # the CLI words an OSError (disk full …)
        e = RuntimeError(f"i en renderingsprocess:\n{traceback.format_exc()}")
    try:
        return pickle.dumps((False, e))
    except Exception:  # an exception that does not pickle
        return pickle.dumps((False, RuntimeError(f"i en renderingsprocess: {e!r}")))


if __name__ == "__main__":
    main()
