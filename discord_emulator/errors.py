"""Exceptions raised by the emulator and its test driver."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class EmulatorError(Exception):
    """Base class for every error the emulator raises in the test process."""


class ApiError(EmulatorError):
    """A Discord-style REST error; the server turns it into a JSON error response."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {message} (code {code})")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    # Common Discord errors -------------------------------------------------------------
    @classmethod
    def missing_permissions(cls) -> ApiError:
        return cls(403, 50013, "Missing Permissions")

    @classmethod
    def missing_access(cls) -> ApiError:
        return cls(403, 50001, "Missing Access")

    @classmethod
    def unknown_channel(cls) -> ApiError:
        return cls(404, 10003, "Unknown Channel")

    @classmethod
    def unknown_message(cls) -> ApiError:
        return cls(404, 10008, "Unknown Message")

    @classmethod
    def unknown_guild(cls) -> ApiError:
        return cls(404, 10004, "Unknown Guild")

    @classmethod
    def unknown_member(cls) -> ApiError:
        return cls(404, 10007, "Unknown Member")

    @classmethod
    def unknown_user(cls) -> ApiError:
        return cls(404, 10013, "Unknown User")

    @classmethod
    def unknown_role(cls) -> ApiError:
        return cls(404, 10011, "Unknown Role")

    @classmethod
    def unknown_webhook(cls) -> ApiError:
        return cls(404, 10015, "Unknown Webhook")

    @classmethod
    def invalid_webhook_token(cls) -> ApiError:
        """What an interaction token answers once its 15 minutes are over."""
        return cls(401, 50027, "Invalid Webhook Token")

    @classmethod
    def unknown_interaction(cls) -> ApiError:
        return cls(404, 10062, "Unknown interaction")

    @classmethod
    def unknown_command(cls) -> ApiError:
        return cls(404, 10063, "Unknown application command")

    @classmethod
    def already_acknowledged(cls) -> ApiError:
        return cls(400, 40060, "Interaction has already been acknowledged.")

    @classmethod
    def invalid_form(cls, field: str, code: str, message: str) -> ApiError:
        errors: dict[str, Any] = {}
        node = errors
        parts = field.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = {"_errors": [{"code": code, "message": message}]}
        return cls(400, 50035, "Invalid Form Body", errors)


class DriverError(EmulatorError):
    """The test driver was asked to do something a Discord client could not do."""


class CommandNotFound(DriverError):
    """The command is not registered (synced) in the emulator."""


class OptionError(DriverError):
    """An option is unknown, missing, of the wrong type or not one of the choices."""


class ComponentNotFound(DriverError):
    """No (enabled) component with that label / custom_id on the message."""


class InteractionTimeout(EmulatorError, TimeoutError):
    """The bot did not answer (or did not complete a deferral) in time."""


class NoResponse(InteractionTimeout):
    """The bot never called the interaction callback endpoint."""
