"""``python -m daftar`` runs the daftar command."""

from daftar.cli import run

if __name__ == "__main__":
    run()
