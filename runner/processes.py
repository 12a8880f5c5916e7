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


def group_memory_bytes(group: int) -> int:
    """Memory the processes of process group `group` hold of their own, in bytes.

    A step's child leads a process group of its own, which the processes it starts join. It is
    forked from the warm worker, so its plain RSS counts the pages it still shares with the
    worker (pandas, scikit-learn, ...); what it holds itself is its private memory.
    """
    return sum(_private_bytes(pid) for pid in _members(group))


def _members(group: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended while we looked
        if int(fields[2]) == group:  # after the command: state, parent, process group, ...
            members.append(int(entry.name))
    return members


def _private_bytes(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    kilobytes = sum(int(line.split()[1]) for line in lines if line.startswith(("Private_Clean:", "Private_Dirty:")))
    return kilobytes * 1024
