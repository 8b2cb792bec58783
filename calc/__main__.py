"""Run the calculator from the command line: ``python -m calc --help``."""

import sys

from .cli import main

sys.exit(main())
