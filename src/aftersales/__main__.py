"""Run the command line: ``python -m aftersales demo``."""

import sys

from aftersales.cli import main

sys.exit(main())
