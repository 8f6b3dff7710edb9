import pytest

from eventhub import create_app
from eventhub.authz import PERMISSIONS, can, exempt_endpoints, requires


def test_every_endpoint_declares_a_known_permission():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in exempt_endpoints():
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "permission", None) not in PERMISSIONS:
            missing.append(rule.endpoint)
    assert missing == []


def test_unknown_permission_name_raises():
    with pytest.raises(LookupError):
        requires("event.fly")
    with pytest.raises(LookupError):
        can(None, "event.fly")
