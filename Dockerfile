# The TechBank web and worker image, for docker-compose.yml.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config default-libmysqlclient-dev \
 && rm -rf /var/lib/apt/lists/*
# The processes run as this unprivileged user; the code and static files stay root-owned, so
# the app cannot change them.
RUN groupadd --system --gid 10001 techbank \
 && useradd --system --uid 10001 --gid techbank --no-create-home --shell /usr/sbin/nologin techbank
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
# Numeric, so that a runtime that refuses root (runAsNonRoot) can check it without /etc/passwd.
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "techbank.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
