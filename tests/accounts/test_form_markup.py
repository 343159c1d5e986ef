"""The accounts' forms in error: named in the title, the summary first, every field marked; the
sign-in keeps the tokens password managers read, a structure's details are never autofilled."""

from __future__ import annotations

import httpx

from tests.factories import log_in, make_organisation, make_user
from tests.form_markup import by_id, label_of, parse, summary_targets, title_of
from workshops.accounts.models import Role


async def test_a_refused_sign_in_says_so_first_and_keeps_the_password_manager_s_tokens(
    client: httpx.AsyncClient,
) -> None:
    refused = await client.post("/pro/connexion", data={"email": "", "password": ""})

    assert refused.status_code == 422
    page = parse(refused.text)
    assert title_of(page).startswith("Erreur : Connexion à l'espace professionnel")
    assert by_id(page, "erreurs").get("autofocus") is not None
    email, password = summary_targets(page)
    assert (email.get("id"), password.get("id")) == ("champ-email", "champ-password")
    for field in (email, password):
        assert field.get("aria-invalid") == "true"
        assert field.get("required") is not None
        assert label_of(page, field).endswith("(obligatoire)")
    # `username` on an e-mail input is allowed since WHATWG HTML's 2020 change (whatwg/html#5881)
    # and pairs the address with the password for password managers.
    assert (email.get("type"), email.get("autocomplete")) == ("email", "username")
    assert password.get("autocomplete") == "current-password"


async def test_a_new_structure_in_error_marks_its_type_and_offers_no_autofill(
    client: httpx.AsyncClient,
) -> None:
    admin = await make_user(await make_organisation(), Role.ADMIN)
    await log_in(client, admin.email)

    refused = await client.post("/pro/structures", data={"name": "Centre des Prés"})

    assert refused.status_code == 422
    page = parse(refused.text)
    assert title_of(page).startswith("Erreur : Créer une structure")
    targets = {target.get("id"): target for target in summary_targets(page)}
    kind = targets["champ-kind"]
    assert kind.tag == "legend"
    assert "(obligatoire)" in "".join(kind.itertext())
    radios = [field for field in page.iter("input") if field.get("name") == "kind"]
    assert radios
    assert all(radio.get("required") is not None for radio in radios)
    assert all(radio.get("aria-invalid") == "true" for radio in radios)
    for name in ("contact_email", "phone"):
        assert by_id(page, f"champ-{name}").get("autocomplete") == "off", name
