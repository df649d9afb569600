# Shortcuts; each target is one documented command.
.PHONY: up down models test logs start smoke

up:        ## Elasticsearch + model step + API; returns once the API answers /health
	docker compose up --build -d --wait
	@echo "API: http://127.0.0.1:$${PORT:-3000}/docs  (docker compose logs -f api)"

down:      ## stop the containers (volumes with the index and the models are kept)
	docker compose down

models:    ## fetch/verify/export the models into the compose volume
	docker compose run --rm models

logs:
	docker compose logs -f

smoke:     ## the whole compose stack on a scratch project and ports, checked, then removed
	bash scripts/compose-smoke.sh

test:      ## the test suite (no Docker needed: starts its own Elasticsearch)
	npm test

start:     ## the API without Docker
	npm start
