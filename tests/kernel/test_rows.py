"""Raw rows become model objects exactly as Tortoise builds the objects it reads itself.

`workshops.kernel.rows.from_columns` relies on Tortoise's private `Model._init_from_db`: a row of
every model that holds rows in the demo (dates, JSON, decimals, enumerations, nullable foreign
keys) is read both ways, and every field must agree. An upgrade of Tortoise that changes what
`_init_from_db` takes or returns fails here, not on a family's sign-up.
"""

from __future__ import annotations

from tortoise import Tortoise

from workshops.demo import load_demo
from workshops.kernel.db import fetch
from workshops.kernel.rows import columns_of, from_columns, split_row
from workshops.kernel.settings import Settings


async def test_every_model_read_from_raw_columns_equals_the_orm_s_object(
    database: Settings,
) -> None:
    await load_demo(database.zone)
    compared = []
    for model in Tortoise.apps["workshops"].values():
        table = model._meta.db_table
        rows = await fetch(
            f'SELECT {columns_of(model, "t")} FROM "{table}" t ORDER BY t."id" LIMIT 3', []
        )
        for row in rows:
            raw = from_columns(model, split_row(row)["t"])
            orm = await model.get(pk=raw.pk)
            fields = sorted(model._meta.fields_db_projection)
            assert {f: getattr(raw, f) for f in fields} == {f: getattr(orm, f) for f in fields}, (
                model.__name__
            )
            assert type(raw) is model
            # An object read from a row is a stored one: saving it updates that row.
            count = await model.all().count()
            await raw.save()
            assert await model.all().count() == count, model.__name__
            compared.append(model.__name__)
    # The demo fills the models the hot paths read, and most others.
    assert {"Workshop", "Session", "RoomBooking", "Room", "Site", "Organisation"} <= set(compared)
    assert len(set(compared)) >= 15
