"""What gunicorn serves: `gunicorn wsgi:app`. Settings come from EVENTHUB_* variables."""
from eventhub import create_app

app = create_app()
