"""Turn the source documents into facts: pure Python, no SQL (bot.store persists them)."""
