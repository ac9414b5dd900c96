"""SI Hub: the knowledge hub of Finland's Social Innovation Competence Centre.

The package is importable without Streamlit; only ``sihub.ui`` imports it.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
