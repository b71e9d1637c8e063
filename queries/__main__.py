import sys

from queries.cli import main

sys.exit(main())
