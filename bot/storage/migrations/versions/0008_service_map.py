"""service map: HSDS-like organisations, locations, phones, schedules, languages, changes, referrals

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:40:00

The flat `services` table of 0001 becomes the HSDS 3 shape: what was a column
of the service (organisation, district, address, coordinates, phone, opening
hours, languages) moves to its own table, with the rows that were there.
Downgrade folds the first location, phone and schedule back into columns.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_COLUMNS = (
    "organization", "district", "address", "latitude", "longitude", "phone",
    "opening_hours", "languages", "eligibility",
)  # fmt: skip


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64] or "org"


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("district", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    with op.batch_alter_table("locations") as batch:
        batch.create_index(batch.f("ix_locations_district"), ["district"], unique=False)
    op.create_table(
        "service_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=120), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_changes")),
    )
    with op.batch_alter_table("service_changes") as batch:
        batch.create_index("ix_service_changes_service", ["service_id", "id"], unique=False)

    rows = _old_rows()
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("organization_id", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="active")
        )
        batch.add_column(
            sa.Column("eligibility_description", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("minimum_age", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("maximum_age", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("gender", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("legal_status", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("updated_by", sa.String(length=120), nullable=False, server_default="")
        )
        batch.create_foreign_key(
            batch.f("fk_services_organization_id_organizations"),
            "organizations",
            ["organization_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.drop_index("ix_services_district")
        for column in OLD_COLUMNS:
            batch.drop_column(column)

    op.create_table(
        "service_at_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"],
            name=op.f("fk_service_at_location_location_id_locations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"],
            name=op.f("fk_service_at_location_service_id_services"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_at_location")),
        sa.UniqueConstraint(
            "service_id", "location_id", name=op.f("uq_service_at_location_service_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("service_at_location") as batch:
        batch.create_index(
            batch.f("ix_service_at_location_location_id"), ["location_id"], unique=False
        )
    for table, column, kind in (
        ("phones", "number", sa.String(length=32)),
        ("schedules", "opening_hours", sa.String(length=400)),
        ("service_languages", "code", sa.String(length=8)),
    ):
        extra: list[sa.Column[object]] = []
        if table == "schedules":
            extra.append(sa.Column("timezone", sa.String(length=40), nullable=False))
        else:
            extra.append(sa.Column("position", sa.Integer(), nullable=False))
        constraints: list[sa.Constraint] = []
        if table == "service_languages":
            constraints.append(
                sa.UniqueConstraint("service_id", "code", name=op.f(f"uq_{table}_service_id"))
            )
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("service_id", sa.String(length=64), nullable=False),
            sa.Column(column, kind, nullable=False),
            *extra,
            sa.ForeignKeyConstraint(
                ["service_id"], ["services.id"],
                name=op.f(f"fk_{table}_service_id_services"), ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            *constraints,
        )  # fmt: skip
        if table != "service_languages":
            with op.batch_alter_table(table) as batch:
                batch.create_index(batch.f(f"ix_{table}_service_id"), ["service_id"])
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=True),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_referrals_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_referrals_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_referrals_service_id_services"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_referrals_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )  # fmt: skip
    with op.batch_alter_table("referrals") as batch:
        batch.create_index("ix_referrals_service", ["service_id"], unique=False)

    _move_columns_to_tables(rows)


def _flat_services() -> sa.TableClause:
    """The services table as 0001 made it."""
    return sa.table(
        "services",
        sa.column("id", sa.String), sa.column("organization", sa.String),
        sa.column("district", sa.String), sa.column("address", sa.String),
        sa.column("latitude", sa.Float), sa.column("longitude", sa.Float),
        sa.column("phone", sa.String), sa.column("opening_hours", sa.String),
        sa.column("languages", sa.JSON), sa.column("eligibility", sa.Text),
    )  # fmt: skip


def _old_rows() -> list[dict[str, Any]]:
    """The flat columns, read before they go (SQLite's batch mode rebuilds the table)."""
    old = _flat_services()
    return [dict(row) for row in op.get_bind().execute(sa.select(old)).mappings().all()]


def _move_columns_to_tables(rows: list[dict[str, Any]]) -> None:
    """Child tables are created after the rebuild: dropping the old table would cascade."""
    bind = op.get_bind()
    new = sa.table(
        "services", sa.column("id", sa.String), sa.column("organization_id", sa.String),
        sa.column("eligibility_description", sa.Text),
    )  # fmt: skip
    now = datetime.now(UTC)
    organizations: set[str] = set()
    for row in rows:
        values: dict[str, object] = {"eligibility_description": row["eligibility"] or ""}
        if row["organization"]:
            org_id = _slug(row["organization"])
            if org_id not in organizations:
                organizations.add(org_id)
                bind.execute(
                    sa.text(
                        "INSERT INTO organizations (id, name, description, updated_at, "
                        "updated_by) VALUES (:id, :name, '', :at, 'migration 0007')"
                    ),
                    {"id": org_id, "name": row["organization"], "at": now},
                )
            values["organization_id"] = org_id
        bind.execute(sa.update(new).where(new.c.id == row["id"]).values(**values))
        sid = row["id"]
        if row["district"] or row["address"] or row["latitude"] is not None:
            bind.execute(
                sa.text(
                    "INSERT INTO locations (id, name, district, address, latitude, longitude, "
                    "updated_at) VALUES (:id, '', :district, :address, :lat, :lon, :at)"
                ),
                {"id": sid, "district": row["district"], "address": row["address"],
                 "lat": row["latitude"], "lon": row["longitude"], "at": now},
            )  # fmt: skip
            bind.execute(
                sa.text(
                    "INSERT INTO service_at_location (service_id, location_id, position) "
                    "VALUES (:id, :id, 0)"
                ),
                {"id": sid},
            )
        if row["phone"]:
            bind.execute(
                sa.text("INSERT INTO phones (service_id, number, position) VALUES (:id, :n, 0)"),
                {"id": sid, "n": row["phone"]},
            )
        if row["opening_hours"]:
            bind.execute(
                sa.text(
                    "INSERT INTO schedules (service_id, opening_hours, timezone) "
                    "VALUES (:id, :oh, 'Europe/Istanbul')"
                ),
                {"id": sid, "oh": row["opening_hours"]},
            )
        for position, code in enumerate(row["languages"] or []):
            bind.execute(
                sa.text(
                    "INSERT INTO service_languages (service_id, code, position) "
                    "VALUES (:id, :code, :p)"
                ),
                {"id": sid, "code": code, "p": position},
            )


def downgrade() -> None:
    bind = op.get_bind()
    folded = [
        dict(row)
        for row in bind.execute(
            sa.text(
                "SELECT s.id, s.eligibility_description AS eligibility, "
                "COALESCE((SELECT name FROM organizations o WHERE o.id = s.organization_id), '') "
                "AS organization, "
                "COALESCE((SELECT number FROM phones p WHERE p.service_id = s.id "
                "ORDER BY position LIMIT 1), '') AS phone, "
                "COALESCE((SELECT opening_hours FROM schedules h WHERE h.service_id = s.id "
                "LIMIT 1), '') AS opening_hours FROM services s"
            )
        ).mappings()
    ]
    places: dict[str, dict[str, Any]] = {
        row["service_id"]: dict(row)
        for row in bind.execute(
            sa.text(
                "SELECT a.service_id, a.position, l.district, l.address, l.latitude, l.longitude "
                "FROM service_at_location a JOIN locations l ON l.id = a.location_id "
                "ORDER BY a.position DESC"
            )
        ).mappings()
    }
    languages: dict[str, list[str]] = {}
    for spoken in bind.execute(
        sa.text("SELECT service_id, code FROM service_languages ORDER BY position")
    ).mappings():
        languages.setdefault(spoken["service_id"], []).append(spoken["code"])
    for table in (
        "referrals", "service_languages", "schedules", "phones", "service_at_location",
    ):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("services") as batch:
        batch.add_column(
            sa.Column("organization", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("district", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("address", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(32), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("opening_hours", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("languages", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("eligibility", sa.Text(), nullable=False, server_default=""))
        batch.create_index("ix_services_district", ["district"], unique=False)
        batch.drop_constraint("fk_services_organization_id_organizations", type_="foreignkey")
        for column in (
            "organization_id", "status", "eligibility_description", "minimum_age",
            "maximum_age", "gender", "legal_status", "updated_by",
        ):  # fmt: skip
            batch.drop_column(column)
    old = _flat_services()
    for row in folded:
        place: dict[str, Any] = places.get(row["id"], {})
        bind.execute(
            sa.update(old)
            .where(old.c.id == row["id"])
            .values(
                organization=row["organization"], phone=row["phone"],
                opening_hours=row["opening_hours"], eligibility=row["eligibility"] or "",
                district=place.get("district") or "", address=place.get("address") or "",
                latitude=place.get("latitude"), longitude=place.get("longitude"),
                languages=languages.get(row["id"], []),
            )
        )  # fmt: skip
    op.drop_table("service_changes")
    op.drop_table("locations")
    op.drop_table("organizations")
