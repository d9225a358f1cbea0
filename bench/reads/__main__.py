"""`python -m bench.reads`: see bench.reads.main."""

import sys

from bench.reads.main import main

sys.exit(main())
