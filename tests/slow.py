"""The `slow` marker: the tests that `make test-fast` leaves out (`-m "not slow"`).

The fast lane (`make test-fast`) also leaves out the browser journeys (`tests/browser`), the
fault tests (`tests/faults`) and the fuzzing (`tests/security/test_fuzzing.py`); `make test`
runs everything. The tests below each took 0.35 s or more on the 2-core development machine
(`--durations=0`): processes started (`workshops` commands, the embedded worker), dozens of
simultaneous password checks, a thousand e-mails, hypothesis, whole-demo loads. Listed here by
name rather than decorated in place, so that the list is one file; a name that no longer exists
in its file stops the run (`pytest_configure`), so the list cannot rot silently.

Loaded by `-p tests.slow` (the `test-fast` target of the `Makefile`); by hand, from the project's
folder: `.venv/bin/python -m pytest -p tests.slow -m "not slow"`. The marker is registered in
`pyproject.toml`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SLOW: dict[str, tuple[str, ...]] = {
    "tests/accounts/test_invitation_mail.py": (
        "test_the_admin_page_says_the_invitation_was_emailed_and_shows_no_link",
        "test_the_invited_person_follows_the_emailed_link_and_joins",
    ),
    "tests/accounts/test_limits.py": (
        "test_fifty_simultaneous_guesses_from_one_address_get_twenty_checked",
        "test_fifty_simultaneous_guesses_on_one_account_get_five_passwords_checked",
        "test_the_right_password_sent_among_simultaneous_guesses_waits_like_them",
    ),
    "tests/accounts/test_organisation_views.py": (
        "test_every_role_sees_its_own_organisation_page",
        "test_no_role_but_admin_adds_or_removes_members",
        "test_no_role_but_admin_sees_a_foreign_organisation",
    ),
    "tests/accounts/test_password_reset.py": (
        "test_a_forgotten_password_is_replaced_through_the_emailed_link",
    ),
    "tests/accounts/test_signin.py": (
        "test_a_refused_password_change_says_why_and_keeps_the_old_password",
        "test_a_success_clears_the_account_failures",
        "test_an_unknown_account_is_locked_the_same_way",
        "test_one_address_guessing_many_accounts_is_stopped",
        "test_sixth_attempt_is_refused_even_with_the_right_password_until_the_delay_passes",
    ),
    "tests/accounts/test_views.py": (
        "test_changing_the_password_signs_out_the_other_devices",
        "test_sixth_wrong_attempt_locks_even_the_right_password",
    ),
    "tests/calendars/test_booking_feeds.py": (
        "test_a_centre_manager_renews_the_room_feed_and_the_old_address_ends",
        "test_a_room_feed_holds_that_room_only",
    ),
    "tests/evaluation/test_commune_codes_views.py": (
        "test_a_commune_not_in_the_list_or_shared_by_homonyms_comes_back_with_proposals",
        "test_the_commune_scope_counts_the_sites_of_its_code_and_of_its_name_typed_otherwise",
    ),
    "tests/evaluation/test_demo.py": (
        "test_loading_the_demo_twice_changes_nothing",
        "test_the_demo_convention_year_2025_2026_has_figures",
    ),
    "tests/evaluation/test_known_year.py": (
        "test_every_figure_of_the_known_year",
        "test_the_partner_overview_shows_the_same_fill_rate",
        "test_the_second_convention_keeps_its_own_figures",
        "test_the_year_is_the_same_after_every_family_is_anonymised",
    ),
    "tests/evaluation/test_opendata.py": ("test_no_hidden_count_can_be_recomputed",),
    "tests/evaluation/test_overview_views.py": (
        "test_a_coordinator_reads_a_partner_a_commune_and_everything",
    ),
    "tests/evaluation/test_reference.py": ("test_figures_equal_the_reference_computation",),
    "tests/evaluation/test_scopes.py": ("test_another_pmi_changes_nothing_a_coordinator_sees",),
    "tests/evaluation/test_views.py": (
        "test_a_bad_year_is_explained_not_an_error",
        "test_both_parties_sign_and_later_changes_show_beside",
        "test_the_partner_manager_reads_it_but_not_another_centre",
    ),
    "tests/mail/test_delivery.py": (
        "test_a_message_still_failing_after_24_hours_is_marked_failed",
        "test_one_worker_sends_a_thousand_messages_each_exactly_once",
    ),
    "tests/mail/test_names_in_sentences.py": (
        "test_a_room_request_and_every_answer_name_the_centre_and_the_room_as_values",
    ),
    "tests/partners/test_clauses.py": (
        "test_the_convention_page_names_the_parties_then_gives_the_clauses",
    ),
    "tests/partners/test_demo.py": ("test_the_demo_holds_the_founding_convention_once",),
    "tests/partners/test_documents.py": (
        "test_an_insurance_certificate_needs_its_party_and_expiry_date",
        "test_documents_are_served_to_both_parties_as_attachments",
        "test_nobody_else_downloads_a_convention_document",
    ),
    "tests/planning/test_demo.py": ("test_the_demo_publishes_workshops_some_full_and_runs_twice",),
    "tests/privacy/test_anonymising.py": (
        "test_the_command_line_anonymises",
        "test_the_report_command_writes_a_spreadsheet",
    ),
    "tests/privacy/test_erasure.py": (
        "test_a_coordinator_erases_the_person_everywhere_and_no_figure_moves",
        "test_the_other_pmi_s_erasure_then_the_daily_job_keep_one_family",
    ),
    "tests/privacy/test_tool.py": (
        "test_a_coordinator_finds_exports_and_erases_a_family",
        "test_only_coordinators_run_the_privacy_tool",
    ),
    "tests/rooms/test_booking.py": (
        "test_on_sqlite_a_confirmation_waits_for_another_process_deciding_on_the_room",
    ),
    "tests/rooms/test_booking_views.py": (
        "test_a_busy_inbox_is_paginated_and_a_decision_keeps_its_page",
        "test_a_request_outside_the_offered_hours_is_refused_next_to_the_field",
    ),
    "tests/rooms/test_demo.py": ("test_loading_the_demo_twice_adds_nothing",),
    "tests/security/test_authorization_sweep.py": ("test_no_role_reaches_a_foreign_organisation",),
    "tests/security/test_no_store.py": (
        "test_every_staff_and_token_route_answers_no_store_to_an_administrator",
        "test_the_exports_and_the_token_pages_really_answer_and_are_not_stored",
    ),
    "tests/security/test_spreadsheet_cells.py": ("test_no_export_runs_what_someone_typed",),
    "tests/signup/test_capacity.py": (
        "test_fifty_simultaneous_families_share_six_places_and_wait_in_arrival_order",
    ),
    "tests/signup/test_catalogue.py": ("test_the_catalogue_is_paginated",),
    "tests/signup/test_views.py": (
        "test_too_many_sign_ups_from_one_address_are_refused_for_an_hour",
    ),
    "tests/test_app.py": ("test_embedded_start_up_creates_and_migrates_the_database",),
    "tests/test_cli.py": (
        "test_communes_lists_the_sites_whose_commune_the_official_list_does_not_know",
        "test_createuser_asks_interactively_at_a_terminal",
        "test_createuser_explains_a_refusal_in_french",
        "test_createuser_without_a_terminal_asks_for_the_missing_values",
        "test_migrate_lists_the_communes_typed_freely_that_the_official_list_does_not_know",
        "test_migrate_then_demo_then_createuser_from_a_fresh_folder",
        "test_the_demo_can_be_loaded_twice",
        "test_the_migrations_match_the_models",
    ),
    "tests/test_demo.py": ("test_demo_account_sees_only_its_own_organisation",),
    "tests/test_embedded_worker.py": (
        "test_the_embedded_worker_sends_mail_while_the_app_runs_and_stops_with_it",
    ),
    "tests/test_names_escaped.py": (
        "test_a_centre_manager_reads_the_room_and_centre_names_as_typed_in_a_request",
    ),
}


def pytest_configure(config: pytest.Config) -> None:
    stale = [
        f"{path}::{name}"
        for path, names in SLOW.items()
        for name in names
        if f"def {name}(" not in _source(path)
    ]
    if stale:
        raise pytest.UsageError(
            "tests/slow.py names tests that do not exist (renamed or removed?): " + ", ".join(stale)
        )


def _source(path: str) -> str:
    file = ROOT / path
    return file.read_text(encoding="utf-8") if file.exists() else ""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    slow = {f"{path}::{name}" for path, names in SLOW.items() for name in names}
    for item in items:
        if item.nodeid.split("[", 1)[0] in slow:
            item.add_marker(pytest.mark.slow)
