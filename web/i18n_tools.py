"""Maintain the gettext catalogs of the interface (web/translations/<locale>/LC_MESSAGES/messages.po).

The msgid of every entry is the symbolic key that the code passes to `t()` (`"check.submit"`);
zh_CN holds the Chinese text (the default language) and en the English one. Run as

    python web/i18n_tools.py migrate [web/messages.py]   # move a branch's old dictionary in
    python web/i18n_tools.py sync web/translations/messages.pot   # add newly extracted keys
    python web/i18n_tools.py check                       # every key in both, placeholders equal

Why `sync` instead of `pybabel update`: about eighty keys are built at run time (`'status.' ~
d.status`, `f"topic.{topic}"`, error keys chosen by a view), so extraction cannot see them, and
`pybabel update` would mark them obsolete. `sync` only adds what extraction found (with an empty
msgstr, which `check` and the tests then reject) and never removes an entry.
"""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LOCALES = {"zh_CN": 0, "en": 1}  # locale -> position of its text in a messages.py pair
DOMAIN = "messages"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def po_path(locale: str, root: Path = TRANSLATIONS) -> Path:
    return root / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(locale: str, root: Path = TRANSLATIONS) -> Catalog:
    """The catalog of `locale`, or a new empty one if it has no file yet."""
    path = po_path(locale, root)
    if not path.exists():
        # Not fuzzy: `pybabel compile` skips a catalog whose header is marked fuzzy.
        return Catalog(locale=locale, domain=DOMAIN, project="subsidy-eligibility",
                       version="1", copyright_holder="subsidy-eligibility", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def save(catalog: Catalog, locale: str, root: Path = TRANSLATIONS) -> None:
    path = po_path(locale, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, omit_header=False)


def texts(locale: str, root: Path = TRANSLATIONS) -> dict[str, str]:
    """Key -> text of one catalog (the header entry left out)."""
    return {m.id: m.string for m in load(locale, root) if m.id and isinstance(m.id, str)}


def migrate(messages: Path, root: Path = TRANSLATIONS, remove: bool = True) -> int:
    """Move every entry of an old-style `MESSAGES = {key: (zh, en)}` module into both catalogs
    (new keys added, changed texts updated), then delete the module. Returns the entries moved."""
    pairs: dict[str, tuple[str, str]] = runpy.run_path(str(messages))["MESSAGES"]
    for locale, position in LOCALES.items():
        catalog = load(locale, root)
        for key, pair in pairs.items():
            if key in catalog:
                catalog[key].string = pair[position]  # add() would keep the old text
            else:
                catalog.add(key, pair[position])
        save(catalog, locale, root)
    if remove:
        messages.unlink()
    return len(pairs)


def sync(template: Path, root: Path = TRANSLATIONS) -> list[str]:
    """Add the keys of an extracted .pot that a catalog lacks (empty msgstr); returns them."""
    with template.open("rb") as handle:
        extracted = [m for m in read_po(handle) if m.id]
    added: set[str] = set()
    for locale in LOCALES:
        catalog = load(locale, root)
        for message in extracted:
            if message.id not in catalog:
                catalog.add(message.id, "", locations=message.locations)
                added.add(str(message.id))
        save(catalog, locale, root)
    return sorted(added)


def problems(root: Path = TRANSLATIONS) -> list[str]:
    """What keeps the catalogs from being complete: a key missing or empty in one language, or
    placeholders that differ between the languages (a `{name}` the other text would not fill)."""
    found = []
    catalogs = {locale: texts(locale, root) for locale in LOCALES}
    keys = sorted(set().union(*catalogs.values()))
    for key in keys:
        for locale, catalog in catalogs.items():
            if not (catalog.get(key) or "").strip():
                found.append(f"{key}: no {locale} text")
        fields = {locale: set(PLACEHOLDER.findall(c.get(key) or "")) for locale, c in catalogs.items()}
        if len({frozenset(f) for f in fields.values()}) > 1:
            found.append(f"{key}: placeholders differ {fields}")
    return found


def main(argv: list[str]) -> int:
    command, *args = argv or ["check"]
    if command == "migrate":
        path = Path(args[0] if args else Path(__file__).with_name("messages.py"))
        if not path.exists():
            print(f"nothing to migrate: {path} does not exist")
            return 0
        print(f"moved {migrate(path)} entries from {path} into the catalogs; {path} removed")
        return 0
    if command == "sync":
        added = sync(Path(args[0]))
        print(f"{len(added)} new keys without a translation: {', '.join(added)}" if added
              else "no new keys")
        return 0
    if command == "check":
        found = problems()
        print("\n".join(found) or "catalogs complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
