"""Two imports of the same new catalog at the same moment: both finish, nothing is doubled."""

import threading

from eventhub.datasets import services
from eventhub.datasets.models import Catalog, Dataset, Publisher
from eventhub.extensions import db
from tests.support.fixtures import CATALOGS


def test_simultaneous_imports_of_one_catalog_store_each_dataset_once(app):
    body = (CATALOGS / "dcat-us-1.1-sample.json").read_bytes()
    start = threading.Barrier(2)
    outcomes: list = []

    def run():
        with app.app_context():
            start.wait(timeout=10)
            try:
                history = services.import_bytes(
                    body, catalog_key="sample.json", via="cli", source="sample.json"
                )
                db.session.commit()
                outcomes.append((history.new_count, history.unchanged_count))
            except Exception as exc:  # the test reports it, rather than a thread dying silently
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [(0, 3), (3, 0)]
    assert db.session.scalar(db.select(db.func.count(Dataset.id))) == 3
    assert db.session.scalar(db.select(db.func.count(Catalog.id))) == 1
    names = db.session.scalars(db.select(Publisher.name)).all()
    assert len(names) == len(set(names))
