"""Dagster jobs for the privacy officer: erasure and access requests.

The person's identifiers never go into run config or tags (Dagster stores
those in `dagster_home/`, which an erasure must leave clean). The officer
writes them to a request file outside `dagster_home/` — JSON such as
`{"email": "..."}`, `{"phone": "..."}`, `{"national_id": "...",
"national_id_type": "ZA_ID"}` or `{"golden_id": "..."}`, with `"country"`
for a phone without +CC or a national id without a type — and gives its
path; the job reads it and deletes it.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from pipelines.resources import NayoseProject

_IDENTIFIERS = ("email", "phone", "golden_id", "national_id")
_QUALIFIERS = ("national_id_type", "country")
"""Keys that say how to read an identifier, not who the person is."""


class PrivacyRequestConfig(dg.Config):
    request_file: str
    """Path of a JSON file with one of email / phone / national_id / golden_id; deleted after reading."""
    requested_by: str
    """Who asked (recorded in the audit log)."""


class AccessRequestConfig(PrivacyRequestConfig):
    out_file: str
    """Where to write the JSON export of everything held about the person."""


def _read_request(path: str, project_dir: Path) -> dict:
    request_path = Path(path).resolve()
    if (project_dir / "dagster_home").resolve() in request_path.parents:
        raise dg.Failure("the request file must not live under dagster_home/ (Dagster keeps what is there)")
    try:
        request = json.loads(request_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise dg.Failure(f"{request_path}: not a readable JSON request file ({type(exc).__name__})") from None
    finally:
        request_path.unlink(missing_ok=True)
    identifiers = {k: request[k] for k in _IDENTIFIERS if isinstance(request, dict) and request.get(k)}
    if not identifiers:
        raise dg.Failure(f"{request_path}: the request names none of {', '.join(_IDENTIFIERS)}")
    return identifiers | {k: request[k] for k in _QUALIFIERS if request.get(k)}


@contextmanager
def _refused_requests_fail() -> Iterator[None]:
    """An unusable identifier (SubjectRequestError, whose message names the
    problem, never the value) fails the run with that message alone, not a
    traceback in the event log."""
    from governance.subjects import SubjectRequestError

    try:
        yield
    except SubjectRequestError as exc:
        raise dg.Failure(f"the request file: {exc}") from None


@dg.op(description="Erase a person from every store of the project and add them to the suppression list.")
def erase_subject(context: dg.OpExecutionContext, config: PrivacyRequestConfig, project: NayoseProject) -> None:
    # imported when a request runs: loading the definitions for a nightly run does not need them
    from governance.erasure import erase_person
    from governance.pseudonymization import pseudonym_key

    identifiers = _read_request(config.request_file, Path(project.project_dir))
    with _refused_requests_fail():
        report = erase_person(project.paths(), key=pseudonym_key(), actor=config.requested_by, **identifiers)
    summary = report.for_the_log()  # counts and keyed hashes only
    context.log.info(f"erasure: {json.dumps(summary, ensure_ascii=False)}")
    if not report.complete:
        raise dg.Failure(f"values remain in {len(report.residual_files)} file(s): see the erasure report")


@dg.op(description="Export everything held about a person, with sources, as JSON.")
def export_subject(context: dg.OpExecutionContext, config: AccessRequestConfig, project: NayoseProject) -> None:
    from governance.access import access_request
    from governance.pseudonymization import pseudonym_key

    identifiers = _read_request(config.request_file, Path(project.project_dir))
    with _refused_requests_fail():
        held = access_request(
            project.paths(),
            purposes=project.config().privacy.purposes,
            timezone=project.config().timezone,
            actor=config.requested_by,
            key=pseudonym_key(),
            **identifiers,
        )
    Path(config.out_file).write_text(json.dumps(held, ensure_ascii=False, indent=1), encoding="utf-8")
    context.log.info(f"access export written: {len(held.get('source_records', []))} source record(s)")


@dg.job(name="erasure_request", description="Erase a person (identifiers in a request file, never in run config).")
def erasure_request() -> None:
    erase_subject()


@dg.job(name="access_request", description="Export everything held about a person as JSON.")
def access_request_job() -> None:
    export_subject()
