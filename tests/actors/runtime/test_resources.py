"""validate_requests on an autoscaling cluster: a request that only a node type the
autoscaler can launch offers is accepted; one that nothing can satisfy is refused with the
usual message (no Ray needed: the nodes and node types are given)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actors.runtime.resources import launcher_node_types, validate_requests
from qray.config import ResourceSpec
from qray.errors import ResourceError

ROOT = Path(__file__).resolve().parents[3]
HEAD = [{"memory": 1e9, "object_store_memory": 1e8}]  # a head with 0 CPUs


def test_node_types_of_the_fake_multinode_config() -> None:
    from ray.autoscaler._private.util import validate_config

    config = yaml.safe_load((ROOT / "cluster" / "fake_multinode.yaml").read_text())
    validate_config(config)  # the autoscaler reads the file as it is: Ray's schema holds
    # the head type (max_workers 0) is never launched
    assert launcher_node_types(config) == [
        {"CPU": 2.0, "simhost_fake": 2.0, "object_store_memory": 1e8}]
    assert launcher_node_types({**config, "max_workers": 0}) == []
    assert launcher_node_types({}) == []


def test_request_only_a_launchable_node_type_offers_is_accepted() -> None:
    spec = ResourceSpec(num_cpus=1, resources={"simhost_fake": 1})
    validate_requests({"numpy": spec}, nodes=HEAD, launchable=[{"CPU": 2, "simhost_fake": 2}])


def test_request_nothing_can_satisfy_is_still_refused() -> None:
    types = [{"CPU": 2, "simhost_fake": 2}]
    with pytest.raises(ResourceError, match=(
            r"config key 'resources.numpy.resources.simhost_fake': value 3 cannot be "
            r"satisfied: the largest node has 2 simhost_fake \(cluster total 0\); allowed: at "
            r"most 2. Ray would leave this actor pending forever")):
        validate_requests({"numpy": ResourceSpec(resources={"simhost_fake": 3})},
                          nodes=HEAD, launchable=types)
    with pytest.raises(ResourceError, match=r"resources.numpy.num_gpus'.*largest node has 0 GPU"):
        validate_requests({"numpy": ResourceSpec(num_gpus=1)}, nodes=HEAD, launchable=types)
    # each resource is offered, but by no single node type together
    with pytest.raises(ResourceError, match=r"fits no single node of the cluster"):
        validate_requests({"numpy": ResourceSpec(num_gpus=1, resources={"simhost_fake": 1})},
                          nodes=HEAD, launchable=[*types, {"GPU": 1}])


def test_without_an_autoscaler_nothing_changes() -> None:
    # no Ray connected here: no node types are found, the live nodes decide alone
    with pytest.raises(ResourceError, match=r"largest node has 0 simhost_fake"):
        validate_requests({"numpy": ResourceSpec(resources={"simhost_fake": 1})},
                          nodes=[{"CPU": 2.0}])
