"""Discord's side: the world (users, guilds, channels, messages), the REST routes and the
gateway that serve it, payload shapes, permission maths, validation and fault injection.
:class:`~discord_emulator.server.emulator.Emulator` ties them together."""
