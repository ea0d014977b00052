"""The command line: one Typer sub-app per noun; commands parse, call the layers below, render."""
