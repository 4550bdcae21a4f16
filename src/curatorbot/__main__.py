import sys

from curatorbot.cli import main

sys.exit(main())
