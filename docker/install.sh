#!/bin/sh
# Install soundtrack-bot into its own virtual environment and build its fact store.
#
#   sh docker/install.sh PREFIX [SOURCE]
#
# PREFIX is the virtual environment to create (the image uses /opt/soundtrack-bot; so does
# deploy/soundtrack-bot.service). SOURCE is the project checkout or a built wheel (default:
# the checkout this script is in). The fact store is written to $FACTS_DB (default
# PREFIX/facts.db) and checked with `soundtrack-bot health` before the script succeeds.
# The Dockerfile runs exactly this; so can a server without Docker.
set -eu

prefix=${1:?usage: install.sh PREFIX [SOURCE]}
source=${2:-$(cd "$(dirname "$0")/.." && pwd)}
python=${PYTHON:-python3}

"$python" -m venv "$prefix"
# Not editable: the documents and curated file ship inside the package.
"$prefix/bin/pip" install --quiet "$source"

FACTS_DB=${FACTS_DB:-$prefix/facts.db}
export FACTS_DB
"$prefix/bin/soundtrack-bot" build
"$prefix/bin/soundtrack-bot" health
