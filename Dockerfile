# The TechBank web and worker image, for docker-compose.yml.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config default-libmysqlclient-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["gunicorn", "techbank.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
