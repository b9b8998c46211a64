"""Packaging that pyproject.toml cannot say: data/ ships inside the wheel as bot/_bundled.

The documents, their metadata and the curated file stay at the top of the repository
(data/) where people edit them; an installed wheel reads them from the package, so
`pip install .` (not editable) runs from any directory. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(
            include=["bot*", "cogs*", "discord_emulator*"], exclude=["discord_emulator.tests*"]
        ),
        "bot._bundled",
    ],
    package_dir={"bot._bundled": "data"},
    package_data={
        "bot.store": ["*.sql"],
        "bot.i18n": ["locales/*/LC_MESSAGES/*.po"],
        "discord_emulator": ["py.typed", "README.md"],
        "bot._bundled": ["*.toml", "documents/*.txt", "documents/*.toml"],
    },
)
