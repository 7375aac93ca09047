import pathlib

here = pathlib.Path(__file__).resolve().parent.parent
revision = (here / "REVISION").read_text().strip() if (here / "REVISION").exists() else "unknown"
print(f"hello from git-example at {revision[:12]}")
