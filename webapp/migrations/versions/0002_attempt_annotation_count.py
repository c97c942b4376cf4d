"""attempts.annotation_count: the per-attempt limit without counting annotations on every save

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: SQLite (3.35+) adds and drops such a column in place, where a
# batch copy of ``attempts`` would have to drop a table that annotations reference.
def upgrade():
    op.add_column('attempts', sa.Column('annotation_count', sa.Integer(), server_default='0',
                                        nullable=False))
    op.execute("UPDATE attempts SET annotation_count = "
               "(SELECT count(*) FROM annotations WHERE annotations.attempt_id = attempts.id)")


def downgrade():
    op.drop_column('attempts', 'annotation_count')
