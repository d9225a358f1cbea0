"""`python -m bench.load`: see bench.load.main."""

import sys

from bench.load.main import main

sys.exit(main())
