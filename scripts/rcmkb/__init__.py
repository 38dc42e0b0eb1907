"""rcmkb: the RCM child-protection tools catalog, from YAML to a bilingual site.

Data flows through one module per step: load -> validate -> generate -> build.
"""

__version__ = "0.1.0"
