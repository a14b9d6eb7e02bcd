import typer

app = typer.Typer(help="Certification.", no_args_is_help=True)
