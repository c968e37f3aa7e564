FROM python:3.12-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN UV_PROJECT_ENVIRONMENT=/venv uv sync --frozen --no-dev
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1
COPY . .
# the grading contract compiled to C (scripts/build_native); the compiler leaves the image afterwards
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
 && python scripts/build_native && rm -rf var/native \
 && apt-get purge -y gcc libc6-dev && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput
