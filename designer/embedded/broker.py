"""The embedded broker: kombu's filesystem transport, with messages written atomically.

kombu writes a message straight to its final file name, so a worker polling the folder can
move and read it before the bytes are there; it then fails to decode an empty message and
stops consuming (seen under load: every later step stayed queued). Here a message is written
under a name no queue matches, then renamed, which is atomic on one filesystem.
"""

import logging
import os
import uuid
from queue import Empty
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

PARTIAL_SUFFIX = ".partial"
log = logging.getLogger(__name__)


class AtomicFilesystemChannel(filesystem.Channel):  # type: ignore[misc]
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{round(filesystem.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # `_get` only takes files named "<...>.<queue>.msg"; this one ends otherwise until renamed.
        partial = final + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as error:
            raise ChannelError(f"Cannot add file {final!r} to directory") from error

    def _get(self, queue: str) -> Any:
        try:
            return super()._get(queue)
        except ValueError:
            # One unreadable message must not stop the worker consuming all the others.
            log.exception("dropped an unreadable message from queue %s", queue)
            raise Empty() from None


class AtomicFilesystemTransport(filesystem.Transport):  # type: ignore[misc]
    Channel = AtomicFilesystemChannel
