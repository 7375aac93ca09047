/**
 * Python, run by the copied venv's own interpreter as `python -c SCRIPT OLD_VENV NEW_VENV
 * OLD_RELEASE`: rewrites the old venv's absolute path in the copy's text files (script
 * shebangs, activate scripts, pyvenv.cfg), then fails if any file still names the old
 * release, e.g. an editable install or a binary that embeds it. `__pycache__` is skipped:
 * Python corrects a cached module's file name when it loads it.
 */
export const RELOCATE_SCRIPT = `import os, re, sys
old, new, release = (os.fsencode(a) for a in sys.argv[1:4])
stale = re.compile(re.escape(release) + rb"(?![A-Za-z0-9._-])")
for top, dirs, files in os.walk(new):
    dirs[:] = [d for d in dirs if d != b"__pycache__"]
    for name in files:
        path = os.path.join(top, name)
        if os.path.islink(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        if old in data and b"\\0" not in data:
            data = data.replace(old, new)
            with open(path, "wb") as f:
                f.write(data)
        if stale.search(data):
            sys.exit("still refers to the previous release: " + os.fsdecode(path))
`;
