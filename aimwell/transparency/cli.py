import typer

app = typer.Typer(help="Transparency.", no_args_is_help=True)
