"""The workflows and the composite action keep the properties the nightly job relies on."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
NIGHTLY = yaml.safe_load((ROOT / ".github/workflows/nightly.yml").read_text())
CI = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
REVIEW = yaml.safe_load((ROOT / ".github/workflows/review.yml").read_text())
TRIGGERS = NIGHTLY[True]  # YAML 1.1 reads the key "on" as True


def uses(document: dict) -> list[str]:  # type: ignore[type-arg]
    steps = [s for job in document.get("jobs", {}).values() for s in job["steps"]] + document.get("runs", {}).get(
        "steps", []
    )
    return [s["uses"] for s in steps if "uses" in s]


def test_nightly_schedule_inputs_permissions_and_concurrency() -> None:
    minute, hour, *_ = TRIGGERS["schedule"][0]["cron"].split()
    assert minute not in {"0", "15", "30", "45"} and int(hour) >= 5
    assert set(TRIGGERS["workflow_dispatch"]["inputs"]) == {"dry_run", "date", "catch_up_since", "maintain"}
    assert NIGHTLY["permissions"] == {}
    assert NIGHTLY["jobs"]["curate"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    }
    assert NIGHTLY["concurrency"]["cancel-in-progress"] is False


def test_every_action_is_pinned_by_commit() -> None:
    for reference in uses(NIGHTLY) + uses(CI) + uses(ACTION) + uses(REVIEW):
        assert re.fullmatch(r"[\w.\-/]+@[0-9a-f]{40}", reference), reference


def test_secrets_and_inputs_reach_the_run_step_through_env_only() -> None:
    steps = [s for s in NIGHTLY["jobs"]["curate"]["steps"] if "curatorbot " in s.get("run", "")]
    assert len(steps) == 4  # learning the model, the nightly run, the catch-up, the maintenance
    for step in steps:
        assert "${{" not in step["run"]
        assert "GITHUB_TOKEN" in step["env"]


def test_the_catch_up_step_follows_the_nightly_run_and_shares_its_token_budget() -> None:
    _, run_step, catch_up_step, _ = [s for s in NIGHTLY["jobs"]["curate"]["steps"] if "curatorbot " in s.get("run", "")]
    assert run_step["id"] == "nightly" and "curatorbot run" in run_step["run"]
    assert "curatorbot catch-up" in catch_up_step["run"] and "--if-configured" in catch_up_step["run"]
    assert catch_up_step["env"]["TOKENS_SPENT"] == "${{ steps.nightly.outputs.tokens || '0' }}"
    action_run = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "run curatorbot")
    assert "${{" not in action_run["run"] and ACTION["runs"]["using"] == "composite"


def test_maintenance_runs_weekly_or_on_request_after_the_nightly_steps_with_the_same_feed_state() -> None:
    maintain_step = NIGHTLY["jobs"]["curate"]["steps"][-1]
    assert "curatorbot maintain" in maintain_step["run"] and 'date -u +%u)" != "1"' in maintain_step["run"]
    assert maintain_step["env"]["MAINTAIN"] == "${{ inputs.maintain }}"
    cache = next(s for s in NIGHTLY["jobs"]["curate"]["steps"] if "actions/cache" in s.get("uses", ""))
    assert cache["with"]["path"] == ".curatorbot-cache"  # where the nightly notes new versions for it


def test_the_feed_state_is_saved_right_after_the_run_whatever_fails_later() -> None:
    """actions/cache saves only when the whole job succeeds: a failed catch-up or maintain would discard
    the night's deferred papers and undelivered flags. Restore first, save right after the run, always."""
    for steps in (NIGHTLY["jobs"]["curate"]["steps"], ACTION["runs"]["steps"]):
        uses = [s.get("uses", "").split("@")[0] for s in steps]
        assert "actions/cache" not in uses and "actions/cache/restore" in uses
        run = next(i for i, s in enumerate(steps) if "curatorbot run" in s.get("run", ""))
        save = steps[run + 1]
        assert save["uses"].startswith("actions/cache/save@") and save["if"] == "always()"
        assert save["with"]["path"] == ".curatorbot-cache"


