"""``python -m manualkit`` (or ``python -m manualkit``) runs the same command line as ``manualkit``.

The guard matters on Windows: ``validate``'s worker processes start by importing
this module (as ``__mp_main__``), and must not run the command line again.
"""

from manualkit.toolkit.cli import main

if __name__ == "__main__":
    main()
