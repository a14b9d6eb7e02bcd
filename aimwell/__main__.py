from aimwell.cli import main

main()
