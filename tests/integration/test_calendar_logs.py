"""A personal feed's token never reaches a log, and redacting never costs a log line."""

import io
import logging
import urllib.error
import urllib.request

import pytest
from gunicorn.glogging import SafeAtoms

from eventhub.logs import RedactingFilter, configure_logging
from tests.factories import make_calendar_feed, make_user
from tests.support.server import running_gunicorn


@pytest.fixture
def captured():
    """A logger with one handler writing to a string, as gunicorn's access log has."""
    stream = io.StringIO()
    logger = logging.getLogger("tests.calendar.access")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, handler, stream
    logger.removeHandler(handler)
    logger.filters.clear()


def test_gunicorn_style_dict_args_are_redacted_and_the_line_kept(captured):
    logger, _, stream = captured
    logger.addFilter(RedactingFilter())
    atoms = SafeAtoms({"r": "GET /calendar/s3cr3t-T0ken.ics HTTP/1.1", "s": "200"})

    logger.info('"%(r)s" %(s)s %({x-forwarded-for}i)s', atoms)

    assert stream.getvalue() == '"GET /calendar/[redacted].ics HTTP/1.1" 200 -\n'


def test_tuple_args_and_messages_are_redacted(captured):
    logger, _, stream = captured
    logger.addFilter(RedactingFilter())

    logger.warning("GET %s took %d ms", "/calendar/abc_DEF-123.ics", 5)
    logger.warning("opened /reset/xyz and /calendar/qrs.ics")

    assert stream.getvalue() == (
        "GET /calendar/[redacted].ics took 5 ms\n"
        "opened /reset/[redacted] and /calendar/[redacted].ics\n"
    )


def test_records_of_child_loggers_are_redacted_where_they_are_written(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    parent = logging.getLogger("eventhub")
    parent.addHandler(handler)
    try:
        configure_logging(app)  # guards the handlers now in place
        logging.getLogger("eventhub.mail").warning("link: http://x/calendar/t0k3n.ics")
    finally:
        parent.removeHandler(handler)

    assert "t0k3n" not in stream.getvalue()
    assert "/calendar/[redacted].ics" in stream.getvalue()


@pytest.fixture
def backend():
    return "sqlite"  # the database is not what this test is about


@pytest.mark.load
def test_gunicorn_access_log_has_the_line_but_not_the_token(app, database_url, tmp_path):
    token = make_calendar_feed(make_user())
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = {
        "EVENTHUB_DATABASE_URL": database_url,
        "EVENTHUB_SECRET_KEY": "log-test-secret",
        "GUNICORN_CMD_ARGS": f"--access-logfile {access} --error-logfile {errors} --capture-output",
    }
    with running_gunicorn(env, workers=2, threads=2) as base_url:
        with urllib.request.urlopen(f"{base_url}/calendar/{token}.ics") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base_url}/calendar/{token[::-1]}.ics")
        assert missing.value.code == 404

    written = access.read_text()
    assert token not in written and token[::-1] not in written
    assert written.count('"GET /calendar/[redacted].ics HTTP/1.1" 200') == 1
    assert written.count('"GET /calendar/[redacted].ics HTTP/1.1" 404') == 1
    logged = errors.read_text()
    assert token not in logged and "Logging error" not in logged
