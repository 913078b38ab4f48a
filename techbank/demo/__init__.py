"""The demo data set (`manage.py load_demo`): its plan (scenario.py) and its recording."""
