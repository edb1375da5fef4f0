"""The demo's simulator process: serves the demo profiles, reports MFA codes, dies with its console."""

import httpx

from tui.demo_process import DemoSimulatorProcess


def test_it_serves_the_profiles_it_promised_and_stops_when_its_console_goes(tmp_path):
    simulator = DemoSimulatorProcess(seed=7, speed=0.0, faults=0.0, vendor="all", log=tmp_path / "sim.log")
    assert set(simulator.demo_profiles) == {"yemot", "yemot-mfa", "coocenter"}
    simulator.start()
    try:
        simulator.wait_ready(timeout=30)
        yemot = simulator.demo_profiles["yemot"]
        reply = httpx.post(
            yemot["base_url"] + "Login",
            data={"username": yemot["username"], "password": yemot["password"]},
            timeout=10,
        )
        assert reply.status_code == 200 and reply.json()["responseStatus"] == "OK"
        assert simulator.new_codes() == []
    finally:
        simulator.stop()
    assert simulator._process.returncode is not None


def test_the_child_ends_by_itself_when_its_parents_pipe_closes(tmp_path):
    simulator = DemoSimulatorProcess(seed=7, speed=0.0, faults=0.0, vendor="yemot", log=tmp_path / "sim.log")
    simulator.start()
    simulator.wait_ready(timeout=30)
    simulator._process.stdin.close()  # what the kernel does when the console dies, however it dies
    assert simulator._process.wait(timeout=10) == 0


def test_a_simulator_that_cannot_start_is_said_plainly(tmp_path):
    simulator = DemoSimulatorProcess(seed=7, speed=0.0, faults=0.0, vendor="yemot", log=tmp_path / "sim.log")
    simulator.argv += ["--no-such-option"]
    simulator.start()
    try:
        simulator.wait_ready(timeout=30)
    except RuntimeError as error:
        assert "did not start" in str(error) and "sim.log" in str(error)
    else:
        raise AssertionError("a child that exited was taken for ready")
    finally:
        simulator.stop()
