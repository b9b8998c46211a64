"""The users' side: :class:`~discord_emulator.driver.driver.Driver` builds interactions as a
Discord client would (commands, autocomplete, components, modals, context menus), sends
them over the gateway and returns what the bot answered as results and message snapshots."""
