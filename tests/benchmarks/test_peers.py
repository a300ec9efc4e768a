"""benchmarks.peers: each PyTorch peer holds as many parameters as its Keras twin, and the TF half
of a quick case runs. The PyTorch tests skip where torch is not installed (CI)."""

import json

import pytest

from benchmarks import peers

PEER_CASES = [
    c for c, spec in peers.CASES.items() if any(s.startswith("torch") for s in spec["sides"])
]


@pytest.mark.parametrize("case", PEER_CASES)
def test_peer_has_the_keras_parameter_counts(case):
    pytest.importorskip("torch")
    import keras

    from benchmarks import _tf_peers, _torch_peers

    spec = peers.case_spec(case)
    keras_counts = _tf_peers.count_params(case, spec)
    torch_counts = _torch_peers.build(case, spec, peers.CASES[case]["sides"][-1])["counts"]
    keras.backend.clear_session()
    assert torch_counts == keras_counts


@pytest.mark.subprocess
def test_tf_half_of_a_quick_case_runs(tmp_path, monkeypatch, capsys):
    # Without torch the script must still time the TF half, with null ratios.
    monkeypatch.setattr(peers, "torch_available", lambda: False)
    out = tmp_path / "peers.json"
    peers.main(["--quick", "--cases", "dcgan_demo", "--steps", "1", "--out", str(out)])
    result = json.loads(out.read_text())["cases"]["dcgan_demo"]
    assert result["sides"]["tf"]["items_per_s"] > 0
    assert set(result["sides"]) == {"tf"}
    assert result["ratio"] == {"tf/torch": None}
    assert result["sides"]["tf"]["counts"] == {"generator": 464099, "discriminator": 261249}
    assert "PyTorch is not installed" in capsys.readouterr().out
