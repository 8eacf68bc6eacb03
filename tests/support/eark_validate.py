"""Validate an E-ARK package with eark-validator 1.1.3 and print its errors as JSON lines.

Run with the Python of the validator's own environment (`.venv/eark`, made by `make build`):
eark-validator pins lxml 5.1.0, which the dev tools' lxml ≥ 6.1 excludes, so it cannot share
the project's environment; the tests run this script as a separate process.

eark-validator reads four CSIP vocabularies from https://earkcsip.dilcis.eu/ when it is
imported. There is no network here, and the same vocabularies ship inside the package, so those
URLs are answered from the bundled files; any other URL is refused (a test must not reach out).

Usage: python eark_validate.py PACKAGE_FOLDER
Output: one JSON object per error or warning ({"rule", "severity", "location", "message"});
exit 0 when it ran (the caller decides which findings fail), 2 on a refused URL.
"""

from __future__ import annotations

import io
import json
import sys
import urllib.request
from importlib.resources import files
from pathlib import Path

VOCABULARIES = "https://earkcsip.dilcis.eu/schema/"


def _bundled(url, *args, **kwargs):
    """urlopen for the CSIP vocabularies only, from the copies inside eark_validator."""
    url = getattr(url, "full_url", url)
    name = url.removeprefix(VOCABULARIES)
    if url.startswith(VOCABULARIES) and "/" not in name:
        path = files("eark_validator.ipxml.resources.vocabs") / name
        if path.is_file():
            return io.BytesIO(path.read_bytes())
    print(f"refused URL: {url}", file=sys.stderr)
    sys.exit(2)


def main() -> None:
    urllib.request.urlopen = _bundled  # before eark_validator binds it at import
    from eark_validator.packages import PackageValidator
    from eark_validator.specifications.specification import SpecificationVersion

    report = PackageValidator(Path(sys.argv[1]), SpecificationVersion.V2_1_0).validation_report
    found = list(report.structure.messages)
    if report.metadata is not None:
        found += report.metadata.schema_results.messages
        found += report.metadata.schematron_results.messages
    for result in found:
        severity = getattr(result.severity, "value", str(result.severity))
        if severity.lower() in ("error", "warning", "warn"):
            print(
                json.dumps(
                    {
                        "rule": result.rule_id,
                        "severity": severity,
                        "location": result.location,
                        "message": result.message,
                    },
                    ensure_ascii=False,
                )
            )
    print(json.dumps({"structure": str(report.structure.status)}))


if __name__ == "__main__":
    main()
