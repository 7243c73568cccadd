#!/usr/bin/env python3
"""Writes the `translated: {by, date, from_hash}` record of every translation.

Usage, from a dossier's folder (the one holding site.toml):

    python3 scripts/translation-records.py [--by NAME] [--refresh] [--dossier PATH] [FILE...]

For each `content/**/<slug>.<lang>.md`:

- `by`: kept if the record has one, else NAME (default "Dossier editors");
- `date`: the date of the last commit that touched the file
  (`git log -1 --format=%as`), or today for a file never committed,
  rewritten on every run;
- `from_hash`: the hash `dossier check` gives for the original's text.

Without `--refresh`, only translations with no record or a placeholder
(`from_hash: new`) get a hash, and a recorded hash is kept, so that
`dossier check` goes on warning where an original changed after its
translation. `--refresh` records the current hash of every original: use it
only once every translation has been brought in step with its original,
for example after merging changes to the originals that the translations
already follow. Naming FILEs (`content/actors/x.ar.md`) limits `--refresh`
to those translations.

The hashes are not computed here: the script writes `from_hash: new`, runs
`dossier check --format json`, and copies the hash each warning gives.
"""

import argparse
import datetime
import json
import pathlib
import re
import subprocess
import sys

RECORD = re.compile(r"^translated:.*\n", re.M)
HASH_IN_HINT = re.compile(r'from_hash: "?([0-9a-f]{16})')


def translations(content: pathlib.Path, languages):
    for path in sorted(content.rglob("*.md")):
        parts = path.name.split(".")
        if len(parts) == 3 and parts[1] in languages:
            yield path


def languages_of(dossier: pathlib.Path):
    """The language codes of site.toml other than the default."""
    import tomllib

    config = tomllib.loads((dossier / "site.toml").read_text(encoding="utf-8"))
    default = config.get("default_language", "en")
    return {code for code in config.get("languages", {}) if code != default}


def last_commit_date(dossier: pathlib.Path, path: pathlib.Path) -> str:
    out = subprocess.run(
        ["git", "log", "-1", "--format=%as", "--", str(path.relative_to(dossier))],
        cwd=dossier, capture_output=True, text=True, check=False,
    ).stdout.strip()
    return out or datetime.date.today().isoformat()


def split_front_matter(text: str):
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    if end == -1:
        return None
    return text[4:end + 1], text[end + 1:]


def current_record(front: str):
    match = RECORD.search(front)
    if not match:
        return None
    line = match.group(0)
    by = re.search(r"by: *([^,}]+)", line)
    hash_ = re.search(r"from_hash: *([^,}\s]+)", line)
    return {
        "by": by.group(1).strip().strip('"') if by else None,
        "from_hash": hash_.group(1).strip().strip('"') if hash_ else None,
    }


def write_record(path: pathlib.Path, by: str, date: str, from_hash: str):
    text = path.read_text(encoding="utf-8")
    front, rest = split_front_matter(text)
    # Quoted: a hash of digits only would otherwise be read as a number.
    line = f'translated: {{by: "{by}", date: "{date}", from_hash: "{from_hash}"}}\n'
    if RECORD.search(front):
        front = RECORD.sub(line, front, count=1)
    else:
        front += line
    path.write_text("---\n" + front + rest, encoding="utf-8")


def hashes_from_check(dossier: pathlib.Path, dossier_bin: str):
    """The hash `dossier check` gives for each translation it warns about."""
    run = subprocess.run(
        [dossier_bin, "check", "--format", "json"],
        cwd=dossier, capture_output=True, text=True, check=False,
    )
    found = {}
    for line in run.stdout.splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if item.get("name") != "stale-translation":
            continue
        match = HASH_IN_HINT.search(item.get("hint") or "")
        if match:
            found[item["path"]] = match.group(1)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--by", default="Dossier editors")
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--dossier", default=".")
    parser.add_argument("--bin", default="dossier", help="the dossier program")
    parser.add_argument("files", nargs="*", help="translations --refresh applies to")
    args = parser.parse_args()

    dossier = pathlib.Path(args.dossier).resolve()
    content = dossier / "content"
    pending = {}
    chosen = {(dossier / f).resolve() for f in args.files}
    for path in translations(content, languages_of(dossier)):
        text = path.read_text(encoding="utf-8")
        if split_front_matter(text) is None:
            print(f"{path}: no front matter, left alone", file=sys.stderr)
            continue
        record = current_record(split_front_matter(text)[0]) or {}
        recorded = record.get("from_hash") or ""
        by = record.get("by") or args.by
        date = last_commit_date(dossier, path)
        refresh = args.refresh and (not chosen or path.resolve() in chosen)
        if not refresh and re.fullmatch(r"[0-9a-f]{16}", recorded):
            # Up to date, or stale: the hash stays, so check keeps saying which.
            write_record(path, by, date, recorded)
            continue
        write_record(path, by, date, "new")
        pending[str(path.relative_to(dossier))] = (path, by, date)

    hashes = hashes_from_check(dossier, args.bin)
    missing = 0
    for relative, (path, by, date) in sorted(pending.items()):
        if relative not in hashes:
            print(f"{relative}: no hash from dossier check, left as `new`", file=sys.stderr)
            missing += 1
            continue
        write_record(path, by, date, hashes[relative])
    print(f"{len(pending) - missing} records written, {missing} left as `new`")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
