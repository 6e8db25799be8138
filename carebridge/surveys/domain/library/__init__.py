"""The instrument library (问卷库): JSON files of ready questionnaires; read by ``documents``."""
