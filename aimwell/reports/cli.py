import typer

app = typer.Typer(help="Reports.", no_args_is_help=True)
