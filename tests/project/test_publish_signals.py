"""publish.guarded, under which staging folders and pandoc's readings are made and undone: a
signal that ends the command (SIGTERM and Ctrl-C raise an exception in styrdok) coming while
the thing is made, or while it is undone, still leaves nothing behind."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from styrdok.project.publish import guarded, remove_tree, staging


@pytest.fixture
def terminating():
    """SIGTERM ends the command by an exception, as styrdok's command line has it."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    old = signal.signal(signal.SIGTERM, stop)
    yield
    signal.signal(signal.SIGTERM, old)


def test_a_signal_while_the_folder_is_made_still_removes_it(tmp_path, terminating):
    made = tmp_path / ".styrdok-1-x"

    def make() -> Path:
        made.mkdir()
        os.kill(os.getpid(), signal.SIGTERM)  # arrives between the folder and the try
        return made

    with pytest.raises(SystemExit), guarded(make, remove_tree):
        pytest.fail("the signal ends the command before the body runs")
    assert not made.exists()


def test_a_signal_while_the_folder_is_removed_does_not_cut_it_short(tmp_path, terminating):
    def make() -> Path:
        path = tmp_path / ".styrdok-1-y"
        (path / "a" / "b").mkdir(parents=True)
        return path

    def undo(path: Path) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # arrives as the clean-up starts
        remove_tree(path)

    with pytest.raises(SystemExit), guarded(make, undo) as path:
        assert path.is_dir()
    assert list(tmp_path.iterdir()) == []


def test_a_signal_inside_a_staging_folder_leaves_none(tmp_path, terminating):
    with pytest.raises(SystemExit), staging(tmp_path / "source", "doc") as path:
        (path / "doc").mkdir()
        os.kill(os.getpid(), signal.SIGTERM)
    assert list((tmp_path / "source").iterdir()) == []


def test_a_signal_is_held_back_while_other_threads_run(tmp_path, terminating):
    """A process-directed SIGTERM goes to any thread that does not block it (a build's loading
    threads); held back at Python's level, it still comes only once the folder is guarded."""
    import threading

    made = tmp_path / ".styrdok-1-z"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()

    def make() -> Path:
        made.mkdir()
        os.kill(os.getpid(), signal.SIGTERM)
        return made

    try:
        with pytest.raises(SystemExit), guarded(make, remove_tree):
            pytest.fail("the signal ends the command before the body runs")
    finally:
        stop.set()
        other.join()
    assert not made.exists()
