"""Reference data: a published catalog reaches counters, with ETag / 304 and a sha256."""

import hashlib
import json

import pytest
import requests

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import demo_catalog_path, parse_catalog
from odsc_desk.shared.errors import OdscError
from sync import protocol
from sync.server import reference
from sync.server.db import writing
from sync.server.problems import Problem
from tests.sync.conftest import assert_problem, count_rows, enroll_counter, get


def _catalog(tmp_path, name="catalog.json", **changes):
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, data


def _publish(server, path):
    with writing(server.engine) as conn:
        return reference.publish(conn, path, server.clock())


def test_no_catalog_yet_is_a_404(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    assert_problem(get(live_server.url + protocol.REFERENCE, token), 404, "reference.none")


def test_the_published_catalog_comes_with_its_sha256_and_etag(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    assert live_server.publish_catalog(demo_catalog_path()) == 1
    reply = get(live_server.url + protocol.REFERENCE, token)
    assert reply.status_code == 200
    body = reply.json()
    expected = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    assert body["catalog"] == expected
    assert body["version"] == 1
    assert body["label"] == expected["label"]
    assert body["sha256"] == hashlib.sha256(canonical(body["catalog"])).hexdigest()
    assert reply.headers["ETag"] == f'"{body["sha256"]}"'
    assert parse_catalog(body["catalog"]).version == 1  # what `odsc catalog import` reads
    assert reply.headers.get("Content-Encoding") == "gzip"  # requests asks for gzip


def test_an_unchanged_catalog_is_a_304_and_a_new_version_a_200(live_server, sync_counter, tmp_path):
    token = enroll_counter(live_server, sync_counter)
    live_server.publish_catalog(demo_catalog_path())
    first = get(live_server.url + protocol.REFERENCE, token)
    etag = first.headers["ETag"]
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = get(live_server.url + protocol.REFERENCE, token, headers={"If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.content == b""
        assert again.headers["ETag"] == etag
    path, _ = _catalog(tmp_path, version=2, label="Fees of 2027")
    assert live_server.publish_catalog(path) == 2
    newer = get(live_server.url + protocol.REFERENCE, token, headers={"If-None-Match": etag})
    assert newer.status_code == 200
    assert (newer.json()["version"], newer.json()["label"]) == (2, "Fees of 2027")
    assert newer.headers["ETag"] != etag


def test_a_viewer_may_read_the_catalog_too(live_server):
    live_server.publish_catalog(demo_catalog_path())
    reply = get(live_server.url + protocol.REFERENCE, live_server.viewer_token())
    assert reply.status_code == 200


def test_republishing_the_same_version_changes_nothing(live_server):
    first = _publish(live_server, demo_catalog_path())
    before = count_rows(live_server.engine)
    again = _publish(live_server, demo_catalog_path())
    assert (first["added"], again["added"]) == (True, False)
    assert again["sha256"] == first["sha256"]
    assert count_rows(live_server.engine) == before


def test_a_clashing_or_older_version_is_refused(live_server, tmp_path):
    path2, _ = _catalog(tmp_path, "v2.json", version=2)
    _publish(live_server, path2)
    before = count_rows(live_server.engine)
    clash, _ = _catalog(tmp_path, "clash.json", version=2, label="Something else")
    with pytest.raises(Problem) as refused:
        _publish(live_server, clash)
    assert refused.value.code == "reference.version_clash"
    with pytest.raises(Problem) as refused:
        _publish(live_server, demo_catalog_path())  # version 1
    assert refused.value.code == "reference.version_old"
    assert count_rows(live_server.engine) == before


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"version": 2, "label": "x", "ministries": [], "documents": [], "services": []}',
        "",
    ],
)
def test_a_catalog_a_counter_would_refuse_is_never_published(shared_server, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = count_rows(shared_server.engine)
    with pytest.raises(OdscError):
        _publish(shared_server, path)
    with pytest.raises(OdscError):
        _publish(shared_server, tmp_path / "missing.json")
    assert count_rows(shared_server.engine) == before


def test_the_reference_needs_a_token(live_server):
    live_server.publish_catalog(demo_catalog_path())
    reply = requests.get(live_server.url + protocol.REFERENCE, timeout=10)
    assert_problem(reply, 401, "auth.missing")
