"""The bot's features, one extension each. Every module or package here that does not
start with an underscore is loaded at start (bot.extensions)."""
