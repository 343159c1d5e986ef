"""Refresh `workshops/kernel/data/communes.json.gz` from Etalab's `@etalab/decoupage-administratif`.

Run from the project folder with Node's npm on the PATH: `python scripts/refresh_communes.py`
(or `make communes`). It downloads the package with `npm pack` into a temporary folder and keeps
only what the platform needs, one row per current commune: INSEE code, name, département, postal
codes, the most populated first (the order in which the search proposes homonyms). Arrondissements
municipaux of Paris, Lyon and Marseille, communes déléguées and associées are left out: the
platform counts families by commune, and the commune of Paris, Lyon or Marseille already carries
the postal codes of all its arrondissements. The data is under the Licence Ouverte (Etalab).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "@etalab/decoupage-administratif"
TARGET = Path(__file__).resolve().parent.parent / "workshops" / "kernel" / "data"


def download(folder: Path) -> tuple[list[dict[str, Any]], str]:
    """The package's communes and its version, unpacked under `folder`."""
    subprocess.run(
        ["npm", "pack", "--silent", PACKAGE], cwd=folder, check=True, stdout=subprocess.DEVNULL
    )
    archive = next(folder.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    package = json.loads((folder / "package" / "package.json").read_text())
    communes = json.loads((folder / "package" / "data" / "communes.json").read_text())
    return communes, package["version"]


def reduce(communes: list[dict[str, Any]]) -> list[list[Any]]:
    current = [row for row in communes if row["type"] == "commune-actuelle"]
    current.sort(key=lambda row: (-row.get("population", 0), row["code"]))
    return [
        [row["code"], row["nom"], row["departement"], row.get("codesPostaux", [])]
        for row in current
    ]


def main() -> int:
    with tempfile.TemporaryDirectory() as temporary:
        communes, version = download(Path(temporary))
    rows = reduce(communes)
    payload = {"source": f"{PACKAGE} {version}", "communes": rows}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # mtime=0: the same list gives the same bytes, so a refresh without news changes nothing.
    (TARGET / "communes.json.gz").write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"{len(rows)} communes ({PACKAGE} {version}) écrites dans {TARGET}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
