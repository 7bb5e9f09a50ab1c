import sys

from heavymetal.models.export import main

sys.exit(main())
