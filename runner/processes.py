"""Questions about processes on this machine, answered from /proc and signals."""

import os
from pathlib import Path


def process_alive(pid: int) -> bool:
    """Is `pid` a running (not zombie) process? True when it exists but belongs to another user."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child still answers signal 0
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def group_rss_bytes(group: int) -> int:
    """Resident memory of every process in process group `group`, in bytes.

    A step's child leads a process group of its own, which the processes it starts join.
    """
    total, page = 0, os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended while we looked
        # After the command: state, ppid, pgrp, ... rss is the 22nd field from here.
        if int(fields[2]) == group:
            total += int(fields[21]) * page
    return total
