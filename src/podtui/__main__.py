"""Allow `python -m podtui`."""

from podtui.cli import main

# The guard matters: render worker processes (forkserver/spawn) re-import the main module.
if __name__ == "__main__":
    raise SystemExit(main())
