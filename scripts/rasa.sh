#!/usr/bin/env bash
# Build a Rasa 3.6 environment, train it from config.yml and nlu/, serve it.
#
#   scripts/rasa.sh            # install (once), train, serve on :5005
#   scripts/rasa.sh install    # only build ./rasa-env
#   scripts/rasa.sh train      # install if needed, train into models/rasa
#   scripts/rasa.sh serve      # serve the latest model in models/rasa
#
# Then run the helpline with HELPLINE_NLU__BACKEND=rasa and
# HELPLINE_NLU__RASA_URL=http://127.0.0.1:5005, and the live check with
# RASA_URL=http://127.0.0.1:5005 .venv/bin/pytest tests/nlu/test_rasa.py
set -euo pipefail
cd "$(dirname "$0")/.."

ENV_DIR="${RASA_ENV:-./rasa-env}"
# Rasa caches training steps in ./.rasa by default; keep it inside the Rasa environment
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-$ENV_DIR/cache}"
PORT="${RASA_PORT:-5005}"

find_python310() {
    if [[ -n "${PYTHON310:-}" ]]; then echo "$PYTHON310"; return; fi
    if command -v python3.10 >/dev/null 2>&1 && python3.10 --version >/dev/null 2>&1; then
        echo python3.10; return
    fi
    # pyenv keeps other versions out of PATH unless they are selected
    local candidate
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10; do
        if [[ -x "$candidate" ]]; then echo "$candidate"; return; fi
    done
    echo "rasa.sh: Python 3.10 not found (Rasa 3.6 needs it); set PYTHON310" >&2
    exit 1
}

install() {
    if [[ -x "$ENV_DIR/bin/rasa" ]]; then return; fi
    local py
    py="$(find_python310)"
    "$py" -m venv "$ENV_DIR"
    "$ENV_DIR/bin/python" -m pip install --upgrade "pip<24.1" "setuptools<70" wheel
    "$ENV_DIR/bin/python" -m pip install -r scripts/rasa-requirements.txt
}

train() {
    install
    "$ENV_DIR/bin/rasa" train nlu --config config.yml --nlu nlu/ --out models/rasa
}

serve() {
    install
    if ! ls models/rasa/*.tar.gz >/dev/null 2>&1; then train; fi
    exec "$ENV_DIR/bin/rasa" run --enable-api -m models/rasa --port "$PORT"
}

case "${1:-all}" in
    install) install ;;
    train) train ;;
    serve) serve ;;
    all) train; serve ;;
    *) echo "usage: $0 [install|train|serve|all]" >&2; exit 2 ;;
esac
