"""``python -m aimwell.assurance``: the assurance CLI without the rest of Aimwell."""

from aimwell.assurance.cli import main

main()
