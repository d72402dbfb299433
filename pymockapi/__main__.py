import sys

from pymockapi.cli import main

sys.exit(main())
