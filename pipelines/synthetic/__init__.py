"""The synthetic telecom world: customers, bills, usage, contacts, social posts and edges."""

from pipelines.synthetic.config import TreatmentConfig, WorldConfig
from pipelines.synthetic.world import World, generate_world, save_world

__all__ = ["TreatmentConfig", "World", "WorldConfig", "generate_world", "save_world"]
