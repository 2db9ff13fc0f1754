"""The report on a real terminal (tmux): what it says while it works, and the pager for a long report."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable

import pytest

from .conftest import ROOT, SAMPLE_OUTLET, SAMPLE_POST

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not (shutil.which("tmux") and shutil.which("less")), reason="needs tmux and less"),
]


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True, timeout=30).stdout


def _wait(session: str, done: Callable[[str], bool], seen: list[str], limit: float = 420) -> str:
    """The pane's text once done(text), polling; every screen seen is kept (the progress line is brief)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        screen = _tmux("capture-pane", "-p", "-t", session)
        seen.append(screen)
        if done(screen):
            return screen
        time.sleep(0.3)
    pytest.fail(f"the terminal never showed what was expected; last screen:\n{seen[-1] if seen else ''}")


def test_a_long_report_opens_in_the_pager_first_screen_what_to_check() -> None:
    session = f"reconcile-{uuid.uuid4().hex[:8]}"
    command = " ".join(
        [
            f"cd {shlex.quote(str(ROOT))} &&",
            f"PYTHONPATH={shlex.quote(str(ROOT))} PAGER='less -R' LESS= NO_COLOR=1",
            f"{shlex.quote(sys.executable)} -m reconcile compare",
            shlex.quote(str(SAMPLE_OUTLET)),
            shlex.quote(str(SAMPLE_POST)),
            "; echo EXIT=$?; sleep 600",
        ]
    )
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command], check=True, env=env, timeout=30
    )
    try:
        seen: list[str] = []
        screen = _wait(session, lambda s: "To check, worst first" in s, seen)
        # While it worked, stderr said what it was doing.
        assert any("reconcile: loading the model, then comparing 20 outlet sentences" in s for s in seen)
        lines = screen.splitlines()
        # The first screen: the headline and the worst-first list, in the pager (its prompt on the last line).
        # With no speaker given, one warning says how to give one, before the list.
        top = "\n".join(lines[:8])
        assert "to check:" in lines[1] and "\nwarning: truth-social-post has no speaker" in top
        assert top.index("warning:") < top.index("\nTo check, worst first")
        assert "[1] " not in screen and lines[-1].startswith(":")
        _tmux("send-keys", "-t", session, "G")  # the end: the sentences after the summary
        screen = _wait(session, lambda s: "(END)" in s, seen)
        _tmux("send-keys", "-t", session, "q")
        screen = _wait(session, lambda s: "EXIT=" in s, seen)
        assert "EXIT=0" in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, timeout=30)
