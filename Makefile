# Shortcuts; each target is one documented command.
.PHONY: up down models test logs start

up:        ## Elasticsearch + model step + API on http://localhost:3000
	docker compose up --build -d
	@echo "API: http://localhost:3000/docs  (docker compose logs -f api)"

down:      ## stop the containers (volumes with the index and the models are kept)
	docker compose down

models:    ## fetch/verify/export the models into the compose volume
	docker compose run --rm models

logs:
	docker compose logs -f

test:      ## the test suite (no Docker needed: starts its own Elasticsearch)
	npm test

start:     ## the API without Docker
	npm start
