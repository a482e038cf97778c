import sys

from hemojoint.cli import main

sys.exit(main())
