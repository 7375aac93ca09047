"""The smallest app: prints which release it runs and whether its secret settings are linked."""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def main() -> None:
    revision = (HERE.parent / "REVISION").read_text().strip()
    settings = HERE / "settings" / "production.py"
    print(f"revision {revision}; settings {'linked' if settings.is_symlink() else 'missing'}")


if __name__ == "__main__":
    main()
