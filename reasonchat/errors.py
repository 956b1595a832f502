"""One exception family whose messages are written for the user, not for a developer.

The command line catches `ReasonChatError` at the top and prints `reasonchat: <message>` as one line
with the exit code the error carries; anything else is a bug and may show a traceback.
"""

from __future__ import annotations


class ReasonChatError(Exception):
    """A failure the user can act on. `str(error)` is the one line they see."""

    exit_code = 1


class UsageError(ReasonChatError):
    """The command line was wrong (bad option value, unknown conversation id …)."""

    exit_code = 2


class ConfigError(ReasonChatError):
    """The config file or a preset is wrong, or a needed key is missing.

    `problems` lists every problem found in a config file (the message names the first): `config check`
    prints them all."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.problems: list[str] = [message]


class MissingKey(ConfigError):
    """A preset's API key is not set. What else to try depends on where it is said (`--demo` on the command
    line, the demo row in the TUI's picker), so it is added where the error is shown."""


class ProviderError(ReasonChatError):
    """The provider refused or failed the request (HTTP error, connection, timeout, broken stream)."""

    exit_code = 1


class StoreError(ReasonChatError):
    """The transcript store cannot be opened or written (permissions, full disk, newer schema)."""

    exit_code = 1