def test_the_composite_action_runs_the_nightly_job_or_the_maintenance_pr() -> None:
    assert ACTION["inputs"]["command"]["default"] == "run"
    step = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "run curatorbot")
    assert "curatorbot run" in step["run"] and "curatorbot maintain" in step["run"] and "exit 2" in step["run"]
    assert step["env"]["COMMAND"] == "${{ inputs.command }}"


def test_ci_tests_the_oldest_and_newest_python() -> None:
    assert CI["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.13"]


def test_review_runs_on_comments_and_body_edits_of_the_bot_pr_only_with_the_default_branchs_code() -> None:
    assert set(REVIEW[True]) == {"issue_comment", "pull_request", "issues"}  # never pull_request_target
    assert REVIEW[True]["issue_comment"]["types"] == ["created", "edited"] and REVIEW[True]["pull_request"][
        "types"
    ] == ["edited"]
    job = REVIEW["jobs"]["review"]
    assert REVIEW["permissions"] == {} and job["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    }
    # Which PRs are the bot's is config's (branches) and the marker's: the workflow repeats neither.
    assert "curatorbot/" not in job["if"] and "'curatorbot:'" not in job["if"]
    assert "head.repo.full_name == github.repository" in job["if"] and "comment.user.type != 'Bot'" in job["if"]
    assert "!contains(github.event.comment.body, '<!-- curatorbot:reply -->')" in job["if"]
    checkout = job["steps"][0]
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    assert checkout["with"]["persist-credentials"] is False
    [run_step] = [step for step in job["steps"] if step.get("name") == "review"]
    assert "${{" not in run_step["run"] and run_step["run"].startswith("curatorbot review")
    assert run_step["env"]["OPENAI_API_KEY"] == "${{ secrets.OPENAI_API_KEY }}"  # refresh asks the night's LLM
    # Its own group: anyone's comment queues a review, and a queued run cancels the group's pending one.
    assert REVIEW["concurrency"]["group"] != NIGHTLY["concurrency"]["group"]
    assert REVIEW["concurrency"]["cancel-in-progress"] is False


def test_a_dashboard_edit_is_carried_out_by_the_review_workflow_with_no_event_text_in_a_shell() -> None:
    assert REVIEW[True]["issues"]["types"] == ["edited"]
    job = REVIEW["jobs"]["review"]
    assert "(github.event_name == 'issues' && github.event.sender.type != 'Bot')" in job["if"]
    steps = {step.get("name"): step for step in job["steps"]}
    edit = steps["carry out the dashboard's ticked boxes"]
    assert edit["if"] == "github.event_name == 'issues'" and "${{" not in edit["run"]
    assert edit["run"] == 'curatorbot run --dashboard-edit "$ISSUE_NUMBER" --edited-by "$EDITOR_LOGIN"'
    assert edit["env"]["EDITOR_LOGIN"] == "${{ github.event.sender.login }}"
    maintain = steps["maintain, when the dashboard asks"]
    assert "steps.dashboard.outputs.maintain == '1'" in maintain["if"] and maintain["run"] == "curatorbot maintain"
    assert steps["review"]["if"] == "github.event_name != 'issues'"


def test_the_nightly_keeps_the_lists_model_current_before_the_run_uses_it() -> None:
    steps = [step.get("name", "") for step in NIGHTLY["jobs"]["curate"]["steps"]]
    learn = steps.index("learn the list's model when the list or the decisions changed (weekly at most)")
    assert steps.index("restore the learned model") < learn < steps.index("save the learned model") < steps.index("run")
    step = {s.get("name"): s for s in NIGHTLY["jobs"]["curate"]["steps"]}
    assert "curatorbot learn" in step[steps[learn]]["run"] and "--if-changed" in step[steps[learn]]["run"]
    assert "'.[train]'" in step["install"]["run"]
    restore = step["restore the learned model"]["with"]
    # Another config's model is never restored (the card checks the list and the sections as well).
    assert restore["restore-keys"] == "curatorbot-model-${{ hashFiles('config.yaml') }}-"
