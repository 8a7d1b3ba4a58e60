"""Sample customer exports of generated people, in four source systems' shapes, with ground truth.

``generate_sample`` writes the exports and a truth CSV; ``sample_config_yaml``
is the ``nayose.yaml`` text that describes them.
"""

from samples.config import sample_config_yaml
from samples.corruption import CorruptionRates
from samples.generator import SampleManifest, generate_sample

__all__ = ["CorruptionRates", "SampleManifest", "generate_sample", "sample_config_yaml"]
