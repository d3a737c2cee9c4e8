import os
from pathlib import Path


def shared_dir() -> Path:
    """The shared GS1 test data: ``$COOPCHAIN_SHARED_DIR`` or ``shared/`` beside the repo.

    Tests that need it fail when it is missing; CI always has it, and a silent skip would
    let the standards checks vanish unnoticed.
    """
    configured = os.environ.get("COOPCHAIN_SHARED_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3].parent / "shared"
