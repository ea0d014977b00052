from doanfield.cli.main import run

run()
