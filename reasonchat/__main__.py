"""`python -m reasonchat` runs the same entry point as the console script."""

import sys

from reasonchat.cli.main import main

sys.exit(main())
