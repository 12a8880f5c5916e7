"""Who steps run as. A worker running as root runs its steps as STEP_USER, so module code cannot
read the worker's secrets (its environment through /proc, its files) — if that user can read
what a step needs: the Python installation and Trellis' code. Where it cannot (Python installed
under /root, a checkout in a private folder), steps run as the worker's user and the worker
says why; docs/security.md explains the risk and the fix.
"""

import logging
import os
import pwd
import stat
import sys
import sysconfig
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from runner.step_process import RunAs

logger = logging.getLogger(__name__)
READ, EXECUTE = 4, 1  # permission bits, before shifting to the owner, group or others part


@dataclass(frozen=True)
class StepUser:
    run_as: RunAs | None  # None: steps run as the worker's own user
    description: str  # e.g. "nobody", or "root: nobody cannot read <the Python installation>"


@cache
def step_user() -> StepUser:
    """Decided once per process (the answer depends only on the machine and the settings)."""
    me = pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() != 0 or not settings.STEP_USER:
        return StepUser(None, me)
    try:
        account = pwd.getpwnam(settings.STEP_USER)
    except KeyError:
        return _as_worker(me, f"TRELLIS_STEP_USER '{settings.STEP_USER}' is not a user on this machine")
    for needed in _needed_paths():
        blocked = _blocking_folder(needed, account.pw_uid, account.pw_gid)
        if blocked is not None:
            return _as_worker(me, f"{account.pw_name} cannot read {blocked}")
    return StepUser(RunAs(account.pw_uid, account.pw_gid), account.pw_name)


def _as_worker(me: str, why: str) -> StepUser:
    logger.warning("steps run as %s, the worker's own user: %s (see docs/security.md)", me, why)
    return StepUser(None, f"{me}: {why}")


def _needed_paths() -> list[Path]:
    """What module code may import or read while it runs: the standard library, installed
    packages and Trellis itself."""
    paths = {sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    return [Path(path) for path in sorted(paths | {str(settings.BASE_DIR), sys.executable})]


def _blocking_folder(path: Path, uid: int, gid: int) -> Path | None:
    """The first folder on the way to `path` that `uid` may not enter, or `path` if it may not read it."""
    for part in [*reversed(path.parents), path]:
        try:
            info = part.stat()
        except OSError:
            return part
        if not _permits(info, uid, gid, EXECUTE if stat.S_ISDIR(info.st_mode) else READ):
            return part
    return None


def _permits(info: os.stat_result, uid: int, gid: int, permission: int) -> bool:
    """Does the owner, group or others part of the mode (whichever applies to uid) allow `permission`?"""
    shift = 6 if info.st_uid == uid else 3 if info.st_gid == gid else 0
    return bool(info.st_mode & (permission << shift))
